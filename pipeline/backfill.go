package pipeline

import (
	"context"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// BackfillOptions bound a backfill.
type BackfillOptions struct {
	// From and To are the first and last block (inclusive).
	From, To uint64
	// Step is the number of blocks sealed per version (0: the source's
	// configured max_blocks_per_fetch, else the whole range at once).
	Step uint64
	// Progress receives the advance after every run (nil: none).
	Progress Progress
}

// BackfillResult says how far a backfill got.
type BackfillResult struct {
	// Runs are the runs made, in order.
	Runs []*RunResult
	// Next is the first block not read yet.
	Next uint64
	// Complete is true when every block up to To was read.
	Complete bool
	// Skipped is true when the range had been ingested already.
	Skipped bool
}

// Backfill runs a chain job over a bounded block range, one version per
// step, through the same runner as the daemon (the checkpoint commits with
// each version, so an interrupted backfill resumes where it stopped). The
// range must connect to what the job has read: it may start at or before
// the job's next block (blocks already read are not read again), not after
// it, which would leave a gap. It stops early, incomplete, when the
// chain's safe head is before To.
func (r *Runner) Backfill(ctx context.Context, spec *Spec, o BackfillOptions) (*BackfillResult, error) {
	br, ok := spec.Job.Source.(sources.BlockRanger)
	if !ok {
		return nil, fmt.Errorf("%w: job %s (source %s)", ErrNoRange, spec.Job.Name, spec.Job.Source.ID())
	}
	if o.To < o.From {
		return nil, fmt.Errorf("%w: --to-block %d is before --from-block %d", ErrBadRange, o.To, o.From)
	}
	cur, err := r.Store.Checkpoint(ctx, spec.Job.Name)
	if err != nil {
		return nil, err
	}
	next, err := br.NextBlock(cur)
	if err != nil {
		return nil, err
	}
	rng := sources.BlockRange{End: o.To, Step: o.Step}
	first := o.From
	switch {
	case cur == nil:
		rng.Start = &o.From
	case o.From > next:
		return nil, fmt.Errorf("%w: job %s has read up to block %d; a backfill from block %d would leave blocks %d-%d out", ErrBadRange, spec.Job.Name, next-1, o.From, next, o.From-1)
	case o.To < next:
		return &BackfillResult{Next: next, Complete: true, Skipped: true}, nil
	default:
		first = next
	}
	ranged, err := br.WithBlockRange(rng)
	if err != nil {
		return nil, err
	}
	s := *spec
	s.Job.Source = ranged
	s.Job.Backfill = true // freshness relative to the data's own time
	return r.backfillLoop(ctx, &s, br, first, o)
}

// backfillLoop runs until the range is read, a run fails or a run makes
// no progress (the head is before the range's end).
func (r *Runner) backfillLoop(ctx context.Context, spec *Spec, br sources.BlockRanger, first uint64, o BackfillOptions) (*BackfillResult, error) {
	out := &BackfillResult{Next: first}
	total := o.To - first + 1
	for out.Next <= o.To {
		res := r.Run(ctx, spec, TriggerBackfill, 1)
		out.Runs = append(out.Runs, res)
		if res.Err != nil {
			return out, res.Err
		}
		cur, err := r.Store.Checkpoint(ctx, spec.Job.Name)
		if err != nil {
			return out, err
		}
		next, err := br.NextBlock(cur)
		if err != nil {
			return out, err
		}
		if o.Progress != nil {
			o.Progress.Update(min(next, o.To+1)-first, total, progressDetail(res))
		}
		if next == out.Next {
			break // the safe head is before To
		}
		out.Next = next
	}
	out.Complete = out.Next > o.To
	if o.Progress != nil {
		o.Progress.Finish()
	}
	return out, nil
}

func progressDetail(res *RunResult) string {
	if v := res.Record.Version; v != nil {
		return fmt.Sprintf("%s@%d, %d rows", res.Record.Dataset, *v, res.Record.RowsAccepted)
	}
	return "no new rows"
}
