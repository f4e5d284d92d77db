package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAttest2of3 is the stewards' flow end to end: three steward keystores,
// one signature leaves the version pending (and verify says why), a second
// makes it attested on the registry; then on EAS on-chain and off-chain; a
// bundle verifies offline.
func TestAttest2of3(t *testing.T) {
	e := newAttestEnv(t)
	e.seal(t, "votes", 0, 500)
	sig := func(i int, extra ...string) string {
		p := filepath.Join(e.dir, "sig-"+strings.Join(extra[:2], "")+"-"+e.Stewards[i].Address().Hex()+".json")
		e.must(t, 0, append([]string{"sign", "votes@1", "--key", e.stewardKeys[i], "-o", p}, extra...)...)
		return p
	}
	reg := e.registryFlags()

	// One signature: pending, in the catalog and in verify.
	s0 := sig(0, reg...)
	out := e.must(t, exitPending, append([]string{"attest", "votes@1", "--signatures", s0, "--from", e.gas}, reg...)...)
	if !strings.Contains(out, "votes@1 is pending: 1 of the 2 signatures needed; waiting for 1 more") {
		t.Fatalf("attest with one signature: %s", out)
	}
	if out := e.must(t, 0, "datasets", "list"); !strings.Contains(out, "pending") {
		t.Fatalf("datasets list: %s", out)
	}
	out = e.must(t, exitPending, append([]string{"verify", "votes@1"}, e.stewardFlags()...)...)
	if !strings.Contains(out, "FAIL threshold") || !strings.Contains(out, "1 valid steward signature(s) of the 2 needed") {
		t.Fatalf("verify of a pending version: %s", out)
	}

	// The second steward signs on their own machine from the manifest alone.
	manifest := filepath.Join(e.dir, "manifest.json")
	mf := e.must(t, 0, "--json", "datasets", "show", "votes@1")
	writeFile(t, manifest, strings.TrimSpace(mf))
	s1 := filepath.Join(e.dir, "s1.json")
	runCLI(t, e.env, "sign", "votes@1", "--manifest", manifest, "--key", e.stewardKeys[1], "-o", s1,
		"--backend", "registry", "--chain-id", "31337", "--registry", e.Registry.Hex())
	out = e.must(t, 0, append([]string{"attest", "votes@1", "--signatures", s1, "--from", e.gas}, reg...)...)
	if !strings.Contains(out, "votes@1 attested on registry (2 of k = 2)") {
		t.Fatalf("attest: %s", out)
	}
	if out := e.must(t, 0, append([]string{"attest", "votes@1"}, reg...)...); !strings.Contains(out, "votes@1 is already attested on registry") {
		t.Fatalf("attest again: %s", out)
	}
	if out := e.must(t, 0, "datasets", "list"); !strings.Contains(out, "attested") {
		t.Fatalf("datasets list: %s", out)
	}
	out = e.must(t, 0, append([]string{"verify", "votes@1"}, reg...)...)
	for _, want := range []string{"ok   registry.record", "ok   threshold", "votes@1 attested: 2 of k = 2 stewards", "DatasetRegistry " + e.Registry.Hex()} {
		if !strings.Contains(out, want) {
			t.Fatalf("verify against the registry lacks %q:\n%s", want, out)
		}
	}

	// EAS on-chain: delegated attestations (the nonce is read with --rpc).
	ef := e.easFlags("eas")
	e0, e2 := sig(0, ef...), sig(2, ef...)
	out = e.must(t, 0, append([]string{"attest", "votes@1", "--signatures", e0 + "," + e2, "--from", e.gas}, ef...)...)
	if !strings.Contains(out, "attested on eas (2 of k = 2)") {
		t.Fatalf("attest on EAS: %s", out)
	}
	out = e.must(t, 0, append([]string{"verify", "votes@1"}, ef...)...)
	if strings.Count(out, "on chain: data matches, not revoked") != 2 {
		t.Fatalf("verify against EAS: %s", out)
	}

	// EAS off-chain: stored beside the manifest, verified offline from a bundle.
	of := e.easFlags("offchain")
	o1, o2 := sig(1, of...), sig(2, of...)
	e.must(t, 0, append([]string{"attest", "votes@1", "--signatures", o1 + "," + o2}, of...)...)
	bundle := filepath.Join(e.dir, "votes-1.tar")
	e.must(t, 0, "bundle", "votes@1", "-o", bundle)
	out = e.must(t, 0, append([]string{"verify", "--bundle", bundle, "--chain-id", "31337", "--eas", e.EAS.EAS.Hex()}, e.stewardFlags()...)...)
	if !strings.Contains(out, "votes@1 attested: 2 of k = 2 stewards") {
		t.Fatalf("verify --bundle: %s", out)
	}
	// Without a trusted steward set the bundle's own claim is not enough.
	out = e.must(t, exitAttest, "verify", "--bundle", bundle)
	if !strings.Contains(out, "no trusted steward set") {
		t.Fatalf("verify --bundle without trust: %s", out)
	}
	e.must(t, 0, "verify", "--bundle", bundle, "--trust-bundle")
}
