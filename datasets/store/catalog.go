package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// catalogVersion is the catalog schema version recorded in gt.meta.
const catalogVersion = "1"

// ddl creates the catalog tables; every statement is idempotent.
var ddl = []string{
	`CREATE SCHEMA IF NOT EXISTS gt`,
	`CREATE SCHEMA IF NOT EXISTS data`,
	`CREATE TABLE IF NOT EXISTS gt.meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.datasets (
		name VARCHAR PRIMARY KEY, schema_json VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.versions (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL,
		manifest_hash VARCHAR NOT NULL, manifest_json VARCHAR NOT NULL,
		merkle_root VARCHAR NOT NULL, row_count UBIGINT NOT NULL,
		parent_version UBIGINT, append_only BOOLEAN NOT NULL,
		compact_range VARCHAR NOT NULL, status VARCHAR NOT NULL, materialized BOOLEAN NOT NULL,
		job VARCHAR, note VARCHAR, created_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (dataset, version))`,
	`CREATE TABLE IF NOT EXISTS gt.segments (
		id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
		path VARCHAR NOT NULL, rows UBIGINT NOT NULL, bytes UBIGINT NOT NULL, loaded BOOLEAN NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.version_segments (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, ordinal INTEGER NOT NULL,
		segment_id INTEGER NOT NULL, first_row UBIGINT NOT NULL,
		PRIMARY KEY (dataset, version, ordinal))`,
	`CREATE TABLE IF NOT EXISTS gt.checkpoints (
		job VARCHAR PRIMARY KEY, cursor VARCHAR, dataset VARCHAR NOT NULL,
		version UBIGINT, updated_at TIMESTAMPTZ NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS gt.runs (
		id VARCHAR PRIMARY KEY, job VARCHAR NOT NULL, dataset VARCHAR,
		started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ, outcome VARCHAR NOT NULL,
		rows_in UBIGINT, rows_accepted UBIGINT, rows_quarantined UBIGINT,
		version UBIGINT, error VARCHAR)`,
}

func migrate(ctx context.Context, db *catalogdb.DB) error {
	if err := db.Migrate(ctx, CatalogDDL()); err != nil {
		return fmt.Errorf("%w: creating catalog tables: %v", ErrCatalog, err)
	}
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM gt.meta WHERE key = 'catalog_version'`).Scan(&v)
	switch {
	case err == sql.ErrNoRows:
		_, err = db.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('catalog_version', ?)`, catalogVersion)
		return err
	case err != nil:
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	case v != catalogVersion:
		return fmt.Errorf("%w: catalog version %s is not supported by this build (want %s)", ErrCatalog, v, catalogVersion)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
