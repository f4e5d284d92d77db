package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttestFromConfig: the attestation section supplies the backend, the
// chain and the pipeline's auto_sign key, which counts as one of the k.
func TestAttestFromConfig(t *testing.T) {
	e := newAttestEnv(t)
	e.seal(t, "votes", 0, 100)
	pw := filepath.Join(e.dir, "pipeline.pass")
	writeFile(t, pw, testPassword+"\n")
	cfg := filepath.Join(e.dir, "groundtruth.yaml")
	writeFile(t, cfg, fmt.Sprintf(`version: 1
data_dir: %s
attestation:
  backend: registry
  rpc_url: %s
  chain_id: 31337
  registry: "%s"
  keystore: keys
  auto_sign: {keystore: keys/steward2.json, password_file: pipeline.pass}
  submitter: {keystore: keys/gas.json, password_file: pipeline.pass}
`, e.data, e.Chain.RPCURL(), e.Registry.Hex()))
	s0 := filepath.Join(e.dir, "s0.json")
	e.must(t, 0, "sign", "votes@1", "-c", cfg, "--key", e.stewardKeys[0], "-o", s0)
	out := e.must(t, 0, "attest", "votes@1", "-c", cfg, "--signatures", s0)
	if !strings.Contains(out, "signed by "+e.Stewards[2].Address().Hex()) || !strings.Contains(out, "attested on registry (2 of k = 2)") {
		t.Fatalf("attest with auto_sign: %s", out)
	}
	e.must(t, 0, "verify", "votes@1", "-c", cfg)
}
