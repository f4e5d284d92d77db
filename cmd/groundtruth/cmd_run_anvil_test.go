package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/attesttest"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testtoken"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

// pricesStart is the first hour of the test price series.
var pricesStart = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// startPrices serves an hourly series of n points from pricesStart, with
// a spike at hour spike (none when negative).
func startPrices(t *testing.T, n, spike int) *fakeapi.Prices {
	t.Helper()
	p := fakeapi.StartPrices(fakeapi.PriceOptions{DailyAbove: -1})
	t.Cleanup(p.Close)
	pts := make([]fakeapi.Point, n)
	for i := range pts {
		v := 50 * (1 + 0.004*math.Sin(float64(i)/3))
		if i == spike {
			v *= 1.7
		}
		pts[i] = fakeapi.Point{MS: pricesStart.Add(time.Duration(i) * time.Hour).UnixMilli(), Price: v}
	}
	p.AddSeries("comp", pts)
	return p
}

// importKeys writes light keystores for keys into dir and a password file.
func importKeys(t *testing.T, dir string, keys map[string]*ecdsa.PrivateKey) {
	t.Helper()
	for name, k := range keys {
		if _, err := attest.ImportKey(dir, name, k, testPassword, attest.LightKDF); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, "pw"), testPassword+"\n")
}

// writeConfig renders a configuration template into dir/groundtruth.yaml.
func writeConfig(t *testing.T, dir, text string, data any) string {
	t.Helper()
	var b strings.Builder
	if err := template.Must(template.New("cfg").Parse(text)).Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, p, b.String())
	return p
}

const daoConfig = `version: 1
data_dir: data
daemon:
  listen: 127.0.0.1:0
  shutdown_grace: 10s
  job_defaults: {retries: 3, retry_backoff: 200ms, timeout: 30s}
attestation:
  backend: registry
  rpc_url: {{.RPC}}
  chain_id: {{.ChainID}}
  registry: "{{.Registry}}"
  auto_sign: {keystore: keys/steward0.json, password_file: keys/pw}
  cosign:
    - {keystore: keys/steward1.json, password_file: keys/pw}
  submitter: {keystore: keys/gas.json, password_file: keys/pw}
  inbox: inbox
serve:
  anonymous: {datasets: ["*"]}
  watch_interval: 200ms
jobs:
  - name: gov-votes
    dataset: gov_votes
    schedule: "@every 1s"
    source:
      kind: governor
      rpc: {url: {{.RPC}}, retries: 1, timeout: 5s}
      chain_id: {{.ChainID}}
      addresses: ["{{.Governor}}"]
      family: oz
      table: votes
  - name: gtv-token
    dataset: gtv_token
    schedule: "@every 1s"
    jitter: 500ms
    source:
      kind: erc20
      rpc: {url: {{.RPC}}, retries: 1, timeout: 5s}
      chain_id: {{.ChainID}}
      addresses: ["{{.Token}}"]
  - name: comp-usd
    dataset: comp_usd
    schedule: "@every 1s"
    attest: {review: [error]}
    source:
      kind: http_prices
      preset: coingecko_range
      url: {{.Prices}}
      start: {{.Start}}
      end: {{.End}}
      window: 48h
      max_pages: 1
      http: {rate_limit: 0, attempts: 2, backoff_min: 50ms, backoff_max: 200ms}
    validation:
      checks:
        - kind: poisoning.series
          value: price
          time: ts
      policy:
        "*": keep
        poisoning.*: quarantine
`

// TestDaemonDAOOnAnvil runs the daemon with three jobs — the test DAO's
// governor votes and token events on anvil, and prices from the local
// price API — while the DAO's scenario runs: versions appear on schedule,
// every version verifies, the price spike is a recorded finding that holds
// its version for review, and the other versions are attested 2-of-3 on
// the registry by the pipeline's key and a co-signing steward key.
func TestDaemonDAOOnAnvil(t *testing.T) {
	if testing.Short() {
		t.Skip("runs anvil and the daemon for several seconds")
	}
	env := attesttest.StartEnv(t, 3, 2)
	a := env.Chain.(*testchain.Anvil)
	ctx := context.Background()
	nonce, err := a.Client().PendingNonceAt(ctx, a.Accounts()[0].Address)
	if err != nil {
		t.Fatal(err)
	}
	owner := a.Accounts()[0].Address // DeployDAO deploys token, timelock, governor from it
	token, governor := crypto.CreateAddress(owner, nonce), crypto.CreateAddress(owner, nonce+2)
	prices := startPrices(t, 120, 30)

	dir := t.TempDir()
	importKeys(t, filepath.Join(dir, "keys"), map[string]*ecdsa.PrivateKey{"steward0": testchain.DeterministicKey(1000),
		"steward1": testchain.DeterministicKey(1001), "steward2": testchain.DeterministicKey(1002), "gas": a.Accounts()[8].Key})
	cfg := writeConfig(t, dir, daoConfig, map[string]any{"RPC": a.RPCURL(), "ChainID": env.ChainID, "Registry": env.Registry.Hex(),
		"Governor": governor.Hex(), "Token": token.Hex(), "Prices": prices.RangeURL("comp"),
		"Start": pricesStart.Format(time.RFC3339), "End": pricesStart.Add(119 * time.Hour).Format(time.RFC3339)})

	d := startDaemonCLI(t, nil, "run", "-c", cfg)
	sc := chaintest.RunDAOScenario(t, a) // while the daemon runs
	if sc.DAO.Token != token || sc.DAO.Governor != governor {
		t.Fatalf("the DAO was deployed at %s/%s, the configuration says %s/%s", sc.DAO.Token, sc.DAO.Governor, token, governor)
	}
	votes := len(sc.Votes) + moreDAOActivity(t, a, sc)
	// The lag gauges can still say 0 from a run before the last blocks were
	// mined, so the wait also asks for every token event to be ingested.
	tokenRows := fmt.Sprintf(`groundtruth_rows_total{job="gtv-token",stage="in"} %d`+"\n", tokenEvents(t, sc))
	waitFor(t, 60*time.Second, "every job to catch up with the chain and the price series", func() bool {
		m := httpGet(t, d.url+"/metrics")
		return strings.Contains(m, tokenRows) && strings.Contains(m, `groundtruth_chain_head_lag_blocks{job="gov-votes"} 0`) &&
			strings.Contains(m, `groundtruth_chain_head_lag_blocks{job="gtv-token"} 0`) &&
			strings.Contains(m, `groundtruth_runs_total{job="comp-usd",outcome="no_rows"}`) &&
			!strings.Contains(m, `groundtruth_runs_in_flight{job="gov-votes"} 1`)
	})
	// Two stewards review the held price version and drop their signatures
	// in the inbox; the daemon's next run of the job collects them.
	stewardsSign(t, dir, cfg, "comp_usd", 1, "steward1", "steward2")
	waitFor(t, 20*time.Second, "the inbox signatures to be collected", func() bool {
		left, _ := filepath.Glob(filepath.Join(dir, "inbox", "*.json"))
		return len(left) == 0
	})
	// The daemon serves the attested versions on the same listener.
	waitFor(t, 10*time.Second, "the data API to list the attested votes", func() bool {
		return strings.Contains(httpGet(t, d.url+"/v1/datasets"), `"gov_votes"`)
	})
	if row := httpGet(t, d.url+"/v1/datasets/gov_votes/versions/latest/rows/0"); !strings.Contains(row, `"proof"`) {
		t.Errorf("row 0 of the latest attested votes has no proof: %s", row)
	}
	metrics := httpGet(t, d.url+"/metrics")
	if code := d.stop(t); code != 0 {
		t.Fatalf("daemon exit %d\n%s", code, d.errOut)
	}
	for _, want := range []string{`groundtruth_attestations_total{job="gov-votes",state="attested"}`, `groundtruth_findings_total{code="poisoning.`,
		`groundtruth_rows_total{job="comp-usd",stage="quarantined"} 1`, `groundtruth_last_success_timestamp_seconds{job="gtv-token"}`, "process_resident_memory_bytes", "groundtruth_serve_"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	checkDAOData(t, filepath.Join(dir, "data"), sc, votes)
	if t.Failed() {
		for _, l := range strings.Split(metrics, "\n") {
			if strings.Contains(l, "gtv") && !strings.HasPrefix(l, "#") {
				t.Log(l)
			}
		}
		t.Log(d.errOut)
	}
	// An auditor checks an attested version against the registry.
	out, errOut, code := runCLI(t, nil, "--data-dir", filepath.Join(dir, "data"), "verify", "gov_votes@1", "--rpc", a.RPCURL(), "--registry", env.Registry.Hex())
	if code != 0 {
		t.Fatalf("verify against the registry: exit %d\n%s%s", code, out, errOut)
	}
}

// checkDAOData checks the versions, findings and attestations the daemon left.
func checkDAOData(t *testing.T, data string, sc *chaintest.Scenario, votes int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	statuses := map[string]int{}
	for _, ds := range []string{"gov_votes", "gtv_token", "comp_usd"} {
		vs, err := st.Versions(ctx, ds)
		if err != nil || len(vs) == 0 {
			t.Fatalf("%s: no versions (%v)", ds, err)
		}
		for _, v := range vs {
			ver, err := st.Verify(ctx, ds, v.Version)
			if err != nil || ver.Err() != nil {
				t.Fatalf("%s@%d does not verify: %v %v", ds, v.Version, err, ver.Err())
			}
			statuses[ds+" "+v.Status]++
		}
	}
	if statuses["comp_usd attested"] != 3 {
		t.Errorf("prices: want 3 attested versions (48h windows of 120 hours; the spiky one by two stewards after review): %v", statuses)
	}
	if statuses["gov_votes attested"] == 0 || statuses["gov_votes sealed"]+statuses["gov_votes pending"] > 0 ||
		statuses["gov_votes attested"] < 2 || statuses["gtv_token attested"] < 3 || statuses["gtv_token sealed"]+statuses["gtv_token pending"] > 0 {
		t.Errorf("chain versions not all attested: %v", statuses)
	}
	count := func(q string) int {
		var n int
		queryStore(t, st, q, scanOne(&n))
		return n
	}
	if n := count(`SELECT count(*) FROM gov_votes`); n != votes {
		t.Errorf("gov_votes: %d rows, the scenario cast %d votes", n, votes)
	}
	if n, want := count(`SELECT count(*) FROM gtv_token`), tokenEvents(t, sc); n != want {
		t.Errorf("gtv_token: %d rows, the token emitted %d events", n, want)
	}
	if n := count(`SELECT count(*) FROM gt.findings f JOIN gt.runs r ON r.validation_run = f.run_id WHERE f.dataset = 'comp_usd' AND NOT f.passed AND f.severity = 'error'`); n == 0 {
		t.Error("no failing finding recorded for the price spike")
	}
	// One run sealed the spiky version and left it for review; a run that
	// only collected stewards' signatures seals nothing (version NULL).
	if n := count(`SELECT count(*) FROM gt.runs WHERE attestation = 'review' AND job = 'comp-usd' AND version IS NOT NULL`); n != 1 {
		t.Errorf("%d runs sealed a version left for review, want 1", n)
	}
	if n := count(`SELECT count(DISTINCT signer) FROM gt.signatures WHERE dataset = 'gov_votes' AND version = 1`); n != 2 {
		t.Errorf("gov_votes@1 has %d signers, want 2 (auto_sign + cosign)", n)
	}
}

// stewardsSign has stewards sign a version from its manifest file (as on
// their own machines) into the configuration's inbox.
func stewardsSign(t *testing.T, dir, cfg, dataset string, version uint64, stewards ...string) {
	t.Helper()
	var manifest string
	paths, _ := filepath.Glob(filepath.Join(dir, "data", "manifests", "*", "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Dataset string `json:"dataset"`
			Version uint64 `json:"version"`
		}
		if json.Unmarshal(b, &m) == nil && m.Dataset == dataset && m.Version == version {
			manifest = p
		}
	}
	if manifest == "" {
		t.Fatalf("no manifest of %s@%d", dataset, version)
	}
	if err := os.MkdirAll(filepath.Join(dir, "inbox"), 0o755); err != nil {
		t.Fatal(err)
	}
	ref := fmt.Sprintf("%s@%d", dataset, version)
	// Every steward signs first, then the files go into the inbox together:
	// a run between two slow signatures would otherwise collect one of them
	// and leave the version for review once more.
	for _, s := range stewards {
		mustRun(t, "sign", ref, "--manifest", manifest, "-c", cfg, "--key", filepath.Join(dir, "keys", s+".json"),
			"--password-file", filepath.Join(dir, "keys", "pw"), "-o", filepath.Join(dir, s+".json"))
	}
	for _, s := range stewards {
		if err := os.Rename(filepath.Join(dir, s+".json"), filepath.Join(dir, "inbox", s+".json")); err != nil {
			t.Fatal(err)
		}
	}
}

// moreDAOActivity spreads more DAO activity over the daemon's next ticks:
// three rounds of token transfers a tick apart, a new proposal in the
// first and votes on it in the third. It returns the number of votes cast.
func moreDAOActivity(t *testing.T, a *testchain.Anvil, sc *chaintest.Scenario) int {
	t.Helper()
	ctx := chaintest.Ctx(t)
	acct := a.Accounts()
	voters := acct[1:4]
	send := func(from testchain.Account, to common.Address, data []byte) *types.Receipt {
		t.Helper()
		rc, err := testchain.Transact(ctx, a, from, to, data)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	tok, gov, em := testtoken.NewTestToken(), testgovernor.NewTestGovernor(), eventemitter.NewEventEmitter()
	targets, values, calldatas := []common.Address{sc.Emitter}, []*big.Int{big.NewInt(0)}, [][]byte{em.PackEmitMany(big.NewInt(2))}
	desc := "Proposal #3: emit twice"
	for round := range 3 {
		time.Sleep(1200 * time.Millisecond)
		sc.TokenReceipts = append(sc.TokenReceipts, send(voters[round], sc.DAO.Token, tok.PackTransfer(acct[6].Address, chaintest.Tokens(int64(round+1)))))
		switch round {
		case 0:
			// The votes follow the proposal at once: the daemon's own
			// attestation transactions mine blocks on this chain too, and
			// under load they closed the voting window before a later round.
			send(voters[0], sc.DAO.Governor, gov.PackPropose(targets, values, calldatas, desc))
			if err := a.Mine(ctx, 2); err != nil {
				t.Fatal(err)
			}
			id := chaintest.ProposalID(targets, values, calldatas, desc)
			for i, v := range voters {
				send(v, sc.DAO.Governor, gov.PackCastVote(id, uint8(i%3)))
			}
		}
	}
	return len(voters)
}

// tokenEvents counts the token's logs in the scenario's receipts.
func tokenEvents(t *testing.T, sc *chaintest.Scenario) int {
	t.Helper()
	n := 0
	for _, rc := range sc.TokenReceipts {
		for _, lg := range rc.Logs {
			if lg.Address == sc.DAO.Token {
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("the scenario emitted no token events")
	}
	return n
}
