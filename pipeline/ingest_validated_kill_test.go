package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestValidatedRunLosesNothingWhenSQLCopyFails is the regression test of
// the third defect the 3-process kill test (cmd/groundtruth TestStoreKill)
// found: when the SQL copies failed after a validated version's commit,
// the run was aborted, which removed the rows it had quarantined while the
// checkpoint had moved past them; they were lost. (A version that commits
// is now finished even when a later step fails.) Since the copies are
// written inside the seal, a copy that cannot be written (the test makes
// DATA/sql a file) fails the seal before the commit: no version, the
// checkpoint where it was, the run's quarantine removed with it; the next
// run, with DATA/sql writable, seals the same rows and quarantines the
// spike again: no row is lost.
func TestValidatedRunLosesNothingWhenSQLCopyFails(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	st, err := store.Open(ctx, root, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sqlDir := filepath.Join(root, "sql")
	if err := os.WriteFile(sqlDir, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := hourly(start, 100, 300)
	rows[60].V *= 1.5 // a spike: quarantined
	job := testJob(t, &batchSource{batches: [][]validatorstest.Point{rows, rows}}, nil)

	res, err := Ingest(ctx, st, job, start.Add(100*time.Hour))
	if err == nil {
		t.Fatal("the seal cannot write DATA/sql, yet the run reported no error")
	}
	if res != nil && res.Manifest != nil {
		t.Fatalf("a version committed although its SQL copy failed: %+v", res.Manifest)
	}
	if vs, err := st.Versions(ctx, "prices"); (err != nil && !errors.Is(err, store.ErrNotFound)) || len(vs) != 0 {
		t.Fatalf("versions after the failed seal: %d, %v", len(vs), err)
	}
	if q, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"}); err != nil || len(q) != 0 {
		t.Fatalf("quarantine of the aborted run: %d entries, %v", len(q), err)
	}
	if err := os.Remove(sqlDir); err != nil {
		t.Fatal(err)
	}
	res, err = Ingest(ctx, st, job, start.Add(100*time.Hour))
	if err != nil || res == nil || res.Manifest == nil || res.Manifest.RowCount != 99 {
		t.Fatalf("the run after the fault: %+v, %v; want 99 rows sealed", res, err)
	}
	q, qerr := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
	if qerr != nil || len(q) != 1 {
		t.Fatalf("quarantine after the second run: %d entries, %v; want the spike", len(q), qerr)
	}
}
