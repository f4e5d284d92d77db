package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestHostileApprovedRowEdited is the attack of issue #13 F13/F8: someone
// who can write the catalog edits the row a steward approved (or replays a
// decision signed for another deployment, or keeps a format 1 decision that
// never covered the row). The writer recomputes the leaf of the row it
// would append and refuses: the run fails naming the entry (and both leaf
// hashes), and nothing is sealed. The untouched decision is appended.
func TestHostileApprovedRowEdited(t *testing.T) {
	mine := attest.Deployment{ChainID: 31337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
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
			st, err := store.Open(ctx, t.TempDir(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
			first := hourly(start, 100, 300)
			first[60].V *= 1.5 // a spike: quarantined
			job := testJob(t, &batchSource{batches: [][]validatorstest.Point{first}}, nil)
			if !tc.chainless {
				job.Deployment = mine
			}
			now := start.Add(100 * time.Hour)
			if _, err := Ingest(ctx, st, job, now); err != nil {
				t.Fatal(err)
			}
			q, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
			if err != nil || len(q) != 1 {
				t.Fatalf("quarantine: %+v %v", q, err)
			}
			e := q[0]
			signDecisionForTest(t, st, &e, tc.signFor, tc.format1)
			if tc.edit {
				forged := first[60]
				forged.V = 9999.99
				rec := validatorstest.PriceRecord("prices-test", []validatorstest.Point{forged})
				ipc, err := encodeRow(rec)
				rec.Release()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.DB().ExecContext(ctx, `UPDATE gt.quarantine SET row_ipc = ? WHERE id = ?`, ipc, e.ID); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Ingest(ctx, st, job, now.Add(time.Hour))
			if tc.want == nil {
				if err != nil || res.Manifest == nil || res.Manifest.RowCount != 100 {
					t.Fatalf("the approved row was not appended: %+v %v", res, err)
				}
				return
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), e.ID) {
				t.Fatalf("ingest: %v, want %v naming %s", err, tc.want, e.ID)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the error does not say %q: %v", s, err)
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
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := EntryLeaf(e, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_735_787_045, 0).UTC()
	d := attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Leaf: leaf, Decision: store.QuarantineApproved,
		Reason: "checked", DecidedAt: uint64(at.Unix()), Deployment: dep}
	sig, err := attest.SignDecision(context.Background(), attest.NewKeySigner(key), &d)
	if err != nil {
		t.Fatal(err)
	}
	rec := attest.EncodeDecisionRecord(d, sig)
	if format1 {
		rec = sig
	}
	if _, err := st.DecideQuarantine(context.Background(), e.ID, store.Decision{Status: d.Decision, Steward: d.Steward.Hex(), Note: d.Reason,
		Signature: hexutil.Encode(rec), At: at}); err != nil {
		t.Fatal(err)
	}
}
