package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestJournalRestoreNeedsFile is F101's catalog-only writer: a hash-valid
// journal body planted in the catalog's gt.journal (here, a quarantine
// insert of a forged held row) is never written as a journal file. The
// next writing open fails with ErrJournalUnproven (and ErrCatalogStale)
// naming the entry and creates nothing; catalog check lists the row;
// catalog rebuild drops it and writing opens work again. A genuine entry
// whose rename a crash interrupted (its staged copy in tmp/) is restored
// from the staged copy. A new catalog with planted fact rows and no
// versions is not seeded into the journal. On SQLite and PostgreSQL.
func TestJournalRestoreNeedsFile(t *testing.T) {
	pg := testpg.Start(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend+"/planted body", func(t *testing.T) {
			ctx, root, opts := journalStore(t, pg, backend, true)
			s, err := store.Open(ctx, root, opts)
			must(t, err)
			body := []byte(`{"format":"groundtruth-journal/1","at":"2027-01-01T00:00:00Z","seq":7,"statements":[{"sql":"INSERT INTO gt.quarantine VALUES (?, ?, ?, ?, ?, ?, ?)","args":[` +
				`{"t":"s","v":"qplanted"},{"t":"s","v":"prices"},{"t":"s","v":"j"},{"t":"s","v":"run-1"},{"t":"s","v":"k"},{"t":"s","v":"{}"},{"t":"b","v":"CQkJ"}]}]}`)
			h := datasets.Hash(sha256.Sum256(body))
			rel := store.JournalPath(h)
			dbExec(t, s, `INSERT INTO gt.journal VALUES (?, ?, ?)`, h.String(), time.Unix(1_900_000_000, 0), string(body))
			s.Close()

			_, err = store.Open(ctx, root, opts)
			if !errors.Is(err, store.ErrJournalUnproven) || !errors.Is(err, store.ErrCatalogStale) || !strings.Contains(err.Error(), rel) || !strings.Contains(err.Error(), "catalog rebuild") {
				t.Fatalf("writing open: %v; want ErrJournalUnproven naming %s and catalog rebuild", err, rel)
			}
			if _, err := os.Stat(filepath.Join(root, rel)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the planted body was written to %s (%v)", rel, err)
			}

			stale := opts
			stale.AllowStale = true
			s, err = store.Open(ctx, root, stale)
			must(t, err)
			rep, err := s.Check(ctx)
			must(t, err)
			if !hasProblem(rep.CatalogRowsWithoutFiles, rel) || rep.Clean() {
				t.Fatalf("check does not list %s: %+v", rel, rep.CatalogRowsWithoutFiles)
			}
			if _, err := s.Rebuild(ctx); err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			s.Close()
			s, err = store.Open(ctx, root, opts)
			if err != nil {
				t.Fatalf("writing open after the rebuild: %v", err)
			}
			defer s.Close()
			var n int
			must(t, s.DB().QueryRowContext(ctx, `SELECT count(*) FROM gt.journal WHERE hash = ?`, h.String()).Scan(&n))
			if _, err := os.Stat(filepath.Join(root, rel)); n != 0 || !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("after the rebuild: %d catalog rows, file %v", n, err)
			}
		})
		t.Run(backend+"/staged copy after a crash", func(t *testing.T) {
			ctx, root, opts := journalStore(t, pg, backend, true)
			files := journalFileList(t, root)
			if len(files) == 0 {
				t.Fatal("no journal files")
			}
			rel := files[len(files)-1]
			must(t, os.MkdirAll(filepath.Join(root, datasets.TmpDir), 0o755))
			must(t, os.Rename(filepath.Join(root, rel), filepath.Join(root, datasets.TmpDir, "journal-123456")))
			s, err := store.Open(ctx, root, opts)
			if err != nil {
				t.Fatalf("writing open with the entry staged: %v", err)
			}
			defer s.Close()
			if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
				t.Fatalf("not restored: %v", err)
			}
			if m, _ := filepath.Glob(filepath.Join(root, datasets.TmpDir, "journal-*")); len(m) != 0 {
				t.Fatalf("staged copies left: %v", m)
			}
		})
		t.Run(backend+"/no seed of a new catalog", func(t *testing.T) {
			ctx, root, opts := journalStore(t, pg, backend, false)
			s, err := store.Open(ctx, root, opts)
			must(t, err)
			dbExec(t, s, `INSERT INTO gt.checkpoints VALUES (?, ?, ?, ?, ?)`, "planted", "999", "votes", nil, time.Unix(1_900_000_000, 0))
			s.Close()
			s, err = store.Open(ctx, root, opts)
			must(t, err)
			defer s.Close()
			if files := journalFileList(t, root); len(files) != 0 {
				t.Fatalf("planted catalog rows were seeded into %v", files)
			}
		})
	}
}

// journalStore makes a data directory (with a quarantined row when
// withRun) on backend and returns how to open it.
func journalStore(t *testing.T, pg *testpg.Cluster, backend string, withRun bool) (context.Context, string, store.Options) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	root, opts := t.TempDir(), store.Options{}
	if backend == "postgres" {
		opts.Catalog = pg.NewDatabase(t)
	}
	s, err := store.Open(ctx, root, opts)
	must(t, err)
	defer s.Close()
	if withRun {
		must(t, s.SaveValidationRun(ctx, &store.ValidationRun{ID: "run-1", Job: "j", Dataset: "prices", Outcome: store.RunPending,
			ReportHash: datasets.Hash{1}, ReportJSON: []byte(`{}`), Cursor: []byte("c"), Now: time.Unix(1_800_000_000, 0),
			Quarantine: []store.QuarantineEntry{{ID: qEntry, RowKey: "k", RowJSON: json.RawMessage(`{"price":41.88}`), RowIPC: []byte{1, 2, 3}, Codes: []string{"c"}, Reasons: []string{"r"}}}}))
	}
	return ctx, root, opts
}

// journalFileList lists the journal files under root, sorted.
func journalFileList(t *testing.T, root string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, "journal", "*", "*.json"))
	must(t, err)
	var out []string
	for _, p := range m {
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func hasProblem(ps []store.FileProblem, path string) bool {
	for _, p := range ps {
		if p.Path == path {
			return true
		}
	}
	return false
}
