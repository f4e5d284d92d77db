package store

import (
	"context"
	"errors"
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
// recreates them from the segments. A copy whose footer is in order is then
// proven against its segment (sqlview.CopyVerifier: written again from the
// segment, the two SHA-256 compared; a proof is kept in the user's cache
// while the file keeps its identity), so a copy replaced or edited by
// anyone is listed too.
func (s *Store) checkSQLCopies(ctx context.Context, r *CheckReport) error {
	rows, err := s.db.QueryContext(ctx, `SELECT manifest_json FROM gt.versions WHERE materialized ORDER BY dataset, version`)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	seen := map[datasets.Hash]bool{}
	cv := s.CopyVerifier()
	absRoot, err := filepath.Abs(s.root)
	if err != nil {
		return err
	}
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
				detail = s.proveCopy(ctx, cv, sqlview.Segment{SHA256: seg.SHA256, Rows: seg.Rows, Parquet: filepath.Join(absRoot, rel)})
				if detail == "" {
					continue
				}
			}
			r.SQLCopies = append(r.SQLCopies, FileProblem{Path: rel, Version: fmt.Sprintf("%s@%d", m.Dataset, m.Version), Detail: detail})
		}
	}
	return rows.Err()
}

// proveCopy returns why the copy seg.Parquet is not the one its segment
// gives, or "" when it is.
func (s *Store) proveCopy(ctx context.Context, cv *sqlview.CopyVerifier, seg sqlview.Segment) string {
	err := cv.Verify(ctx, seg)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, sqlview.ErrCopyMismatch):
		return "Parquet copy does not match its segment: tampered with or damaged (`catalog check --repair` recreates it)"
	default:
		return fmt.Sprintf("Parquet copy not proven: %v", err)
	}
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
