package main

import (
	"context"
	"crypto/ecdsa"
	"io"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

const attestKillConfig = `version: 1
data_dir: {{.Data}}
daemon: {shutdown_grace: 1s, max_concurrent_runs: 1}
attestation:
  backend: registry
  rpc_url: {{.Proxy}}
  chain_id: 31337
  registry: "{{.Registry}}"
  auto_sign: {keystore: {{.Keys}}/steward0.json, password_file: {{.Keys}}/pw}
  cosign:
    - {keystore: {{.Keys}}/steward1.json, password_file: {{.Keys}}/pw}
  submitter: {keystore: {{.Keys}}/gas.json, password_file: {{.Keys}}/pw}
jobs:
  - name: pings
    dataset: pings
    schedule: "@every 50ms"
    source:
      kind: evm_logs
      rpc: {url: {{.RPC}}, retries: 2, timeout: 5s}
      addresses: ["{{.Emitter}}"]
      event: "{{.Event}}"
      max_blocks_per_fetch: 2
`

// TestDaemonAttestKill SIGKILLs the daemon at random moments, at least 20
// times, while its job seals versions and its attest stage signs them 2-of-3
// (auto_sign and a co-signer) and submits them through a proxy that delays
// receipts by 700 ms; then it drains the job. Every version ends attested
// exactly once, with the catalog naming the Attested event's transaction:
// a crash between the transaction and its record never wedges a version.
func TestDaemonAttestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	emitter := chaintest.DeployEmitter(t, e.Chain)
	chaintest.EmitMany(t, e.Chain, emitter, 80, 1)
	keys := filepath.Join(e.dir, "daemon-keys")
	importKeys(t, keys, map[string]*ecdsa.PrivateKey{"steward0": testchain.DeterministicKey(1000), "steward1": testchain.DeterministicKey(1001),
		"gas": e.Chain.Accounts()[0].Key})
	cfg := writeConfig(t, e.dir, attestKillConfig, map[string]any{"Data": e.data, "Proxy": delayReceipts(t, e.Chain.RPCURL(), 700*time.Millisecond),
		"RPC": e.Chain.RPCURL(), "Registry": e.Registry.Hex(), "Keys": keys, "Emitter": emitter.Hex(), "Event": chaintest.PingEvent})
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 15))
	killed, wedgeable := 0, 0
	for i := 0; killed < 20 && i < 60; i++ {
		if killChild(t, []string{"run", "-c", cfg, "--listen", "", "--log-level", "info"}, time.Duration(rnd.IntN(1500))*time.Millisecond) {
			killed++
		}
		wedgeable += e.wedgeable(ctx, t, "pings")
	}
	if killed < 20 {
		t.Fatalf("only %d children were killed while running", killed)
	}
	drainAttest(t, cfg)
	t.Logf("%d kills; after %d of them a version was attested on the registry and not in the catalog", killed, wedgeable)
	e.checkAttestedOnce(ctx, t, "pings")
	e.nothingInFlight(ctx, t)
}

// drainAttest runs the configuration's jobs in-process, with their
// attestation stage, until none finds new rows.
func drainAttest(t *testing.T, cfg string) {
	t.Helper()
	a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	cmd := newRunCmd(a)
	cmd.SetContext(context.Background())
	env, err := a.openJobs(cmd, cfg, jobOptions{attest: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.close()
	if err := env.runner.Recover(cmd.Context(), env.specs); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 1000; round++ {
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
	}
	t.Fatal("the jobs never ran dry")
}
