package serve_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestQueryReadsAttestedVersions runs SQL over attested versions.
func TestQueryReadsAttestedVersions(t *testing.T) {
	f := newFixture(t, serve.Config{})
	ctx := context.Background()
	for _, tc := range []struct {
		sql  string
		want any
	}{
		{`SELECT count(*) FROM "votes@1"`, int64(1000)},
		{`SELECT count(*) FROM votes`, int64(1750)},
		{`SELECT count(*) FROM "votes@1" a JOIN "votes@2" b USING (tx_hash)`, int64(1000)},
		{`SELECT sum(weight)::VARCHAR = (SELECT sum(weight)::VARCHAR FROM "votes@2" WHERE _row < 1000) FROM "votes@1"`, true},
		{`SELECT voter FROM votes WHERE _row = 1234`, "0x2f181cdb00000000000004d29e17e35f6d9238ed"},
		{`WITH s AS (SELECT support, count(*) n FROM votes GROUP BY 1) SELECT count(*) FROM s`, int64(3)},
	} {
		res, err := f.srv.Query(ctx, serve.LocalPrincipal(), tc.sql)
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if len(res.Rows) != 1 || res.Rows[0][0] != tc.want {
			t.Fatalf("%s = %v, want %v", tc.sql, res.Rows, tc.want)
		}
		if len(res.Versions) != 2 || res.Versions[1].MerkleRoot != f.m["votes@2"].MerkleRoot {
			t.Fatalf("versions %+v", res.Versions)
		}
	}
	res, err := f.srv.Query(ctx, serve.LocalPrincipal(), `SELECT _row FROM votes`)
	if err != nil || !res.Truncated || len(res.Rows) != 10000 && len(res.Rows) != 1750 {
		if err != nil || len(res.Rows) != 1750 {
			t.Fatalf("row limit: %v %d", err, len(res.Rows))
		}
	}
}

// TestQueryRefusals: writes, file access, extensions, settings, catalog
// tables and unattested versions are refused with ErrQuery; nothing on disk
// or in the catalog changes.
func TestQueryRefusals(t *testing.T) {
	f := newFixture(t, serve.Config{Query: serve.QueryLimits{MaxRows: 5, MaxSQLBytes: 200, Timeout: time.Second}})
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "leak.csv")
	var before int
	if err := f.st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM gt.versions WHERE status = 'attested'`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ sql, says string }{
		{`COPY (SELECT * FROM votes) TO '` + out + `'`, "single SELECT"},
		// File readers are refused by the table-function allow-list before
		// DuckDB's own "file system operations are disabled" would.
		{`SELECT * FROM read_csv('/etc/passwd')`, "table function read_csv is not allowed"},
		{`SELECT * FROM read_text('/etc/hostname')`, "is not allowed"},
		{`SELECT * FROM glob('/*')`, "is not allowed"},
		{`ATTACH '` + filepath.Join(f.st.Root(), "catalog.sqlite") + `' AS c`, "single SELECT"},
		{`INSTALL httpfs`, "single SELECT"},
		{`LOAD httpfs`, "single SELECT"},
		{`PRAGMA enable_profiling`, "single SELECT"},
		{`SET enable_external_access = true`, "single SELECT"},
		{`SELECT 1; DROP TABLE x`, "single SELECT"},
		{`SELECT 1; SELECT 2`, "not 2 statements"},
		{`CREATE TABLE t AS SELECT * FROM votes`, "single SELECT"},
		{`INSERT INTO votes VALUES (1)`, "single SELECT"},
		{`UPDATE gt.versions SET status = 'attested'`, "single SELECT"},
		{`SELECT * FROM gt.versions`, "does not exist"},
		{`SELECT * FROM "votes@3"`, "does not exist"},
		{`SELECT * FROM "other@1"`, "does not exist"},
		{`SELECT * FROM gt_version('votes', 3)`, "internal to the query sandbox"},
		{`SELECT * FROM main."catalog.duckdb"`, "disabled"},
		{`SELECT '` + strings.Repeat("x", 300) + `'`, "the limit is 200"},
		{`SELECT current_setting('enable_external_access') FROM votes WHERE nonsense`, "nonsense"},
	} {
		_, err := f.srv.Query(ctx, serve.LocalPrincipal(), tc.sql)
		if !errors.Is(err, serve.ErrQuery) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want a refusal mentioning %q", tc.sql, err, tc.says)
		}
	}
	res, err := f.srv.Query(ctx, serve.LocalPrincipal(), `SELECT _row FROM votes`)
	if err != nil || !res.Truncated || len(res.Rows) != 5 {
		t.Fatalf("row limit: %v", err)
	}
	_, err = f.srv.Query(ctx, serve.LocalPrincipal(), `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000000) SELECT count(*) FROM r`)
	if !errors.Is(err, serve.ErrQuery) || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("timeout: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a query wrote %s", out)
	}
	var after int
	if err := f.st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM gt.versions WHERE status = 'attested'`).Scan(&after); err != nil || after != before {
		t.Fatalf("the catalog changed: %d attested versions, before %d", after, before)
	}
}
