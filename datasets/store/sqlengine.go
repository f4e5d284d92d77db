package store

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// SQLEngine opens a datasets/sqlview engine over every version of the
// store (the catalog holds no rows): "D@N" for each version, "D" for a
// dataset's latest attested, non-revoked version, and versions. opts.Dir
// defaults to the data directory's sql/ folder. RefreshSQL brings it up to
// date with the catalog; the caller closes it.
func (s *Store) SQLEngine(ctx context.Context, opts sqlview.Options) (*sqlview.Engine, error) {
	vs, err := s.SQLVersions(ctx, "")
	if err != nil {
		return nil, err
	}
	if opts.Dir == "" {
		abs, err := filepath.Abs(filepath.Join(s.root, sqlview.Dir))
		if err != nil {
			return nil, err
		}
		opts.Dir = abs
	}
	if opts.MemoryLimit == "" {
		opts.MemoryLimit = s.opts.MemoryLimit
	}
	e, err := sqlview.Open(ctx, vs, opts)
	if err != nil {
		return nil, fmt.Errorf("opening the SQL engine of %s: %w", s.root, err)
	}
	return e, nil
}

// RefreshSQL replaces e's views with those of the catalog's versions now.
func (s *Store) RefreshSQL(ctx context.Context, e *sqlview.Engine) error {
	vs, err := s.SQLVersions(ctx, "")
	if err != nil {
		return err
	}
	return e.Refresh(ctx, vs)
}

// CopyVerifier proves the store's Parquet copies against their segments
// before they are read, keeping its proofs in the user's cache directory
// (sqlview.DefaultCopyProofs).
func (s *Store) CopyVerifier() *sqlview.CopyVerifier {
	return &sqlview.CopyVerifier{Root: s.root, Cache: sqlview.DefaultCopyProofs()}
}
