package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestHostileApprovedRowEdited is the attack of issue #13 F13/F8: someone
// who can write the catalog edits the row a steward approved (or replays a
// decision signed for another deployment, or keeps a format 1 decision that
// never covered the row). The writer recomputes the leaf of the row it
// would append and refuses: the run fails naming the entry (and both leaf
// hashes), and nothing is sealed. The untouched decision is appended.
func TestHostileApprovedRowEdited(t *testing.T) {
	mine := testDeployment
	tests := []struct {
		name    string
		signFor attest.Deployment
		format1 bool
		// chainless runs the pipeline without a deployment.
		chainless bool
		edit      bool
		want      error
		says      []string
	}{
		{name: "untouched", signFor: mine},
		{name: "row edited after the decision", signFor: mine, edit: true, want: ErrRowChanged, says: []string{"held row's leaf is 0x", "signed 0x"}},
		{name: "signed for another deployment", signFor: attest.Deployment{ChainID: 1, Contract: mine.Contract}, want: ErrOtherDeployment, says: []string{"chain 1", "chain 31337"}},
		{name: "chainless pipeline, decision of a chain", signFor: attest.Deployment{ChainID: 1, Contract: mine.Contract}, chainless: true},
		{name: "format 1 decision", signFor: mine, format1: true, want: attest.ErrDecisionFormat, says: []string{"format 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dep := &mine
			if tc.chainless {
				dep = nil
			}
			s := quarantineSpike(t, dep)
			st, e := s.st, s.entry
			signDecisionForTest(t, st, &e, tc.signFor, tc.format1)
			if tc.edit {
				if _, err := st.DB().ExecContext(ctx, `UPDATE gt.quarantine SET row_ipc = ? WHERE id = ?`, s.forgedRow(t, 9999.99), e.ID); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Ingest(ctx, st, s.job, s.now.Add(time.Hour))
			if tc.want == nil {
				if err != nil || res.Manifest == nil || res.Manifest.RowCount != 100 {
					t.Fatalf("the approved row was not appended: %+v %v", res, err)
				}
				return
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), e.ID) {
				t.Fatalf("ingest: %v, want %v naming %s", err, tc.want, e.ID)
			}
			for _, say := range tc.says {
				if !strings.Contains(err.Error(), say) {
					t.Errorf("the error does not say %q: %v", say, err)
				}
			}
			if vs, err := st.Versions(ctx, "prices"); err != nil || len(vs) != 1 {
				t.Fatalf("a version was sealed: %d versions, %v", len(vs), err)
			}
		})
	}
}

// signDecisionForTest records a steward's approval of e signed in
// deployment dep (format 1: a bare signature without leaf or deployment).
func signDecisionForTest(t *testing.T, st *store.Store, e *store.QuarantineEntry, dep attest.Deployment, format1 bool) {
	t.Helper()
	d, sig := signApproval(t, e, dep)
	rec := attest.EncodeDecisionRecord(d, sig)
	if format1 {
		rec = sig
	}
	if _, err := st.DecideQuarantine(context.Background(), e.ID, store.Decision{Status: d.Decision, Steward: d.Steward.Hex(), Note: d.Reason,
		Signature: hexutil.Encode(rec), At: decidedAt}); err != nil {
		t.Fatal(err)
	}
}
