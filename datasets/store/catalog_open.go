package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// migrateDuckDB carries a catalog of earlier releases (catalog.duckdb) into
// the catalog when a writing Open finds one: the old file is kept as
// catalog.duckdb.migrated-<time>, every version is marked for its Parquet
// copies to be checked (Open writes the missing ones), and a log line says
// so. A read-only Open refuses such a directory with a hint.
func (s *Store) migrateDuckDB(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(s.root, DuckDBCatalogFile)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if s.opts.ReadOnly {
		if s.catalogMissing() {
			return fmt.Errorf("%w: %s holds a catalog of an earlier release (%s); run `groundtruth catalog migrate` (or any writing command) first",
				ErrCatalogStale, s.root, DuckDBCatalogFile)
		}
		return nil
	}
	rep, err := MigrateCatalog(ctx, s.root, s.location(), s.log)
	s.migrated = rep
	return err
}

// Migrated returns what Open migrated from a DuckDB catalog of an earlier
// release, or nil when it found none.
func (s *Store) Migrated() *MigrateReport { return s.migrated }

// MigrateCatalog carries the DuckDB catalog of the data directory root into
// the catalog at location (a postgres:// URL or an SQLite path) and marks
// every version for its Parquet copies to be checked at the next writing
// open. It is the core of `groundtruth catalog migrate`; without a DuckDB
// catalog it returns ErrNotFound.
func MigrateCatalog(ctx context.Context, root, location string, log *slog.Logger) (*MigrateReport, error) {
	to, err := catalogdb.Open(ctx, location, catalogdb.Options{})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer to.Close()
	rep, err := MigrateDuckDBCatalog(ctx, root, to, log)
	if err != nil {
		return nil, err
	}
	if _, err := to.ExecContext(ctx, `UPDATE gt.versions SET materialized = false`); err != nil {
		return rep, fmt.Errorf("%w: %s: %v", ErrCatalog, to.Location(), err)
	}
	return rep, nil
}
