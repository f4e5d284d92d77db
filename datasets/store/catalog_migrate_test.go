package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	_ "github.com/duckdb/duckdb-go/v2" // the fixture's DuckDB catalog, read directly
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestMigrateDuckDBCatalog migrates the committed DuckDB data directory
// into SQLite and PostgreSQL: every table equal row for row, the old file
// kept under a new name with its bytes, a log line; a second run finds
// nothing to migrate; a failed copy leaves the old file in place.
func TestMigrateDuckDBCatalog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg := testpg.Start(t)
	fixture := t.TempDir()
	copyDir(t, fixtureDir, fixture)
	ro, err := sql.Open("duckdb", filepath.Join(fixture, store.DuckDBCatalogFile)+"?access_mode=READ_ONLY")
	must(t, err)
	want := map[string]string{}
	for _, table := range store.CatalogTables() {
		want[table] = dumpTable(t, func(q string) (*sql.Rows, error) { return ro.QueryContext(ctx, q) }, table, nil)
	}
	ro.Close()
	old, err := os.ReadFile(filepath.Join(fixture, store.DuckDBCatalogFile))
	must(t, err)
	tests := []struct {
		name string
		loc  func(t testing.TB) string
	}{
		{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "catalog.sqlite") }},
		{"postgres", pg.NewDatabase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			copyDir(t, fixtureDir, root)
			to := openCatalogDB(t, tc.loc(t))
			var logs bytes.Buffer
			rep, err := store.MigrateDuckDBCatalog(ctx, root, to, slog.New(slog.NewTextHandler(&logs, nil)))
			must(t, err)
			if rep.Rows["versions"] != 3 || rep.Rows["journal"] == 0 || !strings.HasPrefix(rep.Kept, store.DuckDBCatalogFile+".migrated-") {
				t.Fatalf("report %+v", rep)
			}
			if _, err := os.Stat(filepath.Join(root, store.DuckDBCatalogFile)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the old catalog is still in place: %v", err)
			}
			kept, err := os.ReadFile(filepath.Join(root, rep.Kept))
			if err != nil || !bytes.Equal(kept, old) {
				t.Fatalf("the old catalog was not kept as it was: %v", err)
			}
			if !strings.Contains(logs.String(), "catalog migrated from DuckDB") {
				t.Fatalf("no log line: %q", logs.String())
			}
			compareTables(t, ctx, to, want, store.CatalogTables(), nil)
			if _, err := store.MigrateDuckDBCatalog(ctx, root, to, nil); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("second migration: %v, want ErrNotFound", err)
			}
		})
	}
	t.Run("failed copy keeps the old file", func(t *testing.T) {
		root := t.TempDir()
		copyDir(t, fixtureDir, root)
		loc := filepath.Join(t.TempDir(), "catalog.sqlite")
		openCatalogDB(t, loc).Close()
		to, err := catalogdb.Open(ctx, loc, catalogdb.Options{ReadOnly: true})
		must(t, err)
		defer to.Close()
		if _, err := store.MigrateDuckDBCatalog(ctx, root, to, nil); !errors.Is(err, store.ErrCatalog) {
			t.Fatalf("migration into a read-only catalog: %v, want ErrCatalog", err)
		}
		if got, err := os.ReadFile(filepath.Join(root, store.DuckDBCatalogFile)); err != nil || !bytes.Equal(got, old) {
			t.Fatalf("the old catalog moved or changed: %v", err)
		}
		if m, _ := filepath.Glob(filepath.Join(root, "*.migrated-*")); len(m) != 0 {
			t.Fatalf("renamed after a failure: %v", m)
		}
	})
}
