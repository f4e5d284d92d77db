package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// queryStore runs q on the catalog when it names a gt table, else on a
// sqlview engine over the store's versions in which "D" is the latest
// non-revoked version of any status (the tests check sealed versions; the
// query command's "D" is the latest attested one), handing the rows to fn.
func queryStore(t *testing.T, st *store.Store, q string, fn func(*sql.Rows) error) {
	t.Helper()
	ctx := context.Background()
	if strings.Contains(q, "gt.") {
		rows, err := st.DB().QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		if err := fn(rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return
	}
	vs, err := st.SQLVersions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range vs {
		if vs[i].Status != sqlview.StatusRevoked {
			vs[i].Status = sqlview.StatusAttested
		}
	}
	dir, err := filepath.Abs(filepath.Join(st.Root(), sqlview.Dir))
	if err != nil {
		t.Fatal(err)
	}
	e, err := sqlview.Open(ctx, vs, sqlview.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Query(ctx, q, fn); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// scanOne scans the first row of a result into dest.
func scanOne(dest ...any) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		if !r.Next() {
			return sql.ErrNoRows
		}
		return r.Scan(dest...)
	}
}
