package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyAuditor checks the auditor's semantics: with a chain given
// (flags or the configuration) the attestation is required; --files-only
// checks the files alone; revoke refuses to send with fewer than k
// approvals and adopts a revocation already on the chain.
func TestVerifyAuditor(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	e.seal(t, "votes", 0, 100)
	e.seal(t, "votes", 100, 100)
	reg := e.registryFlags()
	cfg := filepath.Join(e.dir, "groundtruth.yaml")
	writeFile(t, cfg, fmt.Sprintf("version: 1\ndata_dir: %s\nattestation:\n  backend: registry\n  chain_id: 31337\n  rpc_url: %s\n  registry: \"%s\"\n", e.data, e.Chain.RPCURL(), e.Registry.Hex()))
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no chain, no evidence", []string{"verify", "votes@1"}, 0, "attestation not checked (none recorded"},
		{"registry flags", append([]string{"verify", "votes@1"}, reg...), exitPending, "FAIL registry.record"},
		{"--registry implies the backend", []string{"verify", "votes@1", "--rpc", e.Chain.RPCURL(), "--registry", e.Registry.Hex()}, exitPending, "has no attestation of votes@1"},
		{"configured chain", []string{"verify", "votes@1", "-c", cfg}, exitPending, "FAIL threshold"},
		{"files only", []string{"verify", "votes@1", "-c", cfg, "--files-only"}, 0, "attestation not checked (--files-only)"},
		{"files only with --rpc", []string{"verify", "votes@1", "--files-only", "--rpc", e.Chain.RPCURL()}, exitUsage, "--files-only checks the files alone"},
		{"rpc without a backend", []string{"verify", "votes@1", "--rpc", e.Chain.RPCURL()}, exitUsage, "give --backend registry|eas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if out := e.must(t, c.code, c.args...); !strings.Contains(out, c.want) {
				t.Fatalf("lacks %q:\n%s", c.want, out)
			}
		})
	}

	e.must(t, 0, append([]string{"attest", "votes@2", "--key", e.stewardKeys[0], "--signatures", e.signFile(t, "votes@2", 1, reg...), "--from", e.gas}, reg...)...)
	e.must(t, 0, "verify", "votes@2", "-c", cfg)

	// One approval of k = 2: refused before any transaction.
	head, err := e.Chain.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := e.must(t, exitPending, append([]string{"revoke", "votes@2", "--reason", "bad feed", "--key", e.stewardKeys[0], "--from", e.gas}, reg...)...)
	if !strings.Contains(out, "needs k = 2 steward approvals of the revocation, 1 given; nothing was sent") {
		t.Fatalf("revoke with one key: %s", out)
	}
	// A non-steward's approval does not count either.
	e.must(t, exitPending, append([]string{"revoke", "votes@2", "--reason", "bad feed", "--key", e.stewardKeys[0], "--key", e.stewardKeys[3], "--from", e.gas}, reg...)...)
	if now, _ := e.Chain.Client().BlockNumber(ctx); now != head {
		t.Fatalf("a refused revoke mined blocks %d..%d", head, now)
	}
	e.must(t, 0, append([]string{"revoke", "votes@2", "--reason", "bad feed", "--key", e.stewardKeys[0], "--key", e.stewardKeys[1], "--from", e.gas}, reg...)...)
	if out := e.must(t, exitAttest, "verify", "votes@2", "-c", cfg); !strings.Contains(out, "FAIL registry.revoked") {
		t.Fatalf("verify of a revoked version: %s", out)
	}
	e.must(t, 0, "verify", "votes@2", "-c", cfg, "--files-only")
	// A retry (say after a crash before the record) adopts the revocation.
	if out := e.must(t, 0, append([]string{"revoke", "votes@2", "--reason", "bad feed", "--key", e.stewardKeys[0], "--key", e.stewardKeys[1]}, reg...)...); !strings.Contains(out, "votes@2 revoked on registry") {
		t.Fatalf("revoke again: %s", out)
	}
}

// signFile has steward i sign ref with the CLI and returns the file.
func (e *attestEnv) signFile(t *testing.T, ref string, i int, flags ...string) string {
	t.Helper()
	p := filepath.Join(e.dir, strings.ReplaceAll(ref, "@", "-")+"-"+e.Stewards[i].Address().Hex()+".json")
	e.must(t, 0, append([]string{"sign", ref, "--key", e.stewardKeys[i], "-o", p}, flags...)...)
	return p
}
