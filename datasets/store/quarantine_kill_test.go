package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestDecideQuarantineOfPendingRun is the regression test of what the
// 3-process kill test (cmd/groundtruth TestStoreKill) found second: a
// steward could approve an entry of a validated run that had not sealed;
// when that run's process was killed the restart aborted the run, which
// removes only pending entries, so the approval survived while the row was
// read again. Now an entry of a pending run cannot be decided
// (ErrRunPending), an aborted run's entries are gone (ErrNotFound), and
// once a run sealed its entries are decided as before.
func TestDecideQuarantineOfPendingRun(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	approve := store.Decision{Status: store.QuarantineApproved, Steward: "alice", Note: "checked", At: time.Unix(1_800_000_100, 0)}
	run := func(id, entry string) *store.ValidationRun {
		return &store.ValidationRun{ID: id, Job: "j", Dataset: "votes", Outcome: store.RunPending, ReportHash: datasets.Hash{byte(len(id))},
			ReportJSON: []byte(`{}`), Cursor: []byte(id), Now: time.Unix(1_800_000_000, 0),
			Quarantine: []store.QuarantineEntry{{ID: entry, RowKey: "k-" + entry, RowJSON: json.RawMessage(`{"a":1}`), RowIPC: []byte{1}, Codes: []string{"c"}, Reasons: []string{"r"}}}}
	}
	for _, tc := range []struct {
		name    string
		run     string
		settle  func(runID string) error // nil: the run stays pending
		want    error
		outcome string
	}{
		{"pending run", "run-a", nil, store.ErrRunPending, store.QuarantinePending},
		{"aborted run", "run-b", func(id string) error { return s.AbortValidationRun(ctx, id) }, store.ErrNotFound, ""},
		{"sealed run", "run-c", func(id string) error { return s.FinishValidationRun(ctx, id, nil) }, nil, store.QuarantineApproved},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entry := "q0000000" + tc.run[len(tc.run)-1:]
			must(t, s.SaveValidationRun(ctx, run(tc.run, entry)))
			if tc.settle != nil {
				must(t, tc.settle(tc.run))
			}
			_, err := s.DecideQuarantine(ctx, entry, approve)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("deciding an entry of a %s: %v, want %v", tc.name, err, tc.want)
			}
			e, err := s.QuarantineGet(ctx, entry)
			switch {
			case tc.outcome == "" && !errors.Is(err, store.ErrNotFound):
				t.Fatalf("the entry of an aborted run: %+v %v, want it gone", e, err)
			case tc.outcome != "" && (err != nil || e.Status != tc.outcome):
				t.Fatalf("the entry after the decision: %+v %v, want %s", e, err, tc.outcome)
			}
		})
	}
	// The pending run then seals: its entry can be decided, once.
	must(t, s.FinishValidationRun(ctx, "run-a", nil))
	if _, err := s.DecideQuarantine(ctx, "q0000000a", approve); err != nil {
		t.Fatalf("deciding once the run sealed: %v", err)
	}
	if _, err := s.DecideQuarantine(ctx, "q0000000a", approve); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a second decision: %v, want ErrConflict", err)
	}
}
