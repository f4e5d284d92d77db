package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileHeldRowEditedBeforeDecision is F101's pipeline half: someone
// who can write the catalog rewrites a held row (row_ipc and row_json
// alike, so F13's rowCheck sees nothing) before any decision, and a
// steward's valid signature over the forged row is recorded beside it (as
// an earlier release recorded it; this one refuses the decision). The
// writer compares the row with the journal file that quarantined it: the
// run fails with store.ErrQuarantineTampered naming the entry, and nothing
// is sealed. A journal file removed fails the same way; the untouched row
// is appended.
func TestHostileHeldRowEditedBeforeDecision(t *testing.T) {
	mine := testDeployment
	tests := []struct {
		name          string
		edit, rmFiles bool
		says          string // "": appended
	}{
		{name: "untouched"},
		{name: "row edited before the decision", edit: true, says: "recorded a different row"},
		{name: "journal files removed", rmFiles: true, says: "is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := quarantineSpike(t, &mine)
			st, e := s.st, s.entry
			if tc.edit {
				e.RowIPC = s.forgedRow(t, 1.5)
				if e.RowJSON, _, _ = EntryRow(&e, nil); e.RowJSON == nil { // the forged row's own rendering
					t.Fatal("the forged row does not decode")
				}
				if _, err := st.DB().ExecContext(ctx, `UPDATE gt.quarantine SET row_ipc = ?, row_json = ? WHERE id = ?`, e.RowIPC, string(e.RowJSON), e.ID); err != nil {
					t.Fatal(err)
				}
				if _, _, err := EntryRow(&e, s.job.Source.Schema()); err != nil {
					t.Fatalf("the forged row is not consistent, F13's check would catch it: %v", err)
				}
			}
			if tc.rmFiles {
				if err := os.RemoveAll(filepath.Join(s.root, "journal")); err != nil {
					t.Fatal(err)
				}
			}
			recordSignedApproval(t, st, &e, mine)
			res, err := Ingest(ctx, st, s.job, s.now.Add(time.Hour))
			if tc.says == "" {
				if err != nil || res.Manifest == nil || res.Manifest.RowCount != 100 {
					t.Fatalf("the approved row was not appended: %+v %v", res, err)
				}
				return
			}
			if !errors.Is(err, store.ErrQuarantineTampered) || !errors.Is(err, datasets.ErrIntegrity) || !strings.Contains(err.Error(), e.ID) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("ingest: %v, want store.ErrQuarantineTampered naming %s and saying %q", err, e.ID, tc.says)
			}
			if vs, err := st.Versions(ctx, "prices"); err != nil || len(vs) != 1 {
				t.Fatalf("a version was sealed: %d versions, %v", len(vs), err)
			}
		})
	}
}

// recordSignedApproval signs a steward's approval of e's row as it is
// now and writes it into the catalog directly (what a catalog writer, or
// an earlier release's `quarantine approve`, can do).
func recordSignedApproval(t *testing.T, st *store.Store, e *store.QuarantineEntry, dep attest.Deployment) {
	t.Helper()
	d, sig := signApproval(t, e, dep)
	if _, err := st.DB().ExecContext(context.Background(), `UPDATE gt.quarantine SET status = 'approved', steward = ?, decided_at = ?, note = ?, signature = ? WHERE id = ?`,
		d.Steward.Hex(), decidedAt, d.Reason, hexutil.Encode(attest.EncodeDecisionRecord(d, sig)), e.ID); err != nil {
		t.Fatal(err)
	}
}
