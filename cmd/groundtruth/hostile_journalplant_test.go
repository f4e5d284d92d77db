package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileJournalPlantedInCatalog is F101's catalog-only writer on the
// real Compound Bravo import: a hash-valid journal body (a forged
// quarantine insert) added to the catalog's journal table is not written
// as a journal file. A writing command exits 12 naming the entry and
// `catalog rebuild`; catalog check lists the row (exit 12); catalog
// rebuild drops it, and the next ingest runs with no new rows.
func TestHostileJournalPlantedInCatalog(t *testing.T) {
	cfg, data, _ := bravoTwoVersions(t)
	body := []byte(`{"format":"groundtruth-journal/1","at":"2027-01-01T00:00:00Z","seq":7,"statements":[{"sql":"INSERT INTO gt.quarantine VALUES (?, ?, ?, ?, ?, ?, ?)","args":[` +
		`{"t":"s","v":"qplanted"},{"t":"s","v":"compound_bravo"},{"t":"s","v":"compound-bravo"},{"t":"s","v":"run-x"},{"t":"s","v":"k"},{"t":"s","v":"{}"},{"t":"b","v":"CQkJ"}]}]}`)
	h := datasets.Hash(sha256.Sum256(body))
	rel := store.JournalPath(h)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO gt.journal VALUES (?, ?, ?)`, h.String(), time.Unix(1_900_000_000, 0), string(body)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, errOut, code := runCLI(t, nil, "ingest", "--config", cfg, "--job", "compound-bravo")
	if code != exitCatalog || !strings.Contains(errOut, rel) || !strings.Contains(errOut, "catalog rebuild") || !strings.Contains(errOut, "recorded only in the catalog") {
		t.Fatalf("ingest: exit %d (want %d naming %s): %s", code, exitCatalog, rel, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, rel)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the planted body was written to %s (%v)", rel, err)
	}
	out, errOut, code := runCLI(t, nil, "--data-dir", data, "catalog", "check")
	if code != exitCatalog || !strings.Contains(out, rel) || !strings.Contains(out, "journal entry file missing") {
		t.Fatalf("catalog check: exit %d: %s%s", code, out, errOut)
	}
	mustRun(t, "--data-dir", data, "catalog", "rebuild")
	if out := mustRun(t, "ingest", "--config", cfg, "--job", "compound-bravo"); !strings.Contains(out, "no new rows") {
		t.Fatalf("ingest after the rebuild: %q", out)
	}
	if _, err := os.Stat(filepath.Join(data, rel)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after the rebuild the planted body is at %s (%v)", rel, err)
	}
}
