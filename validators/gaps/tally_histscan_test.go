package gaps_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaming"
	"github.com/groundtruth-dao/groundtruth/validators/gaps"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// TestHistoryScanRetainsNoBatch runs the validators that read the whole
// history (history_rows 0) on 200,000 rows of history in 200 batches and a
// run of 1,000 rows: each reads every batch and keeps none of them.
func TestHistoryScanRetainsNoBatch(t *testing.T) {
	const histRows, batch, runFrom, runRows = 200_000, 1_000, 100_000, 1_000
	quorum := gaming.DefaultQuorumConfig()
	quorum.Quorum, quorum.GroupBy = 4e23, "chain_id"
	q, err := gaming.NewQuorum("", quorum)
	if err != nil {
		t.Fatal(err)
	}
	tc := gaps.DefaultTallyConfig()
	tc.Passed = validators.Where{Column: "chain_id", In: []string{"1"}}
	tc.PassedProposal, tc.Weight, tc.Quorum, tc.GroupBy = "proposal_id", "weight", 1, "chain_id"
	tally, err := gaps.NewTally("", tc)
	if err != nil {
		t.Fatal(err)
	}
	seq, err := gaps.NewSequence("", gaps.SequenceConfig{Column: "block_number", GroupBy: "chain_id", Step: 1})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		v    interface {
			Validate(context.Context, *validators.Input) ([]validators.Finding, error)
		}
		wantKept     bool // the control keeps every batch
		wantFindings bool
	}{
		{"gaming.few_voter_quorum", q, false, true},
		{"gaps.tally", tally, false, true},
		{"gaps.sequence", seq, false, true},
		{"control: HistoryTable keeps the whole history", validatorstest.MemoHistory{}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			h := &validatorstest.GenHistory{Rows: histRows, Batch: batch, Mem: mem}
			run := datasetstest.VotesBatch(nil, runFrom, runRows)
			defer run.Release()
			in := &validators.Input{Dataset: "votes", Schema: datasetstest.VotesSchema(), Records: []arrow.RecordBatch{run},
				Table: validators.NewTable(datasetstest.VotesSchema(), []arrow.RecordBatch{run}), History: h,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now()}
			fs, err := c.v.Validate(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if h.Given != histRows/batch {
				t.Errorf("the history gave %d batches, want all %d", h.Given, histRows/batch)
			}
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
			if c.wantKept {
				if h.MaxHeld < histRows/batch/2*perBatch {
					t.Errorf("the control kept at most %d bytes of history, want about %d (every batch): the wrapper does not see retention", h.MaxHeld, histRows/batch*perBatch)
				}
			} else if h.MaxHeld != 0 {
				t.Errorf("%d bytes of history (%.1f batches of %d bytes) were kept after the scan gave them back, want none", h.MaxHeld, float64(h.MaxHeld)/float64(perBatch), perBatch)
			}
			if c.wantFindings && len(fs) == 0 {
				t.Error("no finding, not even a pass: the validator did not run")
			}
			in.Close()
			mem.AssertSize(t, 0)
		})
	}
}
