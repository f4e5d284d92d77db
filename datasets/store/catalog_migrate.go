package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// MigrateReport describes a DuckDB catalog carried into a catalogdb one.
type MigrateReport struct {
	CopyReport
	// From is the DuckDB catalog file read; To the new catalog's location.
	From string `json:"from"`
	To   string `json:"to"`
	// Kept is the name the old file was renamed to (it is never deleted).
	Kept string `json:"kept"`
}

// MigrateDuckDBCatalog carries the DuckDB catalog of the data directory
// root (catalog.duckdb, opened read-only) into to: every gt table copied
// in one transaction, then every table's row count compared on both sides,
// then the old file (and its .wal) renamed catalog.duckdb.migrated-<time>,
// never deleted. Without a DuckDB catalog it returns ErrNotFound; on any
// error the old file stays where it was. It is the core of `catalog
// migrate` and of a writing Open that finds catalog.duckdb (MigrateCatalog).
func MigrateDuckDBCatalog(ctx context.Context, root string, to *catalogdb.DB, log *slog.Logger) (*MigrateReport, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path := filepath.Join(root, DuckDBCatalogFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: no DuckDB catalog %s to migrate", ErrNotFound, path)
	}
	rep, err := copyDuckDBCatalog(ctx, path, to)
	if err != nil {
		return nil, err
	}
	kept := fmt.Sprintf("%s.migrated-%s", DuckDBCatalogFile, time.Now().UTC().Format("20060102T150405Z"))
	if err := os.Rename(path, filepath.Join(root, kept)); err != nil {
		return nil, fmt.Errorf("%w: keeping the old catalog: %v", ErrCatalog, err)
	}
	if err := os.Rename(path+".wal", filepath.Join(root, kept+".wal")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: keeping the old catalog's WAL: %v", ErrCatalog, err)
	}
	log.Info("catalog migrated from DuckDB", "from", path, "to", to.Location(), "kept", kept, "versions", rep.Rows["versions"])
	return &MigrateReport{CopyReport: *rep, From: path, To: to.Location(), Kept: kept}, nil
}

func copyDuckDBCatalog(ctx context.Context, path string, to *catalogdb.DB) (*CopyReport, error) {
	conn, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", func(driver.ExecerContext) error { return nil })
	if err != nil {
		return nil, fmt.Errorf("%w: opening %s read-only: %v", ErrCatalog, path, err)
	}
	defer conn.Close()
	from := sql.OpenDB(conn)
	defer from.Close()
	rep, err := copyCatalog(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, table := range CatalogTables() {
		var a, b int
		if err := from.QueryRowContext(ctx, "SELECT count(*) FROM gt."+table).Scan(&a); err != nil {
			return nil, fmt.Errorf("%w: counting gt.%s in %s: %v", ErrCatalog, table, path, err)
		}
		if err := to.QueryRowContext(ctx, "SELECT count(*) FROM gt."+table).Scan(&b); err != nil {
			return nil, fmt.Errorf("%w: counting gt.%s in %s: %v", ErrCatalog, table, to.Location(), err)
		}
		if a != b {
			return nil, fmt.Errorf("%w: gt.%s has %d rows in %s but %d in %s after the copy", ErrCatalog, table, a, path, b, to.Location())
		}
	}
	return rep, nil
}
