package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestValidatedRunKeepsQuarantineWhenSQLFails is the regression test of
// the third defect the 3-process kill test (cmd/groundtruth TestStoreKill)
// found: when a step after a validated version's commit failed (its SQL
// copies: the test makes DATA/sql a file), the run was aborted, which
// removed the rows it had quarantined while the checkpoint had moved past
// them; they were lost. The run now ends sealed with the version, the
// quarantine kept, and the error reported.
func TestValidatedRunKeepsQuarantineWhenSQLFails(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	st, err := store.Open(ctx, root, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := os.WriteFile(filepath.Join(root, "sql"), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := hourly(start, 100, 300)
	rows[60].V *= 1.5 // a spike: quarantined
	job := testJob(t, &batchSource{batches: [][]validatorstest.Point{rows}}, nil)

	res, err := Ingest(ctx, st, job, start.Add(100*time.Hour))
	if err == nil {
		t.Fatal("the SQL step cannot write DATA/sql, yet the run reported no error")
	}
	if res == nil || res.Manifest == nil || res.Manifest.RowCount != 99 {
		t.Fatalf("the committed version is not reported: %+v (%v)", res, err)
	}
	q, qerr := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
	if qerr != nil || len(q) != 1 {
		t.Fatalf("quarantine after a failure past the commit: %d entries, %v; want the spike kept (run error: %v)", len(q), qerr, err)
	}
	var outcome string
	var version int64
	if err := st.DB().QueryRowContext(ctx, `SELECT outcome, version FROM gt.validation_runs WHERE dataset = 'prices'`).Scan(&outcome, &version); err != nil {
		t.Fatal(err)
	}
	if outcome != "sealed" || version != 1 {
		t.Fatalf("validation run %s with version %d, want sealed with 1", outcome, version)
	}
}
