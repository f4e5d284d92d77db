package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestHostileVerifyForgedStewardSet is issue #13 F105: a catalog writer
// signs a sealed version with their own key and records evidence declaring
// that key the only steward (k = 1), status attested. verify must not take
// the trust root from that evidence: without -c, --stewards or the chain it
// cannot decide (exit 8, saying so); query's "D" applies serve's rule (no
// anchored evidence, no "D"); export refuses as before. Only a steward set
// the user gives makes the signature count.
func TestHostileVerifyForgedStewardSet(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	sealNotesVersion(t, data, []string{"a", "b"})
	env := map[string]string{"GROUNDTRUTH_KEY_PASSWORD": testPassword}
	key := testchain.DeterministicKey(4242)
	atk := crypto.PubkeyToAddress(key.PublicKey)
	hexFile := filepath.Join(dir, "atk.hex")
	writeFile(t, hexFile, hex.EncodeToString(crypto.FromECDSA(key))+"\n")
	if out, errOut, code := runCLI(t, env, "keys", "import", hexFile, "--keystore", filepath.Join(dir, "keys"), "--name", "atk", "--lightkdf"); code != 0 {
		t.Fatalf("keys import: exit %d\n%s%s", code, out, errOut)
	}
	registry := "0x1678F1042acd9cbA62e7DDD87918a0CD3306D377"
	sigPath := filepath.Join(dir, "atk.sig.json")
	if out, errOut, code := runCLI(t, env, "--data-dir", data, "sign", "notes@1", "--key", filepath.Join(dir, "keys", "atk.json"),
		"--backend", "registry", "--registry", registry, "--chain-id", "1337", "--stewards", atk.Hex(), "--threshold", "1", "-o", sigPath); code != 0 {
		t.Fatalf("sign: exit %d\n%s%s", code, out, errOut)
	}
	sf, err := attest.ReadSignatureFile(sigPath)
	if err != nil {
		t.Fatal(err)
	}
	ev := attest.NewEvidence(attest.Target{Backend: attest.KindRegistry, ChainID: 1337, Contract: common.HexToAddress(registry)}, sf.Statement)
	ev.AddSignature(sf)
	ev.DeclaredTrust = &attest.Trust{Stewards: []common.Address{atk}, Threshold: 1, ChainID: 1337, Contract: common.HexToAddress(registry)}
	doc, err := ev.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutAttestation(ctx, "notes", 1, attest.KindRegistry, "", doc); err != nil {
		t.Fatal(err)
	}
	if err := st.SetVersionStatus(ctx, "notes", 1, attest.StatusAttested); err != nil {
		t.Fatal(err)
	}
	st.Close()

	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"verify --attested", []string{"verify", "notes@1", "--attested"}, exitAttest, "verify cannot decide whether it is attested"},
		{"verify", []string{"verify", "notes@1"}, exitAttest, "the evidence's own steward set is not trusted"},
		{"query D", []string{"query", "select count(*) from notes"}, exitUsage, "notes@1"},
		{"export", []string{"datasets", "export", "notes@1", "--format", "csv", "-o", "-"}, exitAttest, "no attestation evidence"},
		{"query D@N", []string{"query", "--format", "csv", `select count(*) from "notes@1"`}, 0, "\n3\n"},
		{"the user's own steward set", []string{"verify", "notes@1", "--stewards", atk.Hex(), "--threshold", "1"}, 0, "notes@1 attested: 1 of k = 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, append([]string{"--data-dir", data}, tc.args...)...)
			if code != tc.code || !strings.Contains(out+errOut, tc.says) {
				t.Fatalf("%s: exit %d (want %d), want %q:\n%s%s", strings.Join(tc.args, " "), code, tc.code, tc.says, out, errOut)
			}
		})
	}
}

// sealWithReport seals votes@1 with a validation report written where the
// pipeline writes it, and returns the report's path.
func sealWithReport(t *testing.T, data string) string {
	t.Helper()
	ctx := context.Background()
	report := []byte(`{"findings":[{"code":"gaming.sybil_cluster","passed":false,"message":"3 voters share a funder"}]}`)
	h := datasets.Hash(sha256.Sum256(report))
	p := filepath.Join(data, filepath.FromSlash(datasets.ReportPath(h)))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, report, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{ReportHash: &h})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, 0, 20)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostileVerifyReport is issue #13 F110: verify re-hashes the signed
// validation report against the manifest's reportHash (a rewritten or
// missing report fails with exit 3 naming the file), bundle carries the
// report, and verify --bundle checks it.
func TestHostileVerifyReport(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	report := sealWithReport(t, data)
	rel := strings.TrimPrefix(filepath.ToSlash(report), filepath.ToSlash(data)+"/")
	cli := func(want int, says string, args ...string) {
		t.Helper()
		out, errOut, code := runCLI(t, nil, append([]string{"--data-dir", data}, args...)...)
		if code != want || !strings.Contains(out+errOut, says) {
			t.Fatalf("%s: exit %d (want %d), want %q:\n%s%s", strings.Join(args, " "), code, want, says, out, errOut)
		}
	}
	cli(0, "ok   report", "verify", "votes@1")
	good := filepath.Join(dir, "good.tar")
	cli(0, "", "bundle", "votes@1", "-o", good)
	cli(0, "ok   report", "verify", "--bundle", good, "--files-only")

	orig, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, report, `{"findings":[]}`) // the sybil finding removed
	cli(exitIntegrity, "FAIL report", "verify", "votes@1")
	cli(exitIntegrity, rel, "verify", "votes@1")
	bad := filepath.Join(dir, "bad.tar")
	cli(0, "", "bundle", "votes@1", "-o", bad)
	cli(exitIntegrity, "FAIL report", "verify", "--bundle", bad, "--files-only")
	cli(0, "ok   report", "verify", "--bundle", good, "--files-only")

	if err := os.Remove(report); err != nil {
		t.Fatal(err)
	}
	cli(exitIntegrity, "is missing", "verify", "votes@1")
	writeFile(t, report, string(orig))
	cli(0, "ok   report", "verify", "votes@1")
}

// TestHostileRolledBackCatalogKeepsRevocation is issue #13 F104: votes@1 is
// attested on the registry, then revoked; the catalog is replaced by a
// backup from before the revocation. The journal still records the
// revocation, which the catalog does not: export, query and verify (even
// with the right steward set) refuse the catalog with the rebuild hint
// (exit 12) rather than certify votes@1, catalog check lists the
// catalog's missing journal entries (exit 12) and a writing command
// refuses with the rebuild hint (exit 12). `datasets list`, which goes on
// over such a catalog with a warning, shows votes@1 revoked: the
// journal's revocation wins over the catalog's status.
func TestHostileRolledBackCatalogKeepsRevocation(t *testing.T) {
	e := newAttestEnv(t)
	e.seal(t, "votes", 0, 50)
	reg := e.registryFlags()
	var sigs []string
	for i := range 2 {
		p := filepath.Join(e.dir, "s"+string(rune('0'+i))+".json")
		e.must(t, 0, append([]string{"sign", "votes@1", "--key", e.stewardKeys[i], "-o", p}, reg...)...)
		sigs = append(sigs, p)
	}
	e.must(t, 0, append([]string{"attest", "votes@1", "--signatures", strings.Join(sigs, ","), "--from", e.gas}, reg...)...)
	offline := append([]string{"--backend", "registry", "--chain-id", "31337", "--registry", e.Registry.Hex()}, e.stewardFlags()...)
	e.must(t, 0, append([]string{"verify", "votes@1"}, offline...)...)

	cat := filepath.Join(e.data, "catalog.sqlite")
	backup := filepath.Join(e.dir, "catalog.prerevoke.bak")
	copyFile(t, cat, backup)
	e.must(t, 0, append([]string{"revoke", "votes@1", "--reason", "source poisoned", "--key", e.stewardKeys[0], "--key", e.stewardKeys[1], "--from", e.gas}, reg...)...)
	copyFile(t, backup, cat)
	for _, x := range []string{"-wal", "-shm"} {
		if err := os.Remove(cat + x); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"export", []string{"datasets", "export", "votes@1", "--format", "csv", "-o", "-"}, exitCatalog, "catalog rebuild"},
		{"query D", []string{"query", "select count(*) from votes"}, exitCatalog, "catalog rebuild"},
		{"verify", append([]string{"verify", "votes@1"}, offline...), exitCatalog, "catalog rebuild"},
		{"datasets list", []string{"datasets", "list", "--json"}, 0, `"revoked"`},
		{"catalog check", []string{"catalog", "check"}, exitCatalog, "journal entries the catalog does not record"},
		{"a writing command", append([]string{"attest", "votes@1", "--signatures", strings.Join(sigs, ","), "--from", e.gas}, reg...), exitCatalog, "catalog rebuild"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := e.run(t, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.says) {
				t.Fatalf("%s: exit %d (want %d), want %q:\n%s%s", strings.Join(tc.args, " "), code, tc.code, tc.says, out, errOut)
			}
		})
	}
}
