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
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestQuarantineRowAgainstJournal is F101's regression test: a held row
// rewritten in the catalog (row_ipc and row_json) before any decision is
// refused by CheckQuarantineRow and by DecideQuarantine with
// ErrQuarantineTampered naming the entry and the journal file, because the
// journal file that inserted the entry (hash-named, read from disk) holds
// the row as quarantined. So are a missing or rewritten journal file;
// a forged copy of the body in the catalog's journal table, a lost index
// row, or a forged hash-valid journal entry added beside the genuine one
// (every file named must agree) change nothing. On SQLite and PostgreSQL.
func TestQuarantineRowAgainstJournal(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, s *store.Store, root, journalFile string)
		says   string // "": the row checks and a decision is recorded
	}{
		{"untouched", func(*testing.T, *store.Store, string, string) {}, ""},
		{"index row lost", func(t *testing.T, s *store.Store, _, _ string) {
			dbExec(t, s, `DELETE FROM gt.quarantine_journal`)
		}, ""},
		{"row edited", func(t *testing.T, s *store.Store, _, _ string) {
			dbExec(t, s, `UPDATE gt.quarantine SET row_ipc = ?, row_json = ? WHERE id = ?`, []byte{9, 9, 9}, `{"price":1.5}`, qEntry)
		}, "recorded a different row"},
		{"row edited, index lost", func(t *testing.T, s *store.Store, _, _ string) {
			dbExec(t, s, `UPDATE gt.quarantine SET row_ipc = ? WHERE id = ?`, []byte{9, 9, 9}, qEntry)
			dbExec(t, s, `DELETE FROM gt.quarantine_journal`)
		}, "recorded a different row"},
		{"row and the catalog's journal body edited", func(t *testing.T, s *store.Store, _, _ string) {
			dbExec(t, s, `UPDATE gt.quarantine SET row_ipc = ? WHERE id = ?`, []byte{9, 9, 9}, qEntry)
			dbExec(t, s, `UPDATE gt.journal SET body = replace(body, '"AQID"', '"CQkJ"')`) // base64 of 1 2 3 → 9 9 9
		}, "recorded a different row"},
		{"forged journal entry added beside the genuine one", func(t *testing.T, s *store.Store, root, _ string) {
			dbExec(t, s, `UPDATE gt.quarantine SET row_ipc = ? WHERE id = ?`, []byte{9, 9, 9}, qEntry)
			body := []byte(`{"format":"groundtruth-journal/1","at":"2027-01-01T00:00:00Z","seq":1,"statements":[{"sql":"INSERT INTO gt.quarantine VALUES (?, ?, ?, ?, ?, ?, ?)","args":[` +
				`{"t":"s","v":"` + qEntry + `"},{"t":"s","v":"prices"},{"t":"s","v":"j"},{"t":"s","v":"run-1"},{"t":"s","v":"k"},{"t":"s","v":"{}"},{"t":"b","v":"CQkJ"}]}]}`)
			h := datasets.Hash(sha256.Sum256(body))
			must(t, os.MkdirAll(filepath.Dir(filepath.Join(root, store.JournalPath(h))), 0o755))
			must(t, os.WriteFile(filepath.Join(root, store.JournalPath(h)), body, 0o644))
			dbExec(t, s, `INSERT INTO gt.journal VALUES (?, ?, ?)`, h.String(), time.Unix(1_900_000_000, 0), string(body))
			dbExec(t, s, `INSERT INTO gt.quarantine_journal VALUES (?, ?)`, qEntry, h.String())
		}, "recorded a different row"},
		{"journal file missing", func(t *testing.T, _ *store.Store, root, rel string) {
			must(t, os.Remove(filepath.Join(root, rel)))
		}, "is missing"},
		{"journal file rewritten", func(t *testing.T, _ *store.Store, root, rel string) {
			p := filepath.Join(root, rel)
			b, err := os.ReadFile(p)
			must(t, err)
			must(t, os.WriteFile(p, []byte(strings.Replace(string(b), `"AQID"`, `"CQkJ"`, 1)), 0o644))
		}, "does not hash to its name"},
		{"entry's journal rows all gone", func(t *testing.T, s *store.Store, _, _ string) {
			dbExec(t, s, `DELETE FROM gt.quarantine_journal`)
			dbExec(t, s, `DELETE FROM gt.journal`)
		}, "no journal entry records its insert"},
	}
	pg := testpg.Start(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, tc := range cases {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				root, opts := t.TempDir(), store.Options{}
				if backend == "postgres" {
					opts.Catalog = pg.NewDatabase(t)
				}
				s, err := store.Open(ctx, root, opts)
				must(t, err)
				defer s.Close()
				must(t, s.SaveValidationRun(ctx, &store.ValidationRun{ID: "run-1", Job: "j", Dataset: "prices", Outcome: store.RunPending,
					ReportHash: datasets.Hash{1}, ReportJSON: []byte(`{}`), Cursor: []byte("c"), Now: time.Unix(1_800_000_000, 0),
					Quarantine: []store.QuarantineEntry{{ID: qEntry, RowKey: "k", RowJSON: json.RawMessage(`{"price":41.88}`), RowIPC: []byte{1, 2, 3}, Codes: []string{"c"}, Reasons: []string{"r"}}}}))
				must(t, s.FinishValidationRun(ctx, "run-1", nil))
				var h string
				must(t, s.DB().QueryRowContext(ctx, `SELECT hash FROM gt.quarantine_journal WHERE id = ?`, qEntry).Scan(&h))
				hash, err := datasets.ParseHash(h)
				must(t, err)
				rel := store.JournalPath(hash)
				tc.damage(t, s, root, rel)

				e, err := s.QuarantineGet(ctx, qEntry)
				must(t, err)
				checkErr := s.CheckQuarantineRow(ctx, e)
				_, decideErr := s.DecideQuarantine(ctx, qEntry, store.Decision{Status: store.QuarantineApproved, Steward: "alice", At: time.Unix(1_800_000_100, 0)})
				if tc.says == "" {
					if checkErr != nil || decideErr != nil {
						t.Fatalf("an untouched row: check %v, decision %v", checkErr, decideErr)
					}
					return
				}
				for _, err := range []error{checkErr, decideErr} {
					if !errors.Is(err, store.ErrQuarantineTampered) || !errors.Is(err, datasets.ErrIntegrity) || !strings.Contains(err.Error(), qEntry) || !strings.Contains(err.Error(), tc.says) {
						t.Fatalf("got %v, want ErrQuarantineTampered naming %s and saying %q", err, qEntry, tc.says)
					}
				}
				if tc.says != "no journal entry records its insert" && !strings.Contains(checkErr.Error(), rel) {
					t.Fatalf("%v does not name the journal file %s", checkErr, rel)
				}
				if e, err = s.QuarantineGet(ctx, qEntry); err != nil || e.Status != store.QuarantinePending {
					t.Fatalf("after the refused decision: %+v, %v; want it still pending", e, err)
				}
			})
		}
	}
}

// qEntry is the quarantine entry of TestQuarantineRowAgainstJournal.
const qEntry = "q0123456789abcdef"

func dbExec(t *testing.T, s *store.Store, q string, args ...any) {
	t.Helper()
	if _, err := s.DB().ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestCopyCatalogIndexesQuarantineJournal: a catalog copy (CopyCatalogTo,
// as `catalog migrate` makes) rebuilds the derived index of the journal
// entries that inserted each quarantine entry from the copied journal, so
// a copied catalog checks held rows without the fallback search.
func TestCopyCatalogIndexesQuarantineJournal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := openStore(t, t.TempDir())
	defer s.Close()
	must(t, s.SaveValidationRun(ctx, &store.ValidationRun{ID: "run-1", Job: "j", Dataset: "prices", Outcome: store.RunPending,
		ReportHash: datasets.Hash{1}, ReportJSON: []byte(`{}`), Cursor: []byte("c"), Now: time.Unix(1_800_000_000, 0),
		Quarantine: []store.QuarantineEntry{{ID: qEntry, RowKey: "k", RowJSON: json.RawMessage(`{"price":41.88}`), RowIPC: []byte{1, 2, 3}}}}))
	var want string
	must(t, s.DB().QueryRowContext(ctx, `SELECT hash FROM gt.quarantine_journal WHERE id = ?`, qEntry).Scan(&want))
	to, err := catalogdb.Open(ctx, filepath.Join(t.TempDir(), "copy.sqlite"), catalogdb.Options{})
	must(t, err)
	defer to.Close()
	if _, err := s.CopyCatalogTo(ctx, to); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := to.QueryRowContext(ctx, `SELECT hash FROM gt.quarantine_journal WHERE id = ?`, qEntry).Scan(&got); err != nil || got != want {
		t.Fatalf("the copy's index: %q %v, want %s", got, err, want)
	}
}
