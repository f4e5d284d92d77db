package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

// envChildArgs holds the arguments of TestDaemonChild, separated by \x1f.
const envChildArgs = "GT_DAEMON_CHILD_ARGS"

// TestDaemonChild is the daemon process of the kill and fault tests: it
// runs the CLI with the arguments in the environment, as main does.
func TestDaemonChild(t *testing.T) {
	args := os.Getenv(envChildArgs)
	if args == "" {
		t.Skip("the child process of TestDaemonKill")
	}
	ctx, stop := signalContext()
	defer stop()
	cmd := newRootCmd(os.Stdout, os.Stderr, os.Getenv)
	cmd.SetArgs(strings.Split(args, "\x1f"))
	err := cmd.ExecuteContext(ctx)
	printError(os.Stderr, err)
	os.Exit(exitCode(err))
}

const killConfig = `version: 1
data_dir: {{.Data}}
daemon: {shutdown_grace: 1s, max_concurrent_runs: 2}
jobs:
  - name: pings
    dataset: pings
    schedule: "@every 50ms"
    source:
      kind: evm_logs
      rpc: {url: {{.RPC}}, retries: 2, timeout: 5s}
      addresses: ["{{.Emitter}}"]
      event: "{{.Event}}"
      max_blocks_per_fetch: 1
  - name: comp-usd
    dataset: comp_usd
    schedule: "@every 50ms"
    source:
      kind: http_prices
      preset: coingecko_range
      url: {{.Prices}}
      start: {{.Start}}
      end: {{.End}}
      window: 3h
      max_pages: 1
      http: {rate_limit: 0, attempts: 2, backoff_min: 20ms, backoff_max: 100ms}
    validation:
      checks:
        - {kind: poisoning.series, value: price, time: ts}
      policy: {"*": keep, "poisoning.*": quarantine}
`

// killEnv is the chain, the price API and the configuration of a data dir.
type killEnv struct {
	vars map[string]any
	dir  string
}

func (k *killEnv) config(t *testing.T, name string) string {
	t.Helper()
	d := filepath.Join(k.dir, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{"Data": filepath.Join(d, "data")}
	for key, v := range k.vars {
		vars[key] = v
	}
	return writeConfig(t, d, killConfig, vars)
}

// TestDaemonKill SIGKILLs a daemon at random moments while its jobs run
// (a chain job and a validated price job), at least 20 times, restarting it
// each time; then it drains the jobs. Every version verifies, and the
// datasets hold the same rows, keys and Merkle roots as an uninterrupted
// run: nothing is missing and nothing is duplicated.
func TestDaemonKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	a := chaintest.Anvil(t)
	emitter := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, emitter, 600, 10)
	prices := startPrices(t, 240, 120)
	k := &killEnv{dir: t.TempDir(), vars: map[string]any{"RPC": a.RPCURL(), "Emitter": emitter.Hex(), "Event": chaintest.PingEvent,
		"Prices": prices.RangeURL("comp"), "Start": pricesStart.Format(time.RFC3339), "End": pricesStart.Add(239 * time.Hour).Format(time.RFC3339)}}

	refCfg := k.config(t, "reference")
	drain(t, refCfg)
	cfg := k.config(t, "killed")
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	killed := 0
	for i := 0; killed < 20 && i < 60; i++ {
		if killChild(t, []string{"run", "-c", cfg, "--listen", "", "--log-level", "info"}, time.Duration(rnd.IntN(400))*time.Millisecond) {
			killed++
		}
	}
	if killed < 20 {
		t.Fatalf("only %d children were killed while running", killed)
	}
	drain(t, cfg)
	compareDatasets(t, filepath.Join(k.dir, "reference", "data"), filepath.Join(k.dir, "killed", "data"), map[string]string{"pings": "tx_hash, log_index", "comp_usd": "source, ts"}, true)
}

// daemonChild is a child process that runs the CLI with args, as main does.
func daemonChild(args []string) childtest.Child {
	return childtest.Child{Test: "TestDaemonChild", Env: []string{envChildArgs + "=" + strings.Join(args, "\x1f")}}
}

// killChild starts a daemon child, waits for its first run, then for
// delay, and SIGKILLs it; it reports whether the child was killed (rather
// than exiting on its own). A daemon that failed before the kill fails t.
func killChild(t *testing.T, args []string, delay time.Duration) bool {
	t.Helper()
	p := daemonChild(args).Start(t)
	p.WaitOutput(t, 2*time.Minute, "first run", func(out string) bool {
		return strings.Contains(out, "msg=run ") || strings.Contains(out, `msg="run failed"`)
	})
	time.Sleep(delay)
	return p.Kill(t)
}

// drain runs every job of the configuration in-process until none finds
// new rows (the daemon's runner, without the schedule).
func drain(t *testing.T, cfg string) { t.Helper(); drainWith(t, cfg, "") }

// drainWith is drain on the given catalog ("" for the SQLite default).
func drainWith(t *testing.T, cfg, catalog string) {
	t.Helper()
	a := &app{stdout: io.Discard, stderr: io.Discard, red: redact.New(), getenv: func(string) string { return "" }, catalog: catalog}
	cmd := newRunCmd(a)
	cmd.SetContext(context.Background())
	env, err := a.openJobs(cmd, cfg, jobOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.close()
	if err := env.runner.Recover(cmd.Context(), env.specs); err != nil {
		t.Fatal(err)
	}
	for round := 0; ; round++ {
		idle := 0
		for _, s := range env.specs {
			res := env.runner.Run(cmd.Context(), s, "drain", 1)
			if res.Err != nil {
				t.Fatalf("drain %s: %v", s.Job.Name, res.Err)
			}
			if res.Record.Outcome == store.RunNoRows {
				idle++
			}
		}
		if idle == len(env.specs) {
			return
		}
		if round > 1000 {
			t.Fatal("the jobs never ran dry")
		}
	}
}

// compareDatasets checks that every version of got verifies and that its
// datasets hold want's row keys in the same order, each once, and (when
// sameRoot) the same Merkle roots.
func compareDatasets(t *testing.T, wantDir, gotDir string, keys map[string]string, sameRoot bool) {
	t.Helper()
	ctx := context.Background()
	want, err := store.Open(ctx, wantDir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	got, err := store.Open(ctx, gotDir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	for ds, key := range keys {
		vs, err := got.Versions(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if ver, err := got.Verify(ctx, ds, v.Version); err != nil || ver.Err() != nil {
				t.Fatalf("%s@%d does not verify: %v %v", ds, v.Version, err, ver.Err())
			}
		}
		w, _ := want.Version(ctx, ds, 0)
		g, _ := got.Version(ctx, ds, 0)
		if g.Manifest.RowCount != w.Manifest.RowCount || (sameRoot && g.Manifest.MerkleRoot != w.Manifest.MerkleRoot) {
			t.Errorf("%s: %d rows, root %s; uninterrupted: %d rows, root %s", ds, g.Manifest.RowCount, g.Manifest.MerkleRoot, w.Manifest.RowCount, w.Manifest.MerkleRoot)
		}
		var rows, distinct int
		q := fmt.Sprintf(`SELECT count(*), count(DISTINCT (%s)) FROM %s`, key, ds)
		queryStore(t, got, q, scanOne(&rows, &distinct))
		if rows != distinct || uint64(rows) != w.Manifest.RowCount {
			t.Errorf("%s: %d rows, %d distinct keys, want %d", ds, rows, distinct, w.Manifest.RowCount)
		}
		if gk, wk := orderedKeys(t, got, ds, key), orderedKeys(t, want, ds, key); gk != wk {
			t.Errorf("%s: the row keys differ from the reference's", ds)
		}
		t.Logf("%s: %d versions, %d rows, root %s", ds, len(vs), g.Manifest.RowCount, g.Manifest.MerkleRoot)
	}
	var interrupted int
	got.DB().QueryRowContext(ctx, `SELECT count(*) FROM gt.runs WHERE outcome = 'interrupted'`).Scan(&interrupted)
	t.Logf("%d runs in the history were interrupted (their process died during them)", interrupted)
}

// orderedKeys returns a dataset's row keys in version order, one per line.
func orderedKeys(t *testing.T, st *store.Store, ds, key string) string {
	t.Helper()
	var b strings.Builder
	queryStore(t, st, fmt.Sprintf(`SELECT concat_ws('|', %s) FROM %s ORDER BY _row`, key, ds), func(rows *sql.Rows) error {
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			b.WriteString(k + "\n")
		}
		return nil
	})
	return b.String()
}

const signalConfig = `version: 1
data_dir: data
daemon: {shutdown_grace: 20s}
jobs:
  - name: comp-usd
    dataset: comp_usd
    schedule: "@every 100ms"
    source:
      kind: http_prices
      preset: coingecko_range
      url: {{.Prices}}
      start: {{.Start}}
      end: {{.End}}
      window: 6h
      max_pages: 1
      http: {rate_limit: 0, attempts: 1, timeout: 30s}
`

// startChild starts a daemon child and waits until it logged that it started.
func startChild(t *testing.T, args ...string) *childtest.Process {
	t.Helper()
	p := daemonChild(args).Start(t)
	if !p.WaitOutput(t, 30*time.Second, "start", func(out string) bool { return strings.Contains(out, `msg="daemon started"`) }) {
		t.Fatalf("the daemon ended before it started:\n%s", p.Output())
	}
	return p
}

// TestDaemonSignals stops a daemon with SIGTERM (exit 0 once the runs in
// flight finished), and one whose run hangs with two SIGTERMs: the first
// starts the grace period, the second exits at once with 130.
func TestDaemonSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	prices := startPrices(t, 240, -1)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, signalConfig, map[string]any{"Prices": prices.RangeURL("comp"),
		"Start": pricesStart.Format(time.RFC3339), "End": pricesStart.Add(239 * time.Hour).Format(time.RFC3339)})
	args := []string{"run", "-c", cfg, "--listen", ""}

	p := startChild(t, args...)
	time.Sleep(300 * time.Millisecond)
	_ = p.Signal(syscall.SIGTERM)
	if code := p.Wait(t, 20*time.Second); code != 0 || !strings.Contains(p.Output(), `msg="daemon stopped"`) {
		t.Fatalf("a SIGTERM: exit %d\n%s", code, p.Output())
	}

	prices.SetFaults(fakeapi.Always(fakeapi.Hang()))
	p = startChild(t, args...)
	time.Sleep(500 * time.Millisecond) // a run hangs on the price API
	_ = p.Signal(syscall.SIGTERM)
	time.Sleep(500 * time.Millisecond)
	if p.Exited() {
		t.Fatalf("the daemon did not wait for the run in flight:\n%s", p.Output())
	}
	_ = p.Signal(syscall.SIGTERM)
	if code := p.Wait(t, 5*time.Second); code != exitSignal || !strings.Contains(p.Output(), "second signal") {
		t.Fatalf("a second SIGTERM: exit %d\n%s", code, p.Output())
	}
}
