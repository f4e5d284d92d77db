package main

import (
	"context"
	"crypto/ecdsa"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

const attestReorgConfig = `version: 1
data_dir: {{.Data}}
attestation:
  backend: registry
  rpc_url: {{.RPC}}
  chain_id: 31337
  registry: "{{.Registry}}"
  auto_sign: {keystore: {{.Keys}}/steward0.json, password_file: {{.Keys}}/pw}
  cosign:
    - {keystore: {{.Keys}}/steward1.json, password_file: {{.Keys}}/pw}
  submitter: {keystore: {{.Keys}}/gas.json, password_file: {{.Keys}}/pw}
jobs:
  - name: pings
    dataset: pings
    schedule: "@every 1h"
    source:
      kind: evm_logs
      rpc: {url: {{.RPC}}, retries: 2, timeout: 5s}
      addresses: ["{{.Emitter}}"]
      event: "{{.Event}}"
`

// TestDaemonAttestReorgDeep: the daemon's attest stage attests pings@1
// (2-of-3, confirmations 1 on anvil); then the chain is reverted past the
// attestation's block (evm_snapshot/evm_revert, deeper than the
// confirmation depth after the version was recorded attested). The next
// run looks the attested versions up on the chain, finds the record gone,
// warns, sets the version back to sealed and attests it again: one
// Attested event on the canonical chain, named by the catalog's evidence.
func TestDaemonAttestReorgDeep(t *testing.T) {
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	anvil := e.Chain.(*testchain.Anvil)
	emitter := chaintest.DeployEmitter(t, e.Chain)
	chaintest.EmitMany(t, e.Chain, emitter, 5, 1)
	keys := filepath.Join(e.dir, "daemon-keys")
	importKeys(t, keys, map[string]*ecdsa.PrivateKey{"steward0": testchain.DeterministicKey(1000), "steward1": testchain.DeterministicKey(1001),
		"gas": e.Chain.Accounts()[0].Key})
	cfg := writeConfig(t, e.dir, attestReorgConfig, map[string]any{"Data": e.data, "RPC": e.Chain.RPCURL(), "Registry": e.Registry.Hex(),
		"Keys": keys, "Emitter": emitter.Hex(), "Event": chaintest.PingEvent})
	var snap hexutil.Big
	if err := anvil.RPC().CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	a := &app{stdout: &logs, stderr: &logs, getenv: func(string) string { return "" }, logLevel: "info"}
	cmd := newRunCmd(a)
	cmd.SetContext(ctx)
	env, err := a.openJobs(cmd, cfg, jobOptions{attest: true})
	if err != nil {
		t.Fatal(err)
	}
	defer env.close()
	spec := env.specs[0]
	spec.Attest.Recheck = time.Nanosecond
	run := func(what string) {
		t.Helper()
		if res := env.runner.Run(ctx, spec, "test", 1); res.Err != nil {
			t.Fatalf("%s: %v\n%s", what, res.Err, logs.String())
		}
	}
	run("first run")
	if st, err := env.runner.Store.VersionStatus(ctx, "pings", 1); err != nil || st != attest.StatusAttested || !e.chainAttested(ctx, t, "pings", 1) {
		t.Fatalf("pings@1 is not attested after the first run:\n%s", logs.String())
	}
	var ok bool
	if err := anvil.RPC().CallContext(ctx, &ok, "evm_revert", &snap); err != nil || !ok {
		t.Fatalf("evm_revert: %v %v", ok, err)
	}
	if err := anvil.Mine(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if e.chainAttested(ctx, t, "pings", 1) {
		t.Fatal("pings@1 is still attested on the registry after the revert")
	}
	run("the run after the reorg")
	if !strings.Contains(logs.String(), "the chain no longer records the attestation") {
		t.Fatalf("no warning about the lost attestation:\n%s", logs.String())
	}
	if st, err := env.runner.Store.VersionStatus(ctx, "pings", 1); err != nil || st != attest.StatusAttested || !e.chainAttested(ctx, t, "pings", 1) {
		t.Fatalf("pings@1 was not attested again (catalog %s, %v):\n%s", st, err, logs.String())
	}
	env.close()
	e.checkAttestedOnce(ctx, t, "pings")
}

// TestAttestReorgDeepCLI: `attest` of a version recorded attested whose
// record the chain lost (reverted past it after it was recorded) says so
// and attests it again, instead of reporting it attested from the catalog.
func TestAttestReorgDeepCLI(t *testing.T) {
	e := newAttestEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	anvil := e.Chain.(*testchain.Anvil)
	e.seal(t, "votes", 0, 40)
	reg := e.registryFlags()
	s0, s1 := e.signFile(t, "votes@1", 0, reg...), e.signFile(t, "votes@1", 1, reg...)
	var snap hexutil.Big
	if err := anvil.RPC().CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"attest", "votes@1", "--signatures", s0 + "," + s1, "--from", e.gas}, reg...)
	e.must(t, 0, args...)
	var ok bool
	if err := anvil.RPC().CallContext(ctx, &ok, "evm_revert", &snap); err != nil || !ok {
		t.Fatalf("evm_revert: %v %v", ok, err)
	}
	if err := anvil.Mine(ctx, 3); err != nil {
		t.Fatal(err)
	}
	out := e.must(t, 0, args...)
	if !strings.Contains(out, "the chain no longer records it") || !strings.Contains(out, "votes@1 attested on registry (2 of k = 2)") {
		t.Fatalf("attest after the deep reorg:\n%s", out)
	}
	if out := e.must(t, 0, args...); !strings.Contains(out, "already attested") {
		t.Fatalf("attest once more:\n%s", out)
	}
	e.checkAttestedOnce(ctx, t, "votes")
}
