package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// WriteOptions describe the version a VersionWriter makes.
type WriteOptions struct {
	// Job is the job whose checkpoint commits with the version ("" for none).
	Job string
	// Checkpoint is the job's new source cursor.
	Checkpoint []byte
	// KeepRows, when set, makes a non-append version that keeps only the
	// first *KeepRows rows of the parent (a reorg correction, a retraction).
	KeepRows *uint64
	// Note says why a non-append version was made; it is kept in the catalog.
	Note string
	// ReportHash is the hash of the validation report, if any.
	ReportHash *datasets.Hash
	// Provenance describes the inputs of the new rows.
	Provenance datasets.Provenance
	// Pipeline identifies the software and configuration.
	Pipeline datasets.PipelineInfo
	// Now is the creation time (zero means time.Now).
	Now time.Time
	// DeferSQL leaves the Parquet copies of the new segments (SQL over
	// the rows) to a later Materialize call, which writes them from the
	// segment files. By default the seal writes them from the batches it
	// holds, overlapped with hashing and compression, and the version is
	// queryable when Commit returns.
	DeferSQL bool
}

// parentInfo is what a new version needs to know about the latest one.
type parentInfo struct {
	version      uint64
	manifestHash datasets.Hash
	root         datasets.Hash
	rows         uint64
	compact      []datasets.Hash
	manifest     *datasets.Manifest
}

// VersionWriter writes one new version of a dataset. Write is called from
// one goroutine; Commit or Abort ends it.
type VersionWriter struct {
	s       *Store
	ctx     context.Context
	conn    *catalogdb.Conn
	dataset string
	schema  *datasets.Schema
	opts    WriteOptions
	parent  *parentInfo
	kept    []datasets.SegmentRef
	keptAcc *datasets.Accumulator
	builder *datasets.Builder
	rows    uint64
	done    bool
	// staged is the manifest's temporary file until the commit publishes
	// it as stagedRel.
	staged, stagedRel string
	// keyHash, keys (the kept rows' digests) and keyRuns (the new rows')
	// enforce the declared key; keyHash is nil without a key.
	journal *journal
	keyHash *keyHasher
	keys    keyCheck
	keyRuns *keyRuns
	scratch []uint64
	// lease is the dataset's write lease in the catalog.
	lease *writeLease
}

// Begin starts a new version of dataset with schema. It waits (until ctx
// ends) for a writer of the same dataset in this process to commit or
// abort, and takes the dataset's write lease in the catalog: a writer in
// another process makes it fail with ErrLocked naming that process.
// Writers of other datasets do not wait for each other. The schema must equal
// the dataset's recorded schema, else ErrSchemaChange names the difference
// and nothing is written.
func (s *Store) Begin(ctx context.Context, dataset string, schema *datasets.Schema, opts WriteOptions) (*VersionWriter, error) {
	if s.opts.ReadOnly {
		return nil, fmt.Errorf("%w: the store was opened read-only", ErrReadOnly)
	}
	if err := datasets.ValidateDatasetName(dataset); err != nil {
		return nil, err
	}
	if err := schema.Validate(); err != nil {
		return nil, err
	}
	if err := s.writers.lock(ctx, dataset); err != nil {
		return nil, err
	}
	w := &VersionWriter{s: s, ctx: ctx, dataset: dataset, schema: schema, opts: opts, journal: s.newJournal()}
	var err error
	if w.lease, err = s.takeLease(ctx, dataset); err != nil {
		w.release()
		return nil, err
	}
	if err := w.begin(ctx); err != nil {
		w.release()
		return nil, err
	}
	return w, nil
}

func (w *VersionWriter) begin(ctx context.Context) error {
	if err := w.checkSchema(ctx); err != nil {
		return err
	}
	parent, err := w.s.latest(ctx, w.dataset)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	w.parent = parent
	if err := w.planKept(ctx); err != nil {
		return err
	}
	if err := w.beginKeys(); err != nil {
		return err
	}
	bo := w.s.opts.Builder
	if !w.opts.DeferSQL {
		bo.Copy = sqlview.CopyFactory(w.s.root, w.schema)
	}
	w.builder, err = datasets.NewBuilder(w.s.root, w.schema, w.keptAcc.End(), bo)
	if err != nil {
		return err
	}
	return w.copyPartialSegment(ctx)
}

func (w *VersionWriter) checkSchema(ctx context.Context) error {
	return w.s.CheckSchema(ctx, w.dataset, w.schema)
}

// CheckSchema fails with ErrSchemaChange naming the difference when
// dataset is recorded with a schema other than schema (a dataset not yet
// recorded passes). A schema that passed is remembered (by its address),
// so an idle run that checks it on every poll reads the catalog once.
func (s *Store) CheckSchema(ctx context.Context, dataset string, schema *datasets.Schema) error {
	if s.schemaOK(dataset, schema) {
		return nil
	}
	var js string
	err := s.db.QueryRowContext(ctx, `SELECT schema_json FROM gt.datasets WHERE name = ?`, dataset).Scan(&js)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	var old datasets.Schema
	if err := json.Unmarshal([]byte(js), &old); err != nil {
		return fmt.Errorf("%w: schema of %s: %v", ErrCatalog, dataset, err)
	}
	if !old.Equal(schema) {
		return fmt.Errorf("%w: dataset %s: %s; a new schema needs a new dataset name", ErrSchemaChange, dataset, old.Diff(schema))
	}
	s.keysM.Lock()
	s.checked[dataset] = schema
	s.keysM.Unlock()
	return nil
}

// schemaOK reports whether schema (this very value) passed CheckSchema.
func (s *Store) schemaOK(dataset string, schema *datasets.Schema) bool {
	s.keysM.Lock()
	defer s.keysM.Unlock()
	return s.checked[dataset] == schema
}

func (w *VersionWriter) registerDataset(ctx context.Context) error {
	js, err := json.Marshal(w.schema)
	if err != nil {
		return err
	}
	// created_at is the first version's createdAt, as catalog rebuild sets it.
	if _, err := w.conn.ExecContext(ctx, `INSERT INTO gt.datasets VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, w.dataset, string(js), w.createdAt().UTC().Truncate(time.Second)); err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	return nil
}

func (w *VersionWriter) nextSegmentID(ctx context.Context) (int32, error) {
	var max sql.NullInt64
	if err := w.conn.QueryRowContext(ctx, `SELECT max(id) FROM gt.segments`).Scan(&max); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	return int32(max.Int64 + 1), nil
}

// Write adds rows to the version.
func (w *VersionWriter) Write(rec arrow.RecordBatch) error {
	if w.done {
		return fmt.Errorf("version writer already finished")
	}
	if err := w.schema.CheckArrow(rec.Schema()); err != nil {
		return err
	}
	if w.keyHash != nil {
		var err error
		if w.scratch, err = w.keyHash.appendDigests(w.scratch[:0], rec); err != nil {
			return err
		}
		if err := w.keyRuns.add(w.scratch); err != nil {
			return err
		}
	}
	if err := w.builder.Write(rec); err != nil {
		return err
	}
	w.rows += uint64(rec.NumRows())
	return nil
}

// Rows returns the number of new rows written so far.
func (w *VersionWriter) Rows() uint64 { return w.rows }

// Abort discards the version; nothing becomes visible.
func (w *VersionWriter) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.builder != nil {
		w.builder.Abort()
	}
	if w.staged != "" {
		os.Remove(w.staged)
		w.staged = ""
	}
	w.journal.discard()
	w.rollback(w.ctx)
	w.release()
}

func (w *VersionWriter) release() {
	w.closeKeys()
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
	if w.lease != nil {
		w.lease.release(w.ctx)
		w.lease = nil
	}
	w.s.writers.unlock(w.dataset)
}

// SetCheckpoint sets the checkpoint and provenance to commit, when they are
// known only after the rows were written.
func (w *VersionWriter) SetCheckpoint(cursor []byte, prov datasets.Provenance) {
	w.opts.Checkpoint = cursor
	w.opts.Provenance = prov
}
