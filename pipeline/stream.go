package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// ingestStream is the ingest of a job without validation: the source's
// records go into the version writer as they are fetched, so a run holds
// about one record batch in memory whatever its size. The writer (and with
// it the store's writer lock of the job's dataset, which writers of other
// datasets do not wait for) is taken at the first row, so a source waiting
// on a slow origin holds nothing. A run that finds nothing new (no rows, no
// rewind, the same cursor) writes nothing, not even its history record.
func ingestStream(ctx context.Context, st *store.Store, job Job, now time.Time, hooks runHooks) (*IngestResult, *sources.Rewind, error) {
	cursor, err := hooks.cursor(ctx, st, job.Name)
	if err != nil {
		return nil, nil, err
	}
	sw := &streamWriter{st: st, job: job, hooks: hooks,
		opts: store.WriteOptions{Job: job.Name, Pipeline: job.Pipeline, Now: now}}
	defer sw.abort()
	// A held checkpoint (a job whose validation section was removed while
	// it held rows back) resumes after the rows it consumed.
	inner, skip, err := unwrapHeld(cursor)
	if err != nil {
		return nil, nil, fmt.Errorf("job %s: %w", job.Name, err)
	}
	res, err := job.Source.Fetch(ctx, sources.Cursor(inner), func(rec arrow.RecordBatch) error {
		if n := int(rec.NumRows()); skip > 0 {
			if n <= skip {
				skip -= n
				return nil
			}
			part := rec.NewSlice(int64(skip), int64(n))
			defer part.Release()
			skip = 0
			return sw.write(ctx, part)
		}
		return sw.write(ctx, rec)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("job %s: source %s: %w", job.Name, job.Source.ID(), err)
	}
	if err := badValueErr(job, res, "a job without a validation section cannot quarantine them"); err != nil {
		return nil, nil, err
	}
	if res.Rewind != nil {
		if rows := sw.rows(); rows > 0 {
			return nil, nil, fmt.Errorf("job %s: source %s emitted %d rows together with a rewind", job.Name, job.Source.ID(), rows)
		}
		if err := hooks.starting(ctx); err != nil {
			return nil, nil, err
		}
		return commitRewind(ctx, st, job, sw.opts, res)
	}
	if sw.w == nil && bytes.Equal(res.Cursor, cursor) {
		// Idle: nothing to seal, no checkpoint to move; a changed schema is
		// still refused (the catalog is read once per schema value).
		if err := st.CheckSchema(ctx, job.Dataset, job.Source.Schema()); err != nil {
			return nil, nil, fmt.Errorf("job %s: %w", job.Name, err)
		}
		return &IngestResult{}, nil, nil
	}
	m, rows, err := sw.commit(ctx, res)
	if err != nil {
		return nil, nil, fmt.Errorf("job %s: sealing %s: %w", job.Name, job.Dataset, err)
	}
	return &IngestResult{Manifest: m, Rows: rows}, nil, nil
}

// streamWriter opens the run's version writer when the first row comes.
type streamWriter struct {
	st    *store.Store
	job   Job
	opts  store.WriteOptions
	hooks runHooks
	w     *store.VersionWriter
}

// open starts the run (once) and begins the version.
func (sw *streamWriter) open(ctx context.Context) error {
	if sw.w != nil {
		return nil
	}
	if err := sw.hooks.starting(ctx); err != nil {
		return err
	}
	w, err := sw.st.Begin(ctx, sw.job.Dataset, sw.job.Source.Schema(), sw.opts)
	if err != nil {
		return err
	}
	sw.w = w
	return nil
}

// write seals one fetched record; empty records only have their schema
// checked, so that they do not make an idle run write.
func (sw *streamWriter) write(ctx context.Context, rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return sw.job.Source.Schema().CheckArrow(rec.Schema())
	}
	if err := sw.open(ctx); err != nil {
		return err
	}
	return sw.w.Write(rec)
}

// rows returns the rows written so far.
func (sw *streamWriter) rows() uint64 {
	if sw.w == nil {
		return 0
	}
	return sw.w.Rows()
}

// commit seals the version with the fetch's cursor and provenance (only
// the checkpoint when no row came).
func (sw *streamWriter) commit(ctx context.Context, res sources.Result) (*datasets.Manifest, uint64, error) {
	if err := sw.open(ctx); err != nil {
		return nil, 0, err
	}
	w := sw.w
	sw.w = nil
	w.SetCheckpoint(res.Cursor, res.Provenance)
	rows := w.Rows()
	m, err := w.Commit()
	return m, rows, err
}

// abort discards an uncommitted version.
func (sw *streamWriter) abort() {
	if sw.w != nil {
		sw.w.Abort()
		sw.w = nil
	}
}
