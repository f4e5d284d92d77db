package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve/client"
)

// TestReceiptVerify checks a decision receipt without the server: valid,
// with a tampered manifest (exit 3), after the version is revoked (exit 8).
func TestReceiptVerify(t *testing.T) {
	e := newAttestEnv(t)
	e.seal(t, "votes", 0, 100)
	reg := e.registryFlags()
	e.must(t, 0, append([]string{"attest", "votes@1", "--key", e.stewardKeys[0], "--signatures", e.signFile(t, "votes@1", 1, reg...), "--from", e.gas}, reg...)...)
	good := filepath.Join(e.dir, "receipt.json")
	r := e.receipt(t, "votes", 1)
	writeReceipt(t, good, r)
	chainFlags := []string{"--rpc", e.Chain.RPCURL(), "--registry", e.Registry.Hex()}
	if out := e.must(t, 0, append([]string{"receipt", "verify", good}, chainFlags...)...); !strings.Contains(out, "ok   reads[0] votes@1.attestation") ||
		!strings.Contains(out, `receipt `+good+` verified: 1 version(s) read, "decision 42"`) {
		t.Fatalf("receipt verify: %s", out)
	}
	e.must(t, exitUsage, "receipt", "verify", good)

	bad := filepath.Join(e.dir, "tampered.json")
	r.Reads[0].Manifest = strings.Replace(r.Reads[0].Manifest, `"rowCount":100`, `"rowCount":101`, 1)
	writeReceipt(t, bad, r)
	if out := e.must(t, exitIntegrity, append([]string{"receipt", "verify", bad}, chainFlags...)...); !strings.Contains(out, "FAIL reads[0] votes@1.manifest") {
		t.Fatalf("tampered receipt: %s", out)
	}

	e.must(t, 0, append([]string{"revoke", "votes@1", "--reason", "bad feed", "--key", e.stewardKeys[0], "--key", e.stewardKeys[1], "--from", e.gas}, reg...)...)
	if out := e.must(t, exitAttest, append([]string{"receipt", "verify", good}, chainFlags...)...); !strings.Contains(out, "registry.revoked") {
		t.Fatalf("receipt of a revoked version: %s", out)
	}
}

// receipt builds the receipt a client writes after reading a whole version.
func (e *attestEnv) receipt(t *testing.T, dataset string, version uint64) *client.Receipt {
	t.Helper()
	ctx := context.Background()
	cat, err := store.Open(ctx, e.data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	rec, err := cat.Version(ctx, dataset, version)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := rec.Manifest.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	ev, err := catalogEvidence(ctx, cat, attest.KindRegistry, attest.StatementOf(rec.Manifest, rec.ManifestHash))
	if err != nil || ev == nil {
		t.Fatalf("evidence: %v", err)
	}
	doc, _ := ev.Marshal()
	now := time.Now().UTC()
	return &client.Receipt{Format: client.ReceiptFormat, Note: "decision 42", Server: "http://127.0.0.1:1", CreatedAt: now,
		Reads: []client.Read{{Dataset: dataset, Version: version, Statement: ev.Statement, Manifest: string(manifest), Evidence: doc, Whole: true, At: now, Rows: []client.ReadRow{}}}}
}

func writeReceipt(t *testing.T, path string, r *client.Receipt) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b))
}
