package poisoning_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

const (
	histRows, runFrom, runRows = 200_000, 100_000, 1_000
)

// votesGovernance is poisoning.governance on the votes table: every row
// is a vote, the rows of support 2 create their proposal with a window of
// their own block (start = end, so later votes fall outside the latest
// window), the rows of support 0 cancel it; grouped by group.
func votesGovernance(t *testing.T, group string, historyRows int) *poisoning.Governance {
	t.Helper()
	cfg := poisoning.DefaultGovernanceConfig()
	cfg.Votes = validators.Where{}
	cfg.Proposal, cfg.Voter, cfg.Weight, cfg.Block = "proposal_id", "voter", "", "block_number"
	cfg.Created = validators.Where{Column: "support", In: []string{"2"}}
	cfg.ID, cfg.Start, cfg.End = "proposal_id", "block_number", "block_number"
	cfg.Cancelled = validators.Where{Column: "support", In: []string{"0"}}
	cfg.GroupBy, cfg.HistoryRows = group, historyRows
	g, err := poisoning.NewGovernance("", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// validateOn runs v on rows [runFrom, runFrom+runRows) of the votes table
// with h as the history, and checks that the run's records are all that
// is left allocated once the input is closed.
func validateOn(t *testing.T, v interface {
	Validate(context.Context, *validators.Input) ([]validators.Finding, error)
}, h *validatorstest.GenHistory) []validators.Finding {
	t.Helper()
	run := datasetstest.VotesBatch(nil, runFrom, runRows)
	defer run.Release()
	in := &validators.Input{Dataset: "votes", Schema: datasetstest.VotesSchema(), Records: []arrow.RecordBatch{run},
		Table: validators.NewTable(datasetstest.VotesSchema(), []arrow.RecordBatch{run}), History: h,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now()}
	fs, err := v.Validate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	in.Close()
	h.Mem.AssertSize(t, 0)
	return fs
}

// digest summarizes findings (code, rows, subject, value, threshold,
// message, pass) in their order.
func digest(fs []validators.Finding) (string, map[validators.Code]int) {
	s := sha256.New()
	n := map[validators.Code]int{}
	for _, f := range fs {
		fmt.Fprintf(s, "%s|%v|%s|%g|%g|%s|%v\n", f.Code, f.Rows, f.Subject, f.Value, f.Threshold, f.Message, f.Passed)
		if !f.Passed {
			n[f.Code]++
		}
	}
	return fmt.Sprintf("%x", s.Sum(nil)[:8]), n
}

// TestGovernanceHistoryScanRetainsNoBatch runs poisoning.governance with
// history_rows 0 on 200,000 rows of history in 200 batches and a run of
// 1,000 rows (every run vote is also in the history, so each is a
// duplicate): it reads every batch and keeps none of them.
func TestGovernanceHistoryScanRetainsNoBatch(t *testing.T) {
	const batch = 1_000
	oneBatch := datasetstest.VotesBatch(nil, 0, batch)
	perBatch := 0
	for _, col := range oneBatch.Columns() {
		for _, b := range col.Data().Buffers() {
			if b != nil {
				perBatch += b.Len()
			}
		}
	}
	oneBatch.Release()
	cases := []struct {
		name string
		v    interface {
			Validate(context.Context, *validators.Input) ([]validators.Finding, error)
		}
		wantKept bool // the control keeps every batch
	}{
		{"group_by a word column", votesGovernance(t, "chain_id", 0), false},
		{"group_by a string column", votesGovernance(t, "reason", 0), false},
		{"control: HistoryTable keeps the whole history", validatorstest.MemoHistory{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &validatorstest.GenHistory{Rows: histRows, Batch: batch, Mem: memory.NewCheckedAllocator(memory.NewGoAllocator())}
			fs := validateOn(t, c.v, h)
			if h.Given != histRows/batch {
				t.Errorf("the history gave %d batches, want all %d", h.Given, histRows/batch)
			}
			if c.wantKept {
				if h.MaxHeld < histRows/batch/2*perBatch {
					t.Errorf("the control kept at most %d bytes of history, want about %d (every batch): the wrapper does not see retention", h.MaxHeld, histRows/batch*perBatch)
				}
				return
			}
			if h.MaxHeld != 0 {
				t.Errorf("%d bytes of history (%.1f batches of %d bytes) were kept after the scan gave them back, want none", h.MaxHeld, float64(h.MaxHeld)/float64(perBatch), perBatch)
			}
			if _, n := digest(fs); n[poisoning.CodeDuplicateVote] != runRows {
				t.Errorf("%d duplicate votes, want %d (every run vote is in the history)", n[poisoning.CodeDuplicateVote], runRows)
			}
		})
	}
}

// TestGovernanceHistoryBatchingKeepsFindings checks that the findings do
// not depend on how the history is cut into batches (one batch of it all
// is what the whole-history table gave) nor on history_rows reaching past
// the run's proposal: windows (the latest wins), cancellations (the
// earliest wins) and earlier ballots of the run's proposal are all kept.
func TestGovernanceHistoryBatchingKeepsFindings(t *testing.T) {
	for _, group := range []string{"", "chain_id", "reason"} {
		t.Run("group_by="+group, func(t *testing.T) {
			var want string
			for _, tc := range []struct {
				batch       uint64
				historyRows int
			}{{histRows, 0}, {1_000, 0}, {333, 0}, {7_919, 0}, {1_000, 150_000}} {
				h := &validatorstest.GenHistory{Rows: histRows, Batch: tc.batch, Mem: memory.NewCheckedAllocator(memory.NewGoAllocator())}
				got, n := digest(validateOn(t, votesGovernance(t, group, tc.historyRows), h))
				for _, code := range []validators.Code{poisoning.CodeDuplicateVote, poisoning.CodeVoteOutsideWindow, poisoning.CodeVoteAfterCancel} {
					if n[code] == 0 {
						t.Errorf("batch %d: no %s finding: the case does not exercise it (%v)", tc.batch, code, n)
					}
				}
				t.Logf("batch %d history_rows %d: findings %v digest %s", tc.batch, tc.historyRows, n, got)
				if want == "" {
					want = got
				} else if got != want {
					t.Errorf("batch %d history_rows %d: findings digest %s, want %s (one batch of the whole history)", tc.batch, tc.historyRows, got, want)
				}
			}
		})
	}
}
