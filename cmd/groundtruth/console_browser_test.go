package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/registry"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/demo"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/console"
)

// browserResult is what web/console/test/browser.mjs reports.
type browserResult struct {
	OK          bool                `json:"ok"`
	Error       string              `json:"error"`
	Steward     string              `json:"steward"`
	PowerSteps  int                 `json:"powerSteps"`
	Votes       int                 `json:"proposalVotes"`
	Refused     bool                `json:"refused"`
	Cosigned    string              `json:"cosigned"`
	QueueRows   int                 `json:"queueRows"`
	Entry       string              `json:"entry"`
	Decision    string              `json:"decision"`
	Run         string              `json:"run"`
	Version     uint64              `json:"version"`
	Axe         map[string][]string `json:"axe"`
	CSP         []string            `json:"csp"`
	Screenshots []string            `json:"screenshots"`
	Plot        struct {
		Series []string `json:"series"`
		Points int      `json:"points"`
		Marked int      `json:"marked"`
	} `json:"plot"`
}

// TestConsoleBrowser drives the steward console in Debian's Chromium
// (playwright-core) against a real daemon, a child process of this binary
// serving on 127.0.0.1, over the demo's world built on anvil (its
// registry, DAO, scripted governance and price feeds), with the
// co-signing key left out so versions wait for a second steward: a token
// without the steward scope is refused; a steward co-signs the poisoned
// feed's pending version with an injected EIP-1193 wallet and it is
// attested on anvil (read back from the registry, and by verify); the
// queue plots the feed's flagged points with its peers; approving one
// records a signed decision that the next version's lineage holds, and the
// daemon's log line of that run links its report; axe-core finds no
// serious or critical violation on any page. Screenshots go to
// $CONSOLE_SCREENSHOTS (default: the test's temporary folder).
func TestConsoleBrowser(t *testing.T) {
	chromium, node := consoleBrowserTools(t)
	start := time.Now()
	anvil := testchain.StartAnvilWith(t, testchain.AnvilConfig{Args: []string{"--gas-limit", "60000000"}})
	ctx := context.Background()
	dir := t.TempDir()
	w, err := demo.Start(ctx, demo.Options{Dir: dir, APIListen: "127.0.0.1:0", Chain: anvil})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	agent := "gt_agent_without_the_steward_scope"
	cfgPath := consoleDemoConfig(t, w, agent)
	if out, errOut, code := runCLI(t, nil, "run", "--config", cfgPath, "--once"); code != 0 {
		t.Fatalf("run --once: exit %d\n%s\n%s", code, out, errOut)
	}
	d := daemonChild([]string{"run", "--config", cfgPath, "--listen", "127.0.0.1:0"}).Start(t)
	var base string
	d.WaitOutput(t, 30*time.Second, "the daemon to say where the console is", func(out string) bool {
		if m := consoleAtRE.FindStringSubmatch(out); m != nil {
			base = m[1]
		}
		return base != ""
	})
	if base == "" {
		t.Fatalf("the daemon did not say where the console is:\n%s", d.Output())
	}
	shots := os.Getenv("CONSOLE_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join(dir, "screenshots")
	} else if shots, err = filepath.Abs(shots); err != nil {
		t.Fatal(err)
	}
	plan := map[string]any{"base": base, "token": w.ConsoleToken, "agentToken": agent, "chromium": chromium,
		"keystore": filepath.Join(dir, "keys", "steward-2.json"), "password": w.PasswordFile, "screenshots": shots,
		"dataset": "comp_usd_aggregator", "job": "comp-usd-aggregator", "cosign": "comp_usd_aggregator@1",
		"reason": "checked against the exchange's own records"}
	res := runBrowser(t, node, plan)
	t.Logf("browser: steward %s, %d queue rows, plot %d points %v with %d marked, entry %s, run %s (version %d), %d power steps, %d votes, axe %v",
		res.Steward, res.QueueRows, res.Plot.Points, res.Plot.Series, res.Plot.Marked, res.Entry, res.Run, res.Version, res.PowerSteps, res.Votes, res.Axe)
	if err := d.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := d.Wait(t, 30*time.Second); code != 0 {
		t.Fatalf("the daemon exited %d:\n%s", code, d.Output())
	}
	checkConsoleOutcome(t, w, anvil, dir, res)
	checkReportLink(t, d.Output(), base, res.Run)
	t.Logf("the whole test took %s", time.Since(start).Round(time.Millisecond))
}

// consoleAtRE finds the console's address in the daemon's log.
var consoleAtRE = regexp.MustCompile(`steward console is at (http://\S+)/console/`)

// consoleBrowserTools returns Chromium and node, failing the test under
// CI=true (skipping it elsewhere) when they or the npm modules are missing.
func consoleBrowserTools(t *testing.T) (chromium, node string) {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		testchain.MissingTool(t, "chromium is not on PATH: apt-get install -y chromium (make chromium) to run the console's browser tests")
	}
	node, err = exec.LookPath("node")
	if err != nil {
		testchain.MissingTool(t, "node (Node.js >= 20) is not on PATH: install it to run the console's browser tests")
	}
	for _, m := range []string{"playwright-core", "axe-core", "ethers"} {
		if _, err := os.Stat(filepath.Join(testchain.RequireNodeModules(t), m)); err != nil {
			testchain.MissingTool(t, m+" is not installed: run npm ci")
		}
	}
	return chromium, node
}

// consoleDemoConfig writes the demo's configuration without its co-signing
// key (a version then waits for a second steward), with the poisoned
// feed's job every two seconds and an agent token without the steward
// scope.
func consoleDemoConfig(t *testing.T, w *demo.World, agent string) string {
	t.Helper()
	b, err := os.ReadFile(w.Config)
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`(?m)^  cosign:\n    - \{keystore: keys/steward-1.json.*\n`).ReplaceAllString(string(b), "")
	s = regexp.MustCompile(`(name: comp-usd-aggregator\n(?:.*\n){1,2}?\s+schedule: )"@every 1h"`).ReplaceAllString(s, `$1"@every 2s"`)
	h := serve.HashToken(agent)
	s = strings.Replace(s, "  tokens:\n", "  tokens:\n    - {name: agent, sha256: \"0x"+hexOf(h[:])+"\", datasets: [\"*\"]}\n", 1)
	if strings.Contains(s, "cosign:") || !strings.Contains(s, `"@every 2s"`) || !strings.Contains(s, "name: agent") {
		t.Fatalf("the demo's configuration changed shape:\n%s", s)
	}
	p := filepath.Join(w.Dir, "console.yaml")
	writeFile(t, p, s)
	return p
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// runBrowser runs the browser test script with plan and returns its result.
func runBrowser(t *testing.T, node string, plan map[string]any) browserResult {
	t.Helper()
	root, err := testchain.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(plan)
	p := filepath.Join(t.TempDir(), "plan.json")
	writeFile(t, p, string(b))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "web", "console", "test", "browser.mjs"), p)
	cmd.Dir = root
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	runErr := cmd.Run()
	var res browserResult
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &res); err != nil {
		t.Fatalf("browser.mjs: %v (%v)\nstdout:\n%s\nstderr:\n%s", err, runErr, out.String(), errOut.String())
	}
	if runErr != nil || !res.OK {
		t.Fatalf("browser.mjs failed: %s (%v)\nscreenshots: %v\nstderr:\n%s", res.Error, runErr, res.Screenshots, errOut.String())
	}
	return res
}

// checkConsoleOutcome checks, in the catalog and on the chain, what the
// browser did: the signed decision and its lineage, the attested version.
func checkConsoleOutcome(t *testing.T, w *demo.World, anvil *testchain.Anvil, dir string, res browserResult) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.QuarantineGet(ctx, res.Entry)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != store.QuarantineApproved || !strings.EqualFold(e.Steward, res.Steward) || e.Signature == "" || e.AppliedVersion == nil || *e.AppliedVersion != res.Version {
		t.Errorf("entry %s: %s by %s, signature %q, applied %v; want approved by %s, signed, applied in version %d", e.ID, e.Status, e.Steward, e.Signature, e.AppliedVersion, res.Steward, res.Version)
	}
	if err := pipeline.VerifyEntry(e); err != nil {
		t.Errorf("the recorded decision does not verify: %v", err)
	}
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM gt.lineage WHERE dataset = 'comp_usd_aggregator' AND version = ? AND kind = 'quarantine_decision' AND detail LIKE ?`,
		res.Version, "%"+e.ID+"%").Scan(&n); err != nil || n != 1 {
		t.Errorf("lineage of comp_usd_aggregator@%d holds the decision %d times (%v)", res.Version, n, err)
	}
	status, err := st.VersionStatus(ctx, "comp_usd_aggregator", 1)
	if err != nil || status != attest.StatusAttested {
		t.Errorf("comp_usd_aggregator@1 is %q (%v) after the browser co-signed it", status, err)
	}
	st.Close()
	checkAttestedOnChain(t, w, anvil, res.Steward)
	out, errOut, code := runCLI(t, nil, "--data-dir", dir, "verify", "comp_usd_aggregator@1", "--rpc", w.Chain.RPCURL(), "--registry", w.Registry.Hex())
	if code != 0 {
		t.Errorf("verify comp_usd_aggregator@1 against the chain: exit %d\n%s\n%s", code, out, errOut)
	}
}

// checkAttestedOnChain reads the registry's Attested events on anvil: the
// co-signed version is there, counted with the browser's steward.
func checkAttestedOnChain(t *testing.T, w *demo.World, anvil *testchain.Anvil, steward string) {
	t.Helper()
	reg := registry.New(registry.Config{Client: anvil.EthClient(), ChainID: anvil.ChainID().Uint64(), Address: w.Registry})
	vs, err := reg.AttestedVersions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Dataset != "comp_usd_aggregator" || v.Version != 1 {
			continue
		}
		for _, s := range v.Signers {
			if strings.EqualFold(s.Hex(), steward) {
				t.Logf("comp_usd_aggregator@1 attested on anvil in block %d (tx %s) by %v", v.Block, v.TxHash, v.Signers)
				return
			}
		}
		t.Fatalf("comp_usd_aggregator@1 is attested on anvil by %v, without the browser's steward %s", v.Signers, steward)
	}
	t.Fatalf("the registry on anvil has no attestation of comp_usd_aggregator@1 (%d attested versions)", len(vs))
}

// checkReportLink checks that the daemon's log line of the run links its
// report and validation report in the console.
func checkReportLink(t *testing.T, log, base, run string) {
	t.Helper()
	rep, val := console.ReportLinks(base)(run)
	want := regexp.MustCompile(`msg=run .*run=` + regexp.QuoteMeta(run) + ` .*report=` + regexp.QuoteMeta(rep) + ` validation_report="?` + regexp.QuoteMeta(val))
	if !want.MatchString(log) {
		t.Errorf("no log line of run %s links %s and %s:\n%s", run, rep, val, log)
	}
}
