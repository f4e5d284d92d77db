package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
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

func migrate(ctx context.Context, db *sql.DB) error {
	for _, stmt := range allDDL() {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w: creating catalog tables: %v", ErrCatalog, err)
		}
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

// sqlType is the DuckDB type a logical type is stored as in the catalog.
func sqlType(t datasets.Type) string {
	switch t {
	case datasets.TypeBool:
		return "BOOLEAN"
	case datasets.TypeInt8:
		return "TINYINT"
	case datasets.TypeInt16:
		return "SMALLINT"
	case datasets.TypeInt32:
		return "INTEGER"
	case datasets.TypeInt64:
		return "BIGINT"
	case datasets.TypeUint8:
		return "UTINYINT"
	case datasets.TypeUint16:
		return "USMALLINT"
	case datasets.TypeUint32:
		return "UINTEGER"
	case datasets.TypeUint64:
		return "UBIGINT"
	case datasets.TypeFloat64:
		return "DOUBLE"
	case datasets.TypeBytes:
		return "BLOB"
	case datasets.TypeUint256, datasets.TypeInt256:
		return "BIGNUM"
	case datasets.TypeTimestamp:
		return "TIMESTAMPTZ"
	}
	return "VARCHAR" // string, address, bytes32
}

// quoteIdent quotes a SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// dataTable is the catalog table holding the rows of a dataset.
func dataTable(dataset string) string { return "data." + quoteIdent(dataset) }

// versionView is the name of the view of one version.
func versionView(dataset string, version uint64) string {
	return quoteIdent(fmt.Sprintf("%s@%d", dataset, version))
}

func createDataTable(ctx context.Context, tx execer, s *datasets.Schema, dataset string) error {
	cols := []string{"_seg INTEGER NOT NULL", "_off BIGINT NOT NULL"}
	for _, c := range s.Columns {
		cols = append(cols, quoteIdent(c.Name)+" "+sqlType(c.Type))
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", dataTable(dataset), strings.Join(cols, ", ")))
	return err
}

// insertSelect is the INSERT that converts a loaded Arrow view into the
// catalog's column types.
func insertSelect(s *datasets.Schema, dataset, view string) string {
	exprs := []string{"_seg", "_off"}
	for _, c := range s.Columns {
		q := quoteIdent(c.Name)
		switch c.Type {
		case datasets.TypeAddress, datasets.TypeBytes32:
			exprs = append(exprs, "'0x' || lower(hex("+q+"))")
		case datasets.TypeUint256, datasets.TypeInt256:
			exprs = append(exprs, "CAST("+q+" AS BIGNUM)")
		default:
			exprs = append(exprs, q)
		}
	}
	return fmt.Sprintf("INSERT INTO %s SELECT %s FROM %s", dataTable(dataset), strings.Join(exprs, ", "), quoteIdent(view))
}

func createViews(ctx context.Context, tx execer, dataset string, version uint64) error {
	stmts := []string{
		fmt.Sprintf(`CREATE OR REPLACE VIEW %s AS SELECT vs.first_row + d._off AS _row, d.* EXCLUDE (_seg, _off)
			FROM %s d JOIN gt.version_segments vs ON d._seg = vs.segment_id
			WHERE vs.dataset = '%s' AND vs.version = %d`, versionView(dataset, version), dataTable(dataset), dataset, version),
		fmt.Sprintf(`CREATE OR REPLACE VIEW %s AS SELECT * FROM %s`, quoteIdent(dataset), versionView(dataset, version)),
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w: creating views of %s@%d: %v", ErrCatalog, dataset, version, err)
		}
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
