package validatorstest

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// GenHistory is a History of one version of the deterministic votes table
// (datasetstest.VotesBatch) whose Scan builds each batch from a checked
// allocator and releases its own reference after fn returns: the bytes
// still allocated then are batches the validator kept. It counts the
// batches it gave (Given) and the most bytes kept at once (MaxHeld).
type GenHistory struct {
	validators.NoHistory
	// Rows is the version's row count; Batch the rows of each batch.
	Rows, Batch uint64
	// Mem allocates the batches.
	Mem *memory.CheckedAllocator
	// Given counts the batches Scan gave; MaxHeld is the most bytes still
	// allocated after fn returned.
	Given, MaxHeld int
}

// Manifest implements validators.History: version 1 of the votes schema.
func (h *GenHistory) Manifest(_ context.Context, dataset string, _ uint64) (*datasets.Manifest, error) {
	return &datasets.Manifest{FormatVersion: datasets.FormatVersion, Dataset: dataset, Version: 1,
		Schema: *datasetstest.VotesSchema(), RowCount: h.Rows, AppendOnly: true}, nil
}

// Scan implements validators.History: rows [from, to) in batches of Batch.
func (h *GenHistory) Scan(ctx context.Context, _ string, _, from, to uint64, fn func(arrow.RecordBatch) error) error {
	if to == 0 || to > h.Rows {
		to = h.Rows
	}
	for start := from; start < to; start += h.Batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := datasetstest.VotesBatch(h.Mem, int(start), int(min(h.Batch, to-start)))
		h.Given++
		err := fn(rec)
		rec.Release()
		h.MaxHeld = max(h.MaxHeld, h.Mem.CurrentAlloc())
		if err != nil {
			return err
		}
	}
	return nil
}

// MemoHistory is a validator that reads the history the way the
// validators did before they streamed it (the memoized whole-history
// table): a control, GenHistory must see it keep every batch.
type MemoHistory struct{}

// Validate implements validators.Validator.
func (MemoHistory) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	_, err := validators.HistoryTable(ctx, in, in.Dataset, 0)
	return nil, err
}
