package serve_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestQueryHints: refused queries say what is wrong with a hint — a
// reserved word as an alias, a version that is not served, an unknown
// column or table.
func TestQueryHints(t *testing.T) {
	f := newFixture(t, serve.Config{})
	for _, tc := range []struct{ sql, says string }{
		{`SELECT max(block_number) last FROM votes`, `the query does not parse`},
		{`SELECT max(block_number) last FROM votes`, `LAST is a DuckDB keyword: as an alias write AS last, or quote it ("last")`},
		{`SELECT count(*) FROM "votes@3"`, "votes@3 is pending"},
		{`SELECT count(*) FROM "votes@3"`, "only attested, non-revoked versions can be queried"},
		{`SELECT nope FROM votes`, `there is no column "nope"`},
		{`SELECT * FROM nosuch`, `the tables are "votes", "votes@1", "votes@2"`},
	} {
		_, err := f.srv.Query(context.Background(), serve.LocalPrincipal(), tc.sql)
		if !errors.Is(err, serve.ErrQuery) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want %q", tc.sql, err, tc.says)
		}
	}
}
