package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileCatalogRollback is round 2's F104: a catalog restored from a
// backup taken before a revocation (the journal records the revocation,
// the catalog does not) must not let export, query, verify or show certify
// the revoked version: they exit 12 with the rebuild hint; after the
// rebuild the version is revoked again.
func TestHostileCatalogRollback(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	sealNotesVersion(t, data, []string{"a", "b"})
	ctx := context.Background()
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetVersionStatus(ctx, "notes", 1, attest.StatusAttested); err != nil {
		t.Fatal(err)
	}
	st.Close()
	recordEvidence(t, data, "notes", 1)
	if _, errOut, code := runCLI(t, nil, "--data-dir", data, "datasets", "export", "notes@1", "--format", "csv", "-o", filepath.Join(dir, "before.csv")); code != 0 {
		t.Fatalf("export before the revocation: exit %d\n%s", code, errOut)
	}
	backup, err := os.ReadFile(filepath.Join(data, store.CatalogFile)) // closed: no WAL left
	if err != nil {
		t.Fatal(err)
	}
	if st, err = store.Open(ctx, data, store.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutRevocation(ctx, "notes", 1, store.RevocationRecord{Backend: "registry", Reason: "leaked", Ref: "notes@1", RevokedBy: "0x01", RevokedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(filepath.Join(data, store.CatalogFile+suffix))
	}
	if err := os.WriteFile(filepath.Join(data, store.CatalogFile), backup, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"datasets", "export", "notes@1", "--format", "csv", "-o", filepath.Join(dir, "after.csv")},
		{"query", "select count(*) from notes"},
		{"verify", "notes@1"},
		{"datasets", "show", "notes@1"},
	} {
		_, errOut, code := runCLI(t, nil, append([]string{"--data-dir", data}, args...)...)
		if code != exitCatalog || !strings.Contains(errOut, "journal entries") || !strings.Contains(errOut, "catalog rebuild") {
			t.Errorf("%s on a rolled-back catalog: exit %d, want %d with the rebuild hint\n%s", args[0]+" "+args[1], code, exitCatalog, errOut)
		}
	}
	mustRun(t, "--data-dir", data, "catalog", "rebuild")
	if _, errOut, code := runCLI(t, nil, "--data-dir", data, "datasets", "export", "notes@1", "-o", filepath.Join(dir, "rebuilt.parquet")); code != exitAttest || !strings.Contains(errOut, "revoked") {
		t.Errorf("export after the rebuild: exit %d, want %d (revoked)\n%s", code, exitAttest, errOut)
	}
}
