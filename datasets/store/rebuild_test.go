package store_test

import (
	"context"
	"database/sql"
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
)

// catalogTables are the catalog tables a rebuild must restore exactly, with
// the columns compared (segment ids and the SQL load flags are derived).
var catalogTables = map[string]string{
	"gt.datasets":        "*",
	"gt.versions":        "*",
	"gt.checkpoints":     "*",
	"gt.runs":            "*",
	"gt.validation_runs": "*",
	"gt.findings":        "*",
	"gt.flagged_rows":    "*",
	"gt.quarantine":      "*",
	"gt.metrics":         "*",
	"gt.lineage":         "*",
	"gt.signatures":      "*",
	"gt.attestations":    "*",
	"gt.revocations":     "*",
	"gt.steward_keys":    "*",
	"gt.journal":         "*",
	"gt.segments":        "dataset, sha256, path, rows, bytes",
}

// dumpCatalog renders every row of the compared tables as text.
func dumpCatalog(t *testing.T, db *catalogdb.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	skip := map[string]bool{"segments.id": true, "segments.loaded": true}
	for table := range catalogTables {
		name := strings.TrimPrefix(table, "gt.")
		out[table] = dumpTable(t, func(q string) (*sql.Rows, error) { return db.QueryContext(context.Background(), q) }, name, skip) + "\n"
	}
	return out
}

// fillCatalog makes every kind of catalog fact: versions with a job and a
// note, checkpoints, a validation run with findings, quarantine and a
// decision, a run, signatures, attestations, a revocation, a steward key.
// afterFirst runs after the first version.
func fillCatalog(t *testing.T, s *store.Store, afterFirst func()) {
	t.Helper()
	ctx := context.Background()
	seal(t, s, 0, 500, store.WriteOptions{Job: "j", Checkpoint: []byte("500")})
	afterFirst()
	run := &store.ValidationRun{ID: "run-1", Job: "j", Dataset: "votes", Outcome: store.RunPending,
		ReportHash: datasets.Hash{1}, ReportJSON: []byte(`{"report":1}`), Cursor: []byte("900"),
		Findings:   []store.FindingRecord{{Code: "poisoning.duplicate_row", Severity: "warn", Validator: "dup", Action: "quarantine", Subject: "row", Message: "m", RowKeys: []string{"k1"}}},
		Quarantine: []store.QuarantineEntry{{ID: "q00000001", RowKey: "k1", RowJSON: json.RawMessage(`{"a":1}`), RowIPC: []byte{0, 1, 2, 255}, Codes: []string{"c"}, Reasons: []string{"r"}}},
		Metrics:    []byte(`{"m":1}`), MetricsRows: 3, MetricsInput: 4, Now: time.Unix(1_800_000_000, 0)}
	must(t, s.SaveValidationRun(ctx, run))
	m2 := seal(t, s, 500, 900, store.WriteOptions{Job: "j", Checkpoint: []byte("900")})
	must(t, s.FinishValidationRun(ctx, "run-1", &m2.Version))
	keep := uint64(700)
	seal(t, s, 900, 950, store.WriteOptions{Job: "j", Checkpoint: []byte("reorg"), KeepRows: &keep, Note: "reorg at block 7"})
	_, err := s.DecideQuarantine(ctx, "q00000001", store.Decision{Status: store.QuarantineApproved, Steward: "alice", Note: "ok", Signature: "0xab", At: time.Unix(1_800_000_100, 0)})
	must(t, err)
	must(t, s.StartRun(ctx, &store.RunRecord{ID: "r1", Job: "j", Dataset: "votes", Started: time.Unix(1_800_000_000, 0), Trigger: "schedule", Attempt: 1}))
	must(t, s.FinishRun(ctx, &store.RunRecord{ID: "r1", Outcome: "sealed", RowsIn: 10, Version: &m2.Version, Findings: map[string]uint64{"warn": 1}}))
	must(t, s.PutSignature(ctx, "votes", 1, "registry", "0xA1", []byte(`{"sig":1}`)))
	must(t, s.PutAttestation(ctx, "votes", 1, "registry", "0xtx", []byte(`{"evidence":1}`)))
	must(t, s.SetVersionStatus(ctx, "votes", 1, "attested"))
	must(t, s.SetVersionStatus(ctx, "votes", 2, "pending"))
	must(t, s.PutRevocation(ctx, "votes", 3, store.RevocationRecord{Backend: "registry", Reason: "bad", RevokedBy: "0xA1", RevokedAt: time.Unix(1_800_000_200, 0)}))
	must(t, s.PutStewardKey(ctx, store.StewardKey{Address: "0xA1", Name: "alice", Keystore: "keys/alice.json", AddedAt: time.Unix(1_800_000_000, 0)}))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestRebuildRestoresTheCatalog fills a catalog with every kind of fact,
// loses it (removed, or replaced by an older backup), rebuilds it from the
// files alone and expects every table, the dataset list and every version
// to be as before, and the old catalog kept aside.
func TestRebuildRestoresTheCatalog(t *testing.T) {
	for _, loss := range []string{"removed", "older backup", "made before the journal"} {
		t.Run(loss, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			s := openStore(t, root)
			backup := filepath.Join(t.TempDir(), "old.sqlite")
			fillCatalog(t, s, func() {
				if _, err := s.DB().ExecContext(ctx, "VACUUM INTO '"+backup+"'"); err != nil {
					t.Fatal(err)
				}
			})
			before := dumpCatalog(t, s.DB())
			list, _ := s.Datasets(ctx)
			s.Close()
			switch loss {
			case "removed":
				os.Remove(filepath.Join(root, store.CatalogFile))
			case "older backup":
				copyFile(t, backup, filepath.Join(root, store.CatalogFile))
			default:
				// A catalog written before the journal existed: the next
				// writing open records its facts in the journal.
				s = openStore(t, root)
				if _, err := s.DB().ExecContext(ctx, `DELETE FROM gt.journal`); err != nil {
					t.Fatal(err)
				}
				s.Close()
				os.RemoveAll(filepath.Join(root, "journal"))
				openStore(t, root).Close()
				delete(before, "gt.journal")
				os.Remove(filepath.Join(root, store.CatalogFile))
			}
			os.Remove(filepath.Join(root, store.CatalogFile+"-wal"))
			os.Remove(filepath.Join(root, store.CatalogFile+"-shm"))
			if _, err := store.Open(ctx, root, store.Options{}); !errors.Is(err, store.ErrCatalogStale) {
				t.Fatalf("open before the rebuild: %v", err)
			}
			s, err := store.Open(ctx, root, store.Options{AllowStale: true})
			must(t, err)
			defer s.Close()
			rep, err := s.Rebuild(ctx)
			must(t, err)
			if rep.Versions != 3 || rep.Datasets != 1 || len(rep.Skipped) != 0 || (loss == "older backup") != (rep.Replaced != "") || rep.JournalEntries == 0 {
				t.Fatalf("rebuild report: %+v", rep)
			}
			after := dumpCatalog(t, s.DB())
			for table := range before {
				if b, a := strings.Split(before[table], "\n"), strings.Split(after[table], "\n"); before[table] != after[table] {
					i := 0
					for i < min(len(a), len(b))-1 && a[i] == b[i] {
						i++
					}
					t.Errorf("%s differs after the rebuild (%d rows before, %d after); first difference:\n%.600s\n%.600s", table, len(b)-1, len(a)-1, b[i], a[i])
				}
			}
			list2, _ := s.Datasets(ctx)
			a, _ := json.Marshal(list)
			b, _ := json.Marshal(list2)
			if string(a) != string(b) {
				t.Errorf("datasets list: %s, want %s", b, a)
			}
			for v := uint64(1); v <= 3; v++ {
				if ver, err := s.Verify(ctx, "votes", v); err != nil || ver.Err() != nil {
					t.Fatalf("votes@%d: %v %v", v, err, ver.Err())
				}
			}
			if n := count(t, s, `SELECT count(*) FROM "votes@3"`); n != 750 {
				t.Fatalf("%d rows queryable, want 750", n)
			}
			if rep, err := s.Check(ctx); err != nil || !rep.Clean() {
				t.Fatalf("check after the rebuild: %+v %v", rep, err)
			}
		})
	}
}
