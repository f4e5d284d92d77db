package store

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// SQLVersions lists every version of every dataset (or of one dataset when
// dataset is not empty) in the form datasets/sqlview serves: status,
// schema, counts and each segment's Parquet copy under the data directory.
// Branch catalog ports this read to the new catalog backends.
func (s *Store) SQLVersions(ctx context.Context, dataset string) ([]sqlview.Version, error) {
	q := `SELECT manifest_json, manifest_hash, status FROM gt.versions`
	var args []any
	if dataset != "" {
		q += ` WHERE dataset = ?`
		args = append(args, dataset)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY dataset, version`, args...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	type row struct {
		m      *datasets.Manifest
		h      datasets.Hash
		status string
	}
	var all []row
	for rows.Next() {
		var mj, mh, status string
		if err := rows.Scan(&mj, &mh, &status); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		m, err := datasets.ParseManifest([]byte(mj))
		if err != nil {
			return nil, fmt.Errorf("%w: catalog copy of a manifest: %v", ErrCatalog, err)
		}
		h, err := datasets.ParseHash(mh)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		all = append(all, row{m, h, status})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	rows.Close() // the status checks below read the catalog again
	out := make([]sqlview.Version, 0, len(all))
	for _, r := range all {
		status, err := s.sqlStatus(ctx, r.m, r.h, r.status)
		if err != nil {
			return nil, err
		}
		out = append(out, SQLVersion(s.root, r.m, r.h, status))
	}
	return out, nil
}

// SQLVersion describes version m (manifest hash mh) for datasets/sqlview,
// its segments' Parquet copies under root.
func SQLVersion(root string, m *datasets.Manifest, mh datasets.Hash, status sqlview.Status) sqlview.Version {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root
	}
	v := sqlview.Version{Dataset: m.Dataset, Version: m.Version, Status: status, Schema: m.Schema,
		Rows: m.RowCount, Root: m.MerkleRoot, ManifestHash: mh}
	var first uint64
	for _, seg := range m.Segments {
		v.Segments = append(v.Segments, sqlview.Segment{SHA256: seg.SHA256, FirstRow: first, Rows: seg.Rows,
			Parquet: filepath.Join(abs, sqlview.ParquetPath(seg.SHA256))})
		first += seg.Rows
	}
	return v
}
