package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// checkSQLCopies lists the Parquet copies (sql/<segment-sha256>.parquet)
// of the catalogued versions' segments that are missing, unreadable, of an
// older format or hold another number of rows than their segment: a crash
// between a segment and its copy, a damaged or deleted copy. RepairSQLCopies
// recreates them from the segments. It reads each copy's footer, not its
// pages; a damaged page is found by the query that reads it.
func (s *Store) checkSQLCopies(ctx context.Context, r *CheckReport) error {
	rows, err := s.db.QueryContext(ctx, `SELECT manifest_json FROM gt.versions WHERE materialized ORDER BY dataset, version`)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	seen := map[datasets.Hash]bool{}
	for rows.Next() {
		var mj string
		if err := rows.Scan(&mj); err != nil {
			return fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		m, err := datasets.ParseManifest([]byte(mj))
		if err != nil {
			continue // Check reports the manifest itself
		}
		for _, seg := range m.Segments {
			if seen[seg.SHA256] {
				continue
			}
			seen[seg.SHA256] = true
			rel := sqlview.ParquetPath(seg.SHA256)
			info, err := sqlview.ReadCopyInfo(filepath.Join(s.root, rel))
			detail := ""
			switch {
			case err != nil && !exists(filepath.Join(s.root, rel)):
				detail = "Parquet copy missing (`catalog check --repair` recreates it from the segment)"
			case err != nil:
				detail = fmt.Sprintf("Parquet copy unreadable or stale: %v (`catalog check --repair` recreates it)", err)
			case info.Rows != seg.Rows:
				detail = fmt.Sprintf("Parquet copy holds %d rows, the segment %d (`catalog check --repair` recreates it)", info.Rows, seg.Rows)
			default:
				continue
			}
			r.SQLCopies = append(r.SQLCopies, FileProblem{Path: rel, Version: fmt.Sprintf("%s@%d", m.Dataset, m.Version), Detail: detail})
		}
	}
	return rows.Err()
}

// RepairSQLCopies recreates, from their segment files, the Parquet copies
// r.SQLCopies lists (sqlview.Rebuild: the segment must hash to its name),
// moving each repaired one to r.RepairedCopies. The copies are derived
// data: nothing else is written. A copy whose segment is missing or damaged
// stays listed, with the reason.
func (s *Store) RepairSQLCopies(ctx context.Context, r *CheckReport) error {
	if s.opts.ReadOnly {
		return fmt.Errorf("%w: repairing Parquet copies needs the store opened for writing", ErrReadOnly)
	}
	var left []FileProblem
	for _, p := range r.SQLCopies {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := datasets.ParseHash(strings.TrimSuffix(strings.TrimPrefix(p.Path, sqlview.Dir+"/"), ".parquet"))
		if err != nil {
			left = append(left, p)
			continue
		}
		if _, err := sqlview.Rebuild(ctx, s.root, datasets.SegmentPath(h)); err != nil {
			p.Detail = fmt.Sprintf("not repaired: %v", err)
			left = append(left, p)
			continue
		}
		s.log.Info("recreated a Parquet copy from its segment", "path", p.Path)
		r.RepairedCopies = append(r.RepairedCopies, p.Path)
	}
	r.SQLCopies = left
	return nil
}
