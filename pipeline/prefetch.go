package pipeline

import (
	"bytes"
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// The store serialises version writers, and Ingest without validation
// holds its writer while the source fetches. So that one slow origin does
// not hold up every other job, the Runner fetches first and replays the
// fetched records into Ingest: the write lock is taken only for sealing
// (validated jobs fetch before writing anyway). Knowing what the fetch
// found also lets an idle run skip the store altogether.

// prefetched is a source that answers its first Fetch from records read
// beforehand, when asked from the cursor they were read from; any other
// Fetch (after a rewind) goes to the real source.
type prefetched struct {
	sources.Source
	cursor []byte
	recs   []arrow.RecordBatch
	res    sources.Result
	used   bool
}

// prefetch reads the job's source from its checkpoint without holding the
// store's writer.
func (r *Runner) prefetch(ctx context.Context, job Job) (*prefetched, error) {
	cur, err := r.checkpoint(ctx, job.Name)
	if err != nil {
		return nil, err
	}
	recs, res, err := fetchAll(ctx, job, cur)
	if err != nil {
		release(recs)
		return nil, err
	}
	return &prefetched{Source: job.Source, cursor: cur, recs: recs, res: res}, nil
}

// Fetch replays the prefetched records once.
func (p *prefetched) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	if p.used || !bytes.Equal(cur, p.cursor) {
		return p.Source.Fetch(ctx, cur, emit)
	}
	p.used = true
	for _, rec := range p.recs {
		if err := emit(rec); err != nil {
			return sources.Result{}, err
		}
	}
	return p.res, nil
}

// idle reports whether the fetch found nothing: no rows, no rewind, and
// the cursor where it was. Sealing it would commit nothing.
func (p *prefetched) idle() bool {
	return len(p.recs) == 0 && p.res.Rewind == nil && bytes.Equal(p.res.Cursor, p.cursor)
}

// close releases the prefetched records.
func (p *prefetched) close() { release(p.recs) }

// ingest runs Ingest for a run; starting is called before anything is
// written. Unless the runner streams, the source is read first (without
// holding the store's writer), and a fetch that found nothing writes
// nothing.
func (r *Runner) ingest(ctx context.Context, job Job, now time.Time, starting func(context.Context) error) (*IngestResult, error) {
	if r.Stream {
		r.forget(job.Name)
		if err := starting(ctx); err != nil {
			return nil, err
		}
		return Ingest(ctx, r.Store, job, now)
	}
	p, err := r.prefetch(ctx, job)
	if err != nil {
		return nil, err
	}
	defer p.close()
	if p.idle() && job.Validation == nil {
		return &IngestResult{}, nil // nothing to seal and no checkpoint to move
	}
	r.forget(job.Name)
	if err := starting(ctx); err != nil {
		return nil, err
	}
	job.Source = p
	return Ingest(ctx, r.Store, job, now)
}

// checkpoint returns the job's committed cursor. Idle runs of the daemon
// read it from memory: the runner's process is the data directory's only
// writer, and a run that may write forgets the job's entry first.
func (r *Runner) checkpoint(ctx context.Context, job string) ([]byte, error) {
	if v, ok := r.cursors.Load(job); ok {
		return v.([]byte), nil
	}
	cur, err := r.Store.Checkpoint(ctx, job)
	if err == nil {
		r.cursors.Store(job, cur)
	}
	return cur, err
}

// forget drops the job's remembered cursor.
func (r *Runner) forget(job string) { r.cursors.Delete(job) }
