package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // the fixture's DuckDB catalog, read directly

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

// TestOpenMigratesDuckDBCatalog opens the committed DuckDB-era directory:
// a read-only open refuses it naming `catalog migrate`; a writing open
// migrates it (a log line, the old file kept, Migrated reports it) and
// every version verifies and is queryable; the next open migrates nothing.
func TestOpenMigratesDuckDBCatalog(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	copyDir(t, fixtureDir, root)
	if _, err := store.Open(ctx, root, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrCatalogStale) || !strings.Contains(err.Error(), "catalog migrate") {
		t.Fatalf("read-only open of a DuckDB-era directory: %v", err)
	}
	var logs bytes.Buffer
	s, err := store.Open(ctx, root, store.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	must(t, err)
	rep := s.Migrated()
	if rep == nil || rep.Rows["versions"] != 3 || !strings.Contains(logs.String(), "catalog migrated from DuckDB") {
		t.Fatalf("migration report %+v, log:\n%s", rep, logs.String())
	}
	if _, err := os.Stat(filepath.Join(root, rep.Kept)); err != nil {
		t.Fatalf("old catalog not kept: %v", err)
	}
	for v := uint64(1); v <= 3; v++ {
		if ver, err := s.Verify(ctx, "votes", v); err != nil || ver.Err() != nil {
			t.Fatalf("votes@%d after the migration: %v %v", v, err, ver.Err())
		}
	}
	if n := count(t, s, `SELECT count(*) FROM "votes@3"`); n == 0 {
		t.Fatal("votes@3 is not queryable after the migration")
	}
	s.Close()
	s, err = store.Open(ctx, root, store.Options{})
	must(t, err)
	defer s.Close()
	if s.Migrated() != nil {
		t.Fatal("a second open migrated again")
	}
}
