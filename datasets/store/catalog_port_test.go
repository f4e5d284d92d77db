package store_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
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

// derived are the columns a rebuild does not restore as they were: segment
// ids and the SQL-readiness flags.
var derived = map[string]bool{"versions.materialized": true, "segments.id": true, "segments.loaded": true, "version_segments.segment_id": true}

// dumpTable renders every row of one gt table, sorted, without the
// columns skip names ("table.column").
func dumpTable(t *testing.T, query func(string) (*sql.Rows, error), table string, skip map[string]bool) string {
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
		var r []string
		for i, v := range vals {
			if !skip[table+"."+cols[i]] {
				r = append(r, cols[i]+"="+portable(v))
			}
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

// fixtureDir is a data directory written by the DuckDB catalog (written by
// the last build with it; it can no longer be regenerated), kept so the move to SQLite and PostgreSQL
// can be tested on a real old directory once the DuckDB catalog is gone.
const fixtureDir = "testdata/duckdb-catalog"

// copyDir copies the regular files under from into to, gunzipping *.gz.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o755))
		if !strings.HasSuffix(rel, ".gz") {
			copyFile(t, p, filepath.Join(to, rel))
			return nil
		}
		f, err := os.Open(p)
		must(t, err)
		defer f.Close()
		zr, err := gzip.NewReader(f)
		must(t, err)
		raw, err := io.ReadAll(zr)
		must(t, err)
		return os.WriteFile(filepath.Join(to, strings.TrimSuffix(rel, ".gz")), raw, 0o644)
	})
	must(t, err)
}

// TestCatalogPortsToSQLiteAndPostgres takes a DuckDB catalog holding every
// kind of fact (one filled now, and the committed fixture), then, on
// SQLite and on PostgreSQL, copies it (every table equal, row for row),
// replays the journal into an empty catalog (every journal-made table
// equal) and rebuilds it from the files alone (every table equal but for
// segment ids and SQL-readiness flags).
func TestCatalogPortsToSQLiteAndPostgres(t *testing.T) {
	pg := testpg.Start(t)
	t.Run("filled now", func(t *testing.T) {
		root := t.TempDir()
		s := openStore(t, root)
		fillCatalog(t, s, func() {})
		s.Close()
		testCatalogPorts(t, root, pg)
	})
}

func testCatalogPorts(t *testing.T, root string, pg *testpg.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ro, err := store.Open(ctx, root, store.Options{ReadOnly: true})
	must(t, err)
	defer ro.Close()
	for v := uint64(1); v <= 3; v++ {
		if ver, err := ro.Verify(ctx, "votes", v); err != nil || ver.Err() != nil {
			t.Fatalf("votes@%d before the copy: %v %v", v, err, ver.Err())
		}
	}
	want, wantRebuilt := map[string]string{}, map[string]string{}
	for _, table := range store.CatalogTables() {
		query := func(q string) (*sql.Rows, error) { return ro.DB().QueryContext(ctx, q) }
		want[table] = dumpTable(t, query, table, nil)
		wantRebuilt[table] = dumpTable(t, query, table, derived)
	}
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
			compareTables(t, ctx, to, want, store.CatalogTables(), nil)
		})
		t.Run(b.name+"/journal", func(t *testing.T) {
			to := openCatalogDB(t, b.loc(t))
			rep, err := ro.ReplayJournalTo(ctx, to)
			must(t, err)
			if rep.JournalEntries == 0 || len(rep.Skipped) != 0 {
				t.Fatalf("replay: %+v", rep)
			}
			compareTables(t, ctx, to, want, journalTables, nil)
		})
		t.Run(b.name+"/rebuild", func(t *testing.T) {
			to := openCatalogDB(t, b.loc(t))
			rep, err := ro.RebuildInto(ctx, to)
			must(t, err)
			if rep.Versions != 3 || rep.Datasets != 1 || rep.JournalEntries == 0 || len(rep.Skipped) != 0 {
				t.Fatalf("rebuild: %+v", rep)
			}
			compareTables(t, ctx, to, wantRebuilt, store.CatalogTables(), derived)
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

func compareTables(t *testing.T, ctx context.Context, db *catalogdb.DB, want map[string]string, tables []string, skip map[string]bool) {
	t.Helper()
	for _, table := range tables {
		got := dumpTable(t, func(q string) (*sql.Rows, error) { return db.QueryContext(ctx, q) }, table, skip)
		if got != want[table] {
			t.Errorf("gt.%s differs on %s:\n got %.800s\nwant %.800s", table, db.Dialect(), got, want[table])
		}
	}
}
