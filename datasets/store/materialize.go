package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// pendingVersion is a committed version whose rows are not in the SQL
// tables yet.
type pendingVersion struct {
	dataset string
	version uint64
}

// Materialize loads the rows of every committed version that is not yet
// queryable into the catalog's SQL tables and points the views "D" and
// "D@N" at them, one transaction per version, oldest first. Commit calls it
// unless WriteOptions.DeferSQL is set, and Open calls it to finish work a
// crash interrupted. The rows are a derived index of the segment files: the
// version itself (manifest, segments, checkpoint) is already committed.
func (s *Store) Materialize(ctx context.Context) error {
	s.matM.Lock()
	defer s.matM.Unlock()
	pending, err := s.pendingVersions(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if err := s.materialize(ctx, p.dataset, p.version); err != nil {
			return fmt.Errorf("%w: loading the rows of %s@%d into SQL: %v", ErrCatalog, p.dataset, p.version, err)
		}
		s.log.Debug("rows queryable", "dataset", p.dataset, "version", p.version)
	}
	return nil
}

func (s *Store) pendingVersions(ctx context.Context) ([]pendingVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT dataset, version FROM gt.versions WHERE NOT materialized ORDER BY dataset, version`)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []pendingVersion
	for rows.Next() {
		var p pendingVersion
		if err := rows.Scan(&p.dataset, &p.version); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// segmentToLoad is a segment of a version whose rows are not loaded yet.
type segmentToLoad struct {
	id  int32
	ref datasets.SegmentRef
}

func (s *Store) materialize(ctx context.Context, dataset string, version uint64) error {
	rec, err := s.Version(ctx, dataset, version)
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := s.materializeTx(ctx, conn, rec.Manifest); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

func (s *Store) materializeTx(ctx context.Context, conn *sql.Conn, m *datasets.Manifest) error {
	if err := createDataTable(ctx, conn, &m.Schema, m.Dataset); err != nil {
		return err
	}
	todo, err := segmentsToLoad(ctx, conn, m)
	if err != nil {
		return err
	}
	for _, seg := range todo {
		if err := s.loadSegment(ctx, conn, m, seg); err != nil {
			return err
		}
	}
	if err := createViews(ctx, conn, m.Dataset, m.Version); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `UPDATE gt.versions SET materialized = true WHERE dataset = ? AND version = ?`, m.Dataset, m.Version)
	return err
}

func segmentsToLoad(ctx context.Context, conn *sql.Conn, m *datasets.Manifest) ([]segmentToLoad, error) {
	rows, err := conn.QueryContext(ctx, `SELECT vs.ordinal, s.id FROM gt.version_segments vs JOIN gt.segments s ON s.id = vs.segment_id
		WHERE vs.dataset = ? AND vs.version = ? AND NOT s.loaded ORDER BY vs.ordinal`, m.Dataset, m.Version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []segmentToLoad
	for rows.Next() {
		var ord int
		var id int32
		if err := rows.Scan(&ord, &id); err != nil {
			return nil, err
		}
		if ord >= len(m.Segments) {
			return nil, fmt.Errorf("segment ordinal %d outside the manifest's %d segments", ord, len(m.Segments))
		}
		out = append(out, segmentToLoad{id: id, ref: m.Segments[ord]})
	}
	return out, rows.Err()
}

// loadSegment copies one segment file's rows into the data table.
func (s *Store) loadSegment(ctx context.Context, conn *sql.Conn, m *datasets.Manifest, seg segmentToLoad) error {
	sr, err := datasets.OpenSegment(s.root, seg.ref, &m.Schema)
	if err != nil {
		return err
	}
	defer sr.Close()
	l := newLoader(conn, &m.Schema, m.Dataset, seg.id, math.MaxInt)
	defer l.discard()
	for b := 0; b < sr.NumBatches(); b++ {
		rec, err := sr.Batch(b)
		if err != nil {
			return err
		}
		err = l.add(ctx, rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	if err := l.flush(ctx); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `UPDATE gt.segments SET loaded = true WHERE id = ?`, seg.id)
	return err
}
