package store_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// portable renders a value read from any catalog backend the same way.
func portable(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		if utf8.Valid(x) {
			return strconv.Quote(string(x))
		}
		return "0x" + hex.EncodeToString(x)
	case string:
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v) // integers of every width
}

// dumpTable renders every row of one gt table, sorted.
func dumpTable(t *testing.T, query func(string) (*sql.Rows, error), table string) string {
	t.Helper()
	rows, err := query("SELECT * FROM gt." + table)
	if err != nil {
		t.Fatalf("gt.%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := make([]string, len(vals))
		for i, v := range vals {
			r[i] = cols[i] + "=" + portable(v)
		}
		out = append(out, strings.Join(r, " "))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// journalTables are the tables a journal replay alone restores (the
// datasets, segments and their links come from the manifests).
var journalTables = []string{"checkpoints", "runs", "validation_runs", "findings", "flagged_rows", "quarantine",
	"metrics", "lineage", "signatures", "attestations", "revocations", "steward_keys", "journal"}

// TestCatalogPortsToSQLiteAndPostgres fills today's DuckDB catalog with
// every kind of fact, then, on SQLite and on PostgreSQL, copies it (every
// table equal, row for row) and replays the journal into an empty catalog
// (every journal-made table equal).
func TestCatalogPortsToSQLiteAndPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root := t.TempDir()
	s := openStore(t, root)
	fillCatalog(t, s, func() {})
	s.Close()
	ro, err := store.Open(ctx, root, store.Options{ReadOnly: true})
	must(t, err)
	defer ro.Close()
	want := map[string]string{}
	for _, table := range store.CatalogTables() {
		want[table] = dumpTable(t, func(q string) (*sql.Rows, error) { return ro.DB().QueryContext(ctx, q) }, table)
	}
	pg := testpg.Start(t)
	backends := []struct {
		name string
		loc  func(t testing.TB) string
	}{
		{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "catalog.sqlite") }},
		{"postgres", pg.NewDatabase},
	}
	for _, b := range backends {
		t.Run(b.name+"/copy", func(t *testing.T) {
			to := openCatalogDB(t, b.loc(t))
			rep, err := ro.CopyCatalogTo(ctx, to)
			must(t, err)
			if rep.Rows["versions"] != 3 || rep.Rows["quarantine"] != 1 || rep.Rows["journal"] == 0 {
				t.Fatalf("copied %v", rep.Rows)
			}
			if _, err := ro.CopyCatalogTo(ctx, to); err != nil {
				t.Fatalf("a second copy (an interrupted migrate run again): %v", err)
			}
			compareTables(t, ctx, to, want, store.CatalogTables())
		})
		t.Run(b.name+"/journal", func(t *testing.T) {
			to := openCatalogDB(t, b.loc(t))
			rep, err := ro.ReplayJournalTo(ctx, to)
			must(t, err)
			if rep.JournalEntries == 0 || len(rep.Skipped) != 0 {
				t.Fatalf("replay: %+v", rep)
			}
			compareTables(t, ctx, to, want, journalTables)
		})
	}
}

func openCatalogDB(t *testing.T, loc string) *catalogdb.DB {
	t.Helper()
	db, err := catalogdb.Open(context.Background(), loc, catalogdb.Options{})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func compareTables(t *testing.T, ctx context.Context, db *catalogdb.DB, want map[string]string, tables []string) {
	t.Helper()
	for _, table := range tables {
		got := dumpTable(t, func(q string) (*sql.Rows, error) { return db.QueryContext(ctx, q) }, table)
		if got != want[table] {
			t.Errorf("gt.%s differs on %s:\n got %.800s\nwant %.800s", table, db.Dialect(), got, want[table])
		}
	}
}
