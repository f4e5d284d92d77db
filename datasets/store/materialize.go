package store

import (
	"context"
	"fmt"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// pendingVersion is a committed version that SQL cannot query yet.
type pendingVersion struct {
	dataset string
	version uint64
}

// Materialize makes every committed version that is not yet queryable
// answer SQL: it writes the Parquet copy of each of its segments
// (sql/<segment-sha256>.parquet, see datasets/sqlview) unless a readable
// copy exists (the seal writes them unless WriteOptions.DeferSQL) and
// records it in the catalog, one transaction per version, oldest first. No row is copied into the catalog: SQL over rows runs in a
// datasets/sqlview engine (see SQLVersions). Commit calls it unless WriteOptions.DeferSQL is set, and Open
// calls it to finish work a crash interrupted. The copies are derived data:
// the version itself (manifest, segments, checkpoint) is already committed.
func (s *Store) Materialize(ctx context.Context) error {
	s.matM.Lock()
	defer s.matM.Unlock()
	pending, err := s.pendingVersions(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		if err := s.materialize(ctx, p.dataset, p.version); err != nil {
			return fmt.Errorf("%w: making %s@%d queryable by SQL: %v", ErrCatalog, p.dataset, p.version, err)
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

func (s *Store) materialize(ctx context.Context, dataset string, version uint64) error {
	rec, err := s.Version(ctx, dataset, version)
	if err != nil {
		return err
	}
	m := rec.Manifest
	if err := WriteParquetCopies(ctx, s.root, m); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := []struct {
		sql  string
		args []any
	}{
		{`UPDATE gt.segments SET loaded = true WHERE id IN
			(SELECT segment_id FROM gt.version_segments WHERE dataset = ? AND version = ?)`, []any{dataset, version}},
		{`UPDATE gt.versions SET materialized = true WHERE dataset = ? AND version = ?`, []any{dataset, version}},
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("recording the Parquet copies of %s@%d: %v", dataset, version, err)
		}
	}
	return tx.Commit()
}

// WriteParquetCopies writes the Parquet copy of every segment of m whose
// copy is missing, on up to GOMAXPROCS goroutines.
func WriteParquetCopies(ctx context.Context, root string, m *datasets.Manifest) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, seg := range m.Segments {
		g.Go(func() error {
			_, err := sqlview.WriteSegment(ctx, root, seg, &m.Schema)
			return err
		})
	}
	return g.Wait()
}
