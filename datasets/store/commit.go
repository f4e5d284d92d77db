package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// planKept decides which parent segments the new version keeps.
func (w *VersionWriter) planKept(ctx context.Context) error {
	w.keptAcc = datasets.NewAccumulator(0)
	if w.parent == nil {
		if w.opts.KeepRows != nil && *w.opts.KeepRows > 0 {
			return fmt.Errorf("%w: %s has no version to keep %d rows of", ErrNotFound, w.dataset, *w.opts.KeepRows)
		}
		return nil
	}
	if w.opts.KeepRows == nil {
		w.kept = w.parent.manifest.Segments
		acc, err := datasets.RestoreAccumulator(w.parent.rows, w.parent.compact)
		w.keptAcc = acc
		return err
	}
	keep := *w.opts.KeepRows
	if keep > w.parent.rows {
		return fmt.Errorf("%w: cannot keep %d rows of %s@%d, which has %d", ErrNotFound, keep, w.dataset, w.parent.version, w.parent.rows)
	}
	var n uint64
	for _, seg := range w.parent.manifest.Segments {
		if n+seg.Rows > keep {
			break
		}
		w.kept = append(w.kept, seg)
		n += seg.Rows
	}
	acc, err := datasets.AccumulatorFromLeaves(datasets.NewVersionLeaves(w.s.root, w.parent.manifest), n)
	w.keptAcc = acc
	return err
}

// copyPartialSegment rewrites the kept rows of a parent segment that a
// non-append version cuts in the middle.
func (w *VersionWriter) copyPartialSegment(ctx context.Context) error {
	if w.opts.KeepRows == nil || w.parent == nil {
		return nil
	}
	remaining := *w.opts.KeepRows - w.keptAcc.End()
	if remaining == 0 {
		return nil
	}
	ref := w.parent.manifest.Segments[len(w.kept)]
	sr, err := datasets.OpenSegment(w.s.root, ref, w.schema)
	if err != nil {
		return err
	}
	defer sr.Close()
	for b := 0; b < sr.NumBatches() && remaining > 0; b++ {
		rec, err := sr.Batch(b)
		if err != nil {
			return err
		}
		n := min(uint64(rec.NumRows()), remaining)
		part := rec.NewSlice(0, int64(n))
		err = w.Write(part)
		part.Release()
		rec.Release()
		if err != nil {
			return err
		}
		remaining -= n
	}
	return nil
}

// Commit seals the version: segments and manifest are made durable, then
// one catalog transaction records the version, its rows, its views and the
// job's checkpoint. It returns nil (and commits only the checkpoint) when an
// append version would have no new rows.
func (w *VersionWriter) Commit() (*datasets.Manifest, error) {
	if w.done {
		return nil, fmt.Errorf("version writer already finished")
	}
	m, err := w.commit(w.ctx)
	if err != nil {
		w.Abort()
		return nil, err
	}
	w.done = true
	w.release()
	if m != nil && !w.opts.DeferSQL {
		if err := w.s.Materialize(w.ctx); err != nil {
			return m, err
		}
	}
	return m, nil
}

func (w *VersionWriter) commit(ctx context.Context) (*datasets.Manifest, error) {
	// The key digests' merge needs only the rows written: it runs while
	// the builder finishes the last segments and their copies.
	type keyMerge struct {
		suspect map[uint64]bool
		err     error
	}
	merged := make(chan keyMerge, 1)
	go func() {
		suspect, err := w.mergeNewKeys()
		merged <- keyMerge{suspect, err}
	}()
	segs, acc, err := w.builder.Finish()
	km := <-merged
	if err != nil {
		return nil, err
	}
	if km.err != nil {
		return nil, km.err
	}
	if err := w.confirmKeys(segs, km.suspect); err != nil {
		return nil, err
	}
	// Writers of other datasets commit too: one catalog transaction at a
	// time (segment ids are allocated in it), rolled back under the lock.
	w.s.commitM.Lock()
	defer w.s.commitM.Unlock()
	m, err := w.record(ctx, segs, acc)
	if err != nil {
		w.rollback(ctx)
		return nil, err
	}
	w.publishManifest(m)
	w.journal.publish(w.s)
	w.commitKeys(m)
	return m, nil
}

// rollback ends the writer's open catalog transaction, if any.
func (w *VersionWriter) rollback(ctx context.Context) {
	if w.conn == nil {
		return
	}
	w.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	w.conn.Close()
	w.conn = nil
}

// record runs the catalog transaction that records the version and the
// job's checkpoint.
func (w *VersionWriter) record(ctx context.Context, segs []datasets.SegmentRef, acc *datasets.Accumulator) (*datasets.Manifest, error) {
	var err error
	if w.lease != nil {
		if err := w.lease.check(ctx); err != nil {
			return nil, err
		}
	}
	if w.conn, err = w.s.db.Conn(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if _, err := w.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if w.s.db.Dialect() == catalogdb.Postgres {
		// Segment ids are max(id)+1: writers of other datasets in other
		// processes wait here (SQLite's BEGIN IMMEDIATE already does).
		if _, err := w.conn.ExecContext(ctx, "LOCK TABLE gt.segments IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
	}
	if err := w.registerDataset(ctx); err != nil {
		return nil, err
	}
	var m *datasets.Manifest
	if w.rows > 0 || w.opts.KeepRows != nil {
		if m, err = w.recordVersion(ctx, segs, acc); err != nil {
			return nil, err
		}
	}
	w.journal.at, w.journal.seq = time.Now().UTC(), w.s.seq.Add(1)
	if err := w.saveCheckpoint(ctx, m); err != nil {
		return nil, err
	}
	if err := w.journalVersion(ctx, m); err != nil {
		return nil, err
	}
	if _, err := w.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("%w: committing %s: %v", ErrCatalog, w.dataset, err)
	}
	return m, nil
}

// journalVersion records what the manifest does not say about a new
// version (its job and note; the checkpoint is journaled as it is saved)
// and seals the transaction's journal entry.
func (w *VersionWriter) journalVersion(ctx context.Context, m *datasets.Manifest) error {
	if m != nil {
		h, err := m.Hash()
		if err != nil {
			return err
		}
		if err := w.journal.add(versionRecordSQL,
			w.opts.Job, w.opts.Note, w.dataset, m.Version, h.String()); err != nil {
			return err
		}
	}
	return w.journal.seal(ctx, w.s, w.conn)
}

// publishManifest renames the committed version's staged manifest into
// manifests/. The version is committed either way: when the rename fails,
// the next writing Open restores the file from the catalog's copy.
func (w *VersionWriter) publishManifest(m *datasets.Manifest) {
	if w.staged == "" {
		return
	}
	if err := publishFile(w.s.root, w.staged, w.stagedRel); err != nil {
		w.s.log.Error("the manifest of a committed version could not be written; the next writing open restores it", "version", fmt.Sprintf("%s@%d", w.dataset, m.Version), "error", err)
	}
	w.staged = ""
}

func (w *VersionWriter) recordVersion(ctx context.Context, segs []datasets.SegmentRef, acc *datasets.Accumulator) (*datasets.Manifest, error) {
	total := w.keptAcc
	if err := total.Join(acc); err != nil {
		return nil, err
	}
	m := w.manifest(append(append([]datasets.SegmentRef{}, w.kept...), segs...), total)
	raw, err := m.Canonical()
	if err != nil {
		return nil, err
	}
	mh, _ := m.Hash()
	// The manifest file appears only after the catalog commits (publish), so
	// a manifest the catalog lacks always means a lost or older catalog.
	if w.staged, err = stageFile(w.s.root, raw); err != nil {
		return nil, err
	}
	w.stagedRel = datasets.ManifestPath(mh)
	if err := w.insertCatalog(ctx, m, raw, mh, segs, total); err != nil {
		return nil, fmt.Errorf("%w: recording %s@%d: %v", ErrCatalog, w.dataset, m.Version, err)
	}
	return m, nil
}

func (w *VersionWriter) manifest(segs []datasets.SegmentRef, acc *datasets.Accumulator) *datasets.Manifest {
	now := w.createdAt()
	prov := w.opts.Provenance
	if prov.Sources == nil {
		prov.Sources = []string{}
	}
	if prov.Inputs == nil {
		prov.Inputs = []datasets.Hash{}
	}
	m := &datasets.Manifest{
		FormatVersion: datasets.FormatVersion, Dataset: w.dataset, Version: 1, Schema: *w.schema,
		Segments: segs, RowCount: acc.End(), MerkleRoot: acc.Root(), AppendOnly: w.opts.KeepRows == nil,
		ReportHash: w.opts.ReportHash, Provenance: prov, Pipeline: w.opts.Pipeline, CreatedAt: datasets.FormatTime(now),
	}
	if w.parent != nil {
		m.Version = w.parent.version + 1
		m.Parent = &datasets.ParentRef{Version: w.parent.version, MerkleRoot: w.parent.root, RowCount: w.parent.rows}
	}
	return m
}

func (w *VersionWriter) insertCatalog(ctx context.Context, m *datasets.Manifest, raw []byte, mh datasets.Hash, segs []datasets.SegmentRef, acc *datasets.Accumulator) error {
	keptIDs, err := w.keptSegmentIDs(ctx)
	if err != nil {
		return err
	}
	firstSeg, err := w.nextSegmentID(ctx)
	if err != nil {
		return err
	}
	for i, seg := range segs {
		id := firstSeg + int32(i)
		if _, err := w.conn.ExecContext(ctx, `INSERT INTO gt.segments VALUES (?, ?, ?, ?, ?, ?, false)`,
			id, w.dataset, seg.SHA256.String(), seg.Path, seg.Rows, seg.Bytes); err != nil {
			return err
		}
		keptIDs = append(keptIDs, id)
	}
	var first uint64
	for i, seg := range m.Segments {
		if _, err := w.conn.ExecContext(ctx, `INSERT INTO gt.version_segments VALUES (?, ?, ?, ?, ?)`,
			w.dataset, m.Version, i, keptIDs[i], first); err != nil {
			return err
		}
		first += seg.Rows
	}
	compact, _ := json.Marshal(acc.Hashes())
	var parent any
	if m.Parent != nil {
		parent = m.Parent.Version
	}
	_, err = w.conn.ExecContext(ctx, `INSERT INTO gt.versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sealed', false, ?, ?, ?)`,
		w.dataset, m.Version, mh.String(), string(raw), m.MerkleRoot.String(), m.RowCount, parent,
		m.AppendOnly, string(compact), w.opts.Job, w.opts.Note, catalogTime(m.CreatedAt))
	return err
}

func (w *VersionWriter) keptSegmentIDs(ctx context.Context) ([]int32, error) {
	if len(w.kept) == 0 {
		return nil, nil
	}
	rows, err := w.conn.QueryContext(ctx, `SELECT segment_id FROM gt.version_segments
		WHERE dataset = ? AND version = ? ORDER BY ordinal LIMIT ?`, w.dataset, w.parent.version, len(w.kept))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int32
	for rows.Next() {
		var id int32
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (w *VersionWriter) saveCheckpoint(ctx context.Context, m *datasets.Manifest) error {
	if w.opts.Job == "" {
		return nil
	}
	var version any
	switch {
	case m != nil:
		version = m.Version
	case w.parent != nil:
		version = w.parent.version
	}
	_, err := w.journal.exec(ctx, w.conn, `INSERT OR REPLACE INTO gt.checkpoints VALUES (?, ?, ?, ?, now())`,
		w.opts.Job, string(w.opts.Checkpoint), w.dataset, version)
	if err != nil {
		return fmt.Errorf("%w: saving checkpoint of job %s: %v", ErrCatalog, w.opts.Job, err)
	}
	return nil
}

// createdAt is the new version's creation time (WriteOptions.Now, fixed at
// the first call when zero).
func (w *VersionWriter) createdAt() time.Time {
	if w.opts.Now.IsZero() {
		w.opts.Now = time.Now()
	}
	return w.opts.Now
}

// manifestFile returns the absolute path of a manifest.
func (s *Store) manifestFile(h datasets.Hash) string {
	return filepath.Join(s.root, datasets.ManifestPath(h))
}
