package main

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/attest/offchain"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestVerifyFailures checks that every way an attested version can be wrong
// is reported by its own check with its own reason and exit code.
func TestVerifyFailures(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	e.seal(t, "votes", 0, 300)
	e.seal(t, "other", 1000, 100)
	e.seal(t, "gone", 2000, 50)
	reg := e.registryFlags()
	offline := []string{"--backend", "registry", "--chain-id", "31337", "--registry", e.Registry.Hex()}
	sign := func(ref string, i int, chainID string) *attest.SignatureFile {
		p := filepath.Join(e.dir, ref+"-"+chainID+"-"+string(rune('0'+i))+".json")
		e.must(t, 0, "sign", ref, "--key", e.stewardKeys[i], "-o", p, "--backend", "registry", "--chain-id", chainID, "--registry", e.Registry.Hex())
		f, err := attest.ReadSignatureFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	s0, s1, s3 := sign("votes@1", 0, "31337"), sign("votes@1", 1, "31337"), sign("votes@1", 3, "31337")
	c0, c1 := sign("votes@1", 0, "1"), sign("votes@1", 1, "1")
	o0, o1 := sign("other@1", 0, "31337"), sign("other@1", 1, "31337")

	// Attest gone@1 on the registry, then revoke it.
	g1 := filepath.Join(e.dir, "gone1.json")
	e.must(t, 0, append([]string{"sign", "gone@1", "--key", e.stewardKeys[1], "-o", g1}, reg...)...)
	e.must(t, 0, append([]string{"attest", "gone@1", "--key", e.stewardKeys[0], "--signatures", g1}, reg...)...)
	// The second steward signs the revocation on their own machine (the
	// registry's nonce read with --rpc); the first adds theirs and sends it.
	r2 := filepath.Join(e.dir, "gone1.revoke.json")
	e.must(t, 0, append([]string{"sign", "gone@1", "--revoke", "--reason", "source poisoned", "--key", e.stewardKeys[2], "-o", r2}, reg...)...)
	e.must(t, 0, append([]string{"revoke", "gone@1", "--reason", "source poisoned", "--key", e.stewardKeys[0], "--signatures", r2}, reg...)...)
	if out := e.must(t, 0, "datasets", "list"); !strings.Contains(out, "revoked") {
		t.Fatalf("datasets list after revoke: %s", out)
	}
	out := e.must(t, exitAttest, append([]string{"--json", "verify", "gone@1"}, reg...)...)
	if !strings.Contains(out, `"check": "registry.revoked"`) || !strings.Contains(out, `"ok": false`) {
		t.Fatalf("verify --json of a revoked version: %s", out)
	}

	cat, err := store.Open(ctx, e.data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	votes, _ := cat.Version(ctx, "votes", 1)
	other, _ := cat.Version(ctx, "other", 1)
	cat.Close()
	stVotes := attest.StatementOf(votes.Manifest, votes.ManifestHash)
	stOther := attest.StatementOf(other.Manifest, other.ManifestHash)
	regTarget := attest.Target{Backend: attest.KindRegistry, ChainID: 31337, Contract: e.Registry}
	evidence := func(target attest.Target, st attest.Statement, sigs ...*attest.SignatureFile) *attest.Evidence {
		ev := attest.NewEvidence(target, st)
		ev.Signatures = sigs
		return ev
	}
	// Off-chain attestations signed two days ago, valid for an hour.
	ob, err := offchain.New(ctx, offchain.Config{ChainID: 31337, Address: e.EAS.EAS, Version: "1.4.0"})
	if err != nil {
		t.Fatal(err)
	}
	var expired []*attest.SignatureFile
	for _, i := range []int{0, 1} {
		f, err := ob.Sign(ctx, e.Stewards[i], stVotes, attest.SignOptions{Now: time.Now().Add(-48 * time.Hour), Validity: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		expired = append(expired, f)
	}

	flip := func(suffix string, edit func([]byte) []byte) func(string, []byte) []byte {
		return func(name string, b []byte) []byte {
			if strings.HasSuffix(name, suffix) && strings.HasPrefix(name, "segments/") == (suffix == ".arrow") {
				return edit(b)
			}
			return b
		}
	}
	good := evidence(regTarget, stVotes, s0, s1)
	cases := []struct {
		name   string
		ev     *attest.Evidence
		tamper func(string, []byte) []byte
		args   []string // instead of a bundle
		code   int
		check  string
		detail string
	}{
		{name: "good", ev: good, code: 0, check: "threshold", detail: "2 of 3 stewards attested"},
		{name: "tampered segment", ev: good, code: exitIntegrity, check: "segments[0].sha256", detail: "file hashes to",
			tamper: flip(".arrow", func(b []byte) []byte { b[len(b)/2] ^= 1; return b })},
		{name: "tampered manifest", ev: good, code: exitIntegrity, check: "manifest.hash", detail: "sha256 of the manifest is",
			tamper: func(name string, b []byte) []byte {
				if strings.HasPrefix(name, "manifests/") {
					return bytes.Replace(b, []byte(`"rowCount":300`), []byte(`"rowCount":299`), 1)
				}
				return b
			}},
		{name: "signature by a non-steward", ev: evidence(regTarget, stVotes, s0, s3), code: exitAttest,
			check: "signatures[1].steward", detail: "not an authorised steward"},
		{name: "below threshold", ev: evidence(regTarget, stVotes, s0), code: exitPending,
			check: "threshold", detail: "1 valid steward signature(s) of the 2 needed"},
		{name: "revoked", args: append([]string{"verify", "gone@1"}, reg...), code: exitAttest,
			check: "registry.revoked", detail: `revoked on the registry: "source poisoned"`},
		{name: "attested on another chain", ev: evidence(attest.Target{Backend: attest.KindRegistry, ChainID: 1, Contract: e.Registry}, stVotes, c0, c1),
			code: exitAttest, check: "signatures[0].chain", detail: "signed for chain 1, expected chain 31337"},
		{name: "another dataset's attestation replayed", ev: evidence(regTarget, stOther, o0, o1), code: exitAttest,
			check: "signatures[0].statement", detail: "signs other@1"},
		{name: "expired", ev: evidence(ob.Target(), stVotes, expired...), code: exitAttest, check: "signatures[0].expiry", detail: "expired at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if args == nil {
				p := filepath.Join(t.TempDir(), "b.tar")
				writeBundle(t, e.data, votes, c.ev, c.tamper, p)
				args = append([]string{"verify", "--bundle", p}, e.stewardFlags()...)
				if c.ev.Target.Backend == attest.KindOffchain {
					args = append(args, "--chain-id", "31337", "--eas", e.EAS.EAS.Hex())
				} else {
					args = append(args, offline[2:]...)
				}
			}
			out := e.must(t, c.code, args...)
			var found bool
			for _, line := range strings.Split(out, "\n") {
				f := strings.Fields(line)
				if len(f) > 1 && f[1] == c.check && (f[0] == "FAIL") == (c.code != 0) && strings.Contains(line, c.detail) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no %s line for %s with %q:\n%s", map[bool]string{true: "FAIL", false: "ok"}[c.code != 0], c.check, c.detail, out)
			}
		})
	}
}

// writeBundle writes a bundle of rec with evidence ev, passing every member
// through tamper when it is set.
func writeBundle(t *testing.T, root string, rec *store.VersionRecord, ev *attest.Evidence, tamper func(string, []byte) []byte, path string) {
	t.Helper()
	var buf bytes.Buffer
	if err := attest.WriteBundle(context.Background(), &buf, root, rec.Manifest, rec.ManifestHash, ev); err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		var out bytes.Buffer
		tr, tw := tar.NewReader(&buf), tar.NewWriter(&out)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(tr)
			b = tamper(h.Name, b)
			h.Size = int64(len(b))
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			tw.Write(b)
		}
		tw.Close()
		buf = out
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
