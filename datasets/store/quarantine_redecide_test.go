package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestRedecideFormatOneDecision: a decision of format 1 (a bare 65-byte
// signature, made before decisions bound the row's leaf and the
// deployment) that no version applied may be decided again — writers
// refuse to apply it, so without a new decision its entry would block the
// dataset after an upgrade. A format 2 record (125 bytes), an unsigned
// decision and an applied one stay final (ErrConflict).
func TestRedecideFormatOneDecision(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	formatOne := "0x" + strings.Repeat("ab", 65)
	formatTwo := "0x" + strings.Repeat("cd", 125)
	for i, tc := range []struct {
		name, signature string
		again           bool
	}{
		{"format 1", formatOne, true},
		{"format 2", formatTwo, false},
		{"unsigned", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entry := "q00000000000000" + string(rune('a'+i))
			runID := "run-" + tc.name
			must(t, s.SaveValidationRun(ctx, &store.ValidationRun{ID: runID, Job: "j", Dataset: "votes", Outcome: store.RunPending,
				ReportHash: datasets.Hash{byte(i + 1)}, ReportJSON: []byte(`{}`), Cursor: []byte(runID), Now: time.Unix(1_800_000_000, 0),
				Quarantine: []store.QuarantineEntry{{ID: entry, RowKey: "k-" + entry, RowJSON: json.RawMessage(`{"a":1}`), RowIPC: []byte{1}, Codes: []string{"c"}, Reasons: []string{"r"}}}}))
			must(t, s.FinishValidationRun(ctx, runID, nil))
			first := store.Decision{Status: store.QuarantineApproved, Steward: "alice", Note: "old", Signature: tc.signature, At: time.Unix(1_800_000_100, 0)}
			if _, err := s.DecideQuarantine(ctx, entry, first); err != nil {
				t.Fatal(err)
			}
			again := store.Decision{Status: store.QuarantineRejected, Steward: "bob", Note: "new", Signature: formatTwo, At: time.Unix(1_800_000_200, 0)}
			e, err := s.DecideQuarantine(ctx, entry, again)
			switch {
			case tc.again && err != nil:
				t.Fatalf("deciding a format 1 decision again: %v", err)
			case tc.again && (e.Status != store.QuarantineRejected || e.Steward != "bob" || e.Signature != formatTwo):
				t.Fatalf("the entry after the new decision: %+v", e)
			case !tc.again && !errors.Is(err, store.ErrConflict):
				t.Fatalf("a second decision on a %s decision: %v, want ErrConflict", tc.name, err)
			}
			if tc.again { // the new decision is final
				if _, err := s.DecideQuarantine(ctx, entry, again); !errors.Is(err, store.ErrConflict) {
					t.Fatalf("a third decision: %v, want ErrConflict", err)
				}
			}
		})
	}
}
