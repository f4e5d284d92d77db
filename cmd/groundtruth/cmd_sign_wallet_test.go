package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSignWithWallets attests a version 2-of-3 with one keystore signature
// and one made by a third-party signer (Foundry's cast over the typed data
// sign --typed-data wrote), refuses imported signatures that are not a
// steward's, and signs every pending version with sign --pending.
func TestSignWithWallets(t *testing.T) {
	e := newAttestEnv(t)
	e.seal(t, "votes", 0, 100)
	e.seal(t, "votes", 100, 100)
	e.seal(t, "votes", 200, 100)
	reg := e.registryFlags()
	td := filepath.Join(e.dir, "votes1.typed.json")
	if out := e.must(t, 0, append([]string{"sign", "votes@1", "--typed-data", td}, reg...)...); !strings.Contains(out, "sign it with eth_signTypedData_v4") {
		t.Fatalf("sign --typed-data: %s", out)
	}
	s1 := filepath.Join(e.dir, "s1.json")
	out := e.must(t, 0, append([]string{"sign", "votes@1", "--signature", e.castSign(t, td, 1), "-o", s1}, reg...)...)
	if !strings.Contains(out, e.Stewards[1].Address().Hex()+" signed votes@1 for registry") {
		t.Fatalf("sign --signature: %s", out)
	}
	out = e.must(t, 0, append([]string{"attest", "votes@1", "--key", e.stewardKeys[0], "--signatures", s1, "--from", e.gas}, reg...)...)
	if !strings.Contains(out, "votes@1 attested on registry (2 of k = 2)") {
		t.Fatalf("attest with the cast signature: %s", out)
	}
	bad := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not a steward", []string{"sign", "votes@1", "--signature", e.castSign(t, td, 3)}, exitAttest, "which is not a steward"},
		{"another version's signature", []string{"sign", "votes@2", "--signature", e.castSign(t, td, 1)}, exitAttest, "which is not a steward"},
		{"not a signature", []string{"sign", "votes@1", "--signature", "0x1234"}, exitAttest, "a signature is 65 bytes"},
		{"both", []string{"sign", "votes@1", "--signature", "0x1234", "--typed-data", td}, exitUsage, "not both"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if out := e.must(t, c.code, append(c.args, reg...)...); !strings.Contains(out, c.want) {
				t.Fatalf("lacks %q: %s", c.want, out)
			}
		})
	}
	if out := e.must(t, exitUsage, append([]string{"sign", "votes@1", "--typed-data", td}, e.easFlags("eas")...)...); !strings.Contains(out, "work with the registry backend") {
		t.Fatalf("EAS typed data: %s", out)
	}

	// Two versions pending with steward 0's signature; steward 1 signs both.
	for _, ref := range []string{"votes@2", "votes@3"} {
		e.must(t, exitPending, append([]string{"attest", ref, "--key", e.stewardKeys[0]}, reg...)...)
	}
	out = e.must(t, 0, append([]string{"sign", "--pending", "--key", e.stewardKeys[1]}, reg...)...)
	if !strings.Contains(out, "2 pending version(s) not signed by "+e.Stewards[1].Address().Hex()+" on registry:\n  votes@2\n  votes@3\n") || strings.Count(out, "recorded in the catalog") != 2 {
		t.Fatalf("sign --pending: %s", out)
	}
	if out := e.must(t, 0, append([]string{"sign", "--pending", "--key", e.stewardKeys[1]}, reg...)...); !strings.Contains(out, "0 pending version(s)") {
		t.Fatalf("sign --pending again: %s", out)
	}
	if out := e.must(t, 0, append([]string{"sign", "--pending", "--key", e.stewardKeys[2]}, reg...)...); !strings.Contains(out, "2 pending version(s)") {
		t.Fatalf("sign --pending by another steward: %s", out)
	}
	for _, ref := range []string{"votes@2", "votes@3"} {
		if out := e.must(t, 0, append([]string{"attest", ref, "--from", e.gas}, reg...)...); !strings.Contains(out, ref+" attested on registry") {
			t.Fatalf("attest %s after sign --pending: %s", ref, out)
		}
	}
}
