package pipeline

import (
	"bytes"
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// The store serialises version writers, and Ingest without validation
// holds its writer while the source fetches. So that one slow origin does
// not hold up every other job, the Runner fetches such jobs first and
// replays the fetched records into Ingest: the write lock is taken only for
// sealing. Validated jobs fetch before writing anyway.

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
func prefetch(ctx context.Context, st *store.Store, job Job) (*prefetched, error) {
	cur, err := st.Checkpoint(ctx, job.Name)
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

// close releases the prefetched records.
func (p *prefetched) close() { release(p.recs) }

// ingest runs Ingest for a run: without validation the source is
// prefetched unless the runner streams.
func (r *Runner) ingest(ctx context.Context, job Job, now time.Time) (*IngestResult, error) {
	if job.Validation != nil || r.Stream {
		return Ingest(ctx, r.Store, job, now)
	}
	p, err := prefetch(ctx, r.Store, job)
	if err != nil {
		return nil, err
	}
	defer p.close()
	job.Source = p
	return Ingest(ctx, r.Store, job, now)
}
