package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Job is one configured ingestion: a source feeding a dataset.
type Job struct {
	Name    string
	Dataset string
	Source  sources.Source
	// Pipeline identifies the software and configuration in manifests.
	Pipeline datasets.PipelineInfo
}

// IngestResult says what an ingest produced.
type IngestResult struct {
	// Manifest is the sealed version, or nil when there were no new rows.
	Manifest *datasets.Manifest
	// Rows is the number of rows read from the source.
	Rows uint64
}

// Ingest reads the job's source from its committed checkpoint and seals
// what it read as a new version, committing the new checkpoint in the same
// catalog transaction. On any error nothing becomes visible and the
// checkpoint stays where it was.
func Ingest(ctx context.Context, st *store.Store, job Job, now time.Time) (*IngestResult, error) {
	cursor, err := st.Checkpoint(ctx, job.Name)
	if err != nil {
		return nil, err
	}
	w, err := st.Begin(ctx, job.Dataset, job.Source.Schema(), store.WriteOptions{Job: job.Name, Pipeline: job.Pipeline, Now: now})
	if err != nil {
		return nil, err
	}
	res, err := job.Source.Fetch(ctx, sources.Cursor(cursor), w.Write)
	if err != nil {
		w.Abort()
		return nil, fmt.Errorf("job %s: source %s: %w", job.Name, job.Source.ID(), err)
	}
	if res.Rewind != nil {
		// Rewinds need the rows before the writer starts; the chain sources
		// that produce them are not built yet.
		w.Abort()
		return nil, fmt.Errorf("job %s: source %s asked for a rewind (%s), which ingest does not support yet", job.Name, job.Source.ID(), res.Rewind.Reason)
	}
	w.SetCheckpoint(res.Cursor, res.Provenance)
	rows := w.Rows()
	m, err := w.Commit()
	if err != nil {
		return nil, fmt.Errorf("job %s: sealing %s: %w", job.Name, job.Dataset, err)
	}
	return &IngestResult{Manifest: m, Rows: rows}, nil
}
