package store

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// catalogStatements returns the store's catalog statements, the list the
// journal's allow-list is made of (CatalogStatements).
func catalogStatements(t *testing.T) map[string]string {
	t.Helper()
	stmts, err := CatalogStatements()
	if err != nil {
		t.Fatal(err)
	}
	return stmts
}

// TestCatalogStatementsPrepareOnSQLiteAndPostgres is the portability audit
// of the move off DuckDB: every catalog statement of the store, rebound
// by catalogdb, must compile (tables, columns, syntax, types) on a
// migrated SQLite and PostgreSQL catalog.
func TestCatalogStatementsPrepareOnSQLiteAndPostgres(t *testing.T) {
	stmts := catalogStatements(t)
	if len(stmts) < 40 {
		t.Fatalf("found only %d catalog statements in the source", len(stmts))
	}
	t.Logf("%d catalog statements", len(stmts))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg := testpg.Start(t)
	for _, loc := range []string{filepath.Join(t.TempDir(), "catalog.sqlite"), pg.NewDatabase(t)} {
		db, err := catalogdb.Open(ctx, loc, catalogdb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx, CatalogDDL()); err != nil {
			t.Fatal(err)
		}
		var where []string
		for w := range stmts {
			where = append(where, w)
		}
		sort.Strings(where)
		for _, w := range where {
			q, err := db.Rebind(stmts[w])
			if err == nil {
				var st interface{ Close() error }
				if st, err = db.SQL().PrepareContext(ctx, q); err == nil {
					st.Close()
				}
			}
			if err != nil {
				t.Errorf("%s: %s: %v\n%s", db.Dialect(), w, err, stmts[w])
			}
		}
	}
}
