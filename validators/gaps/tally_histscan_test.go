package gaps_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/gaming"
	"github.com/groundtruth-dao/groundtruth/validators/gaps"
)

// genHistory is a History of one version of the deterministic votes table
// (datasetstest.VotesBatch) whose Scan builds each batch from a checked
// allocator and releases its own reference after fn returns: the bytes
// still allocated then are batches the validator kept. It counts the
// batches it gave and the most bytes kept at once.
type genHistory struct {
	validators.NoHistory
	rows, batch uint64
	mem         *memory.CheckedAllocator
	given       int
	maxHeld     int
}

func (h *genHistory) Manifest(_ context.Context, dataset string, _ uint64) (*datasets.Manifest, error) {
	return &datasets.Manifest{FormatVersion: datasets.FormatVersion, Dataset: dataset, Version: 1,
		Schema: *datasetstest.VotesSchema(), RowCount: h.rows, AppendOnly: true}, nil
}

func (h *genHistory) Scan(ctx context.Context, _ string, _, from, to uint64, fn func(arrow.RecordBatch) error) error {
	if to == 0 || to > h.rows {
		to = h.rows
	}
	for start := from; start < to; start += h.batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := datasetstest.VotesBatch(h.mem, int(start), int(min(h.batch, to-start)))
		h.given++
		err := fn(rec)
		rec.Release()
		h.maxHeld = max(h.maxHeld, h.mem.CurrentAlloc())
		if err != nil {
			return err
		}
	}
	return nil
}

// memoHistory reads the history the way the validators did before they
// streamed it (the memoized whole-history table), as a control: the
// wrapper must see it keep every batch.
type memoHistory struct{}

func (memoHistory) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	_, err := validators.HistoryTable(ctx, in, in.Dataset, 0)
	return nil, err
}

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
		{"control: HistoryTable keeps the whole history", memoHistory{}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			h := &genHistory{rows: histRows, batch: batch, mem: mem}
			run := datasetstest.VotesBatch(nil, runFrom, runRows)
			defer run.Release()
			in := &validators.Input{Dataset: "votes", Schema: datasetstest.VotesSchema(), Records: []arrow.RecordBatch{run},
				Table: validators.NewTable(datasetstest.VotesSchema(), []arrow.RecordBatch{run}), History: h,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now()}
			fs, err := c.v.Validate(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if h.given != histRows/batch {
				t.Errorf("the history gave %d batches, want all %d", h.given, histRows/batch)
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
				if h.maxHeld < histRows/batch/2*perBatch {
					t.Errorf("the control kept at most %d bytes of history, want about %d (every batch): the wrapper does not see retention", h.maxHeld, histRows/batch*perBatch)
				}
			} else if h.maxHeld != 0 {
				t.Errorf("%d bytes of history (%.1f batches of %d bytes) were kept after the scan gave them back, want none", h.maxHeld, float64(h.maxHeld)/float64(perBatch), perBatch)
			}
			if c.wantFindings && len(fs) == 0 {
				t.Error("no finding, not even a pass: the validator did not run")
			}
			in.Close()
			mem.AssertSize(t, 0)
		})
	}
}
