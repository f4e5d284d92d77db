package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/testpg"
)

// TestQueryCatalogOneReadOnlyStatement is the regression test of finding
// F106: `query` on the catalog (gt.*) runs exactly one read-only SELECT.
// Stacked statements, ATTACH (which re-opened the catalog read-write and
// created files anywhere), PRAGMA and writes exit 2 and leave the catalog
// and the file system unchanged, on SQLite and on PostgreSQL.
func TestQueryCatalogOneReadOnlyStatement(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			env := map[string]string{}
			if backend == "postgres" {
				// Started here, so a missing PostgreSQL (outside CI) skips
				// this subtest only, not the SQLite one.
				env["GROUNDTRUTH_CATALOG"] = testpg.Start(t).NewDatabase(t)
			}
			sealWith(t, data, env["GROUNDTRUTH_CATALOG"], "votes", 0, 10)
			catalog := filepath.Join(data, "catalog.sqlite")
			planted := filepath.Join(dir, "planted.db")
			query := func(q string) (string, string, int) {
				return runCLI(t, env, "--data-dir", data, "query", "--format", "csv", q)
			}
			count := func() string {
				out, errOut, code := query("select count(*) from gt.versions")
				if code != 0 {
					t.Fatalf("count: exit %d\n%s%s", code, out, errOut)
				}
				return out
			}
			before := count()
			if !strings.Contains(before, "\n1\n") {
				t.Fatalf("count of gt.versions printed %q, want 1", before)
			}
			for _, q := range []string{
				"select count(*) from gt.versions; attach '" + catalog + "' as w; delete from w.gt_versions",
				"select count(*) from gt.versions; delete from gt.versions",
				"select * from gt.versions; attach '" + planted + "' as x; create table x.pwn(a int)",
				"attach '" + planted + "' as x -- gt.versions",
				"pragma query_only = 0 -- gt.versions",
				"delete from gt.versions",
				"update gt.versions set status = 'attested'",
				"select count(*) from gt.versions;;; select 1",
			} {
				out, errOut, code := query(q)
				if code != 2 || !strings.Contains(errOut, "query") {
					t.Errorf("query %q: exit %d, want 2 with an error naming the query\n%s%s", q, code, out, errOut)
				}
				if _, err := os.Stat(planted); err == nil {
					t.Fatalf("query %q created %s", q, planted)
				}
				if got := count(); got != before {
					t.Fatalf("query %q changed the catalog: count %q, was %q", q, got, before)
				}
			}
			for _, q := range []string{
				"select count(*) from gt.versions;",
				"select count(*) from gt.versions ; -- a comment; and more\n",
				"with recursive c(n) as (select 1 union all select n+1 from c where n < 3) select count(*) from c, gt.versions",
			} {
				if out, errOut, code := query(q); code != 0 {
					t.Errorf("query %q: exit %d\n%s%s", q, code, out, errOut)
				}
			}
		})
	}
}
