package serve_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileSandboxFunctions: the sandbox's own functions called with
// NULL or odd arguments (the attack: gt_version(NULL, 1) aborted the whole
// process inside DuckDB's bind) are refused as a query error before DuckDB
// binds them, in every spelling; the server answers afterwards.
func TestHostileSandboxFunctions(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{}, serve.QueryLimits{})
	cs := h.mcpSession(t, "a")
	for _, sql := range []string{
		`select * from gt_version(NULL, 1)`,
		`select * from gt_version('votes', NULL)`,
		`select * from gt_version(NULL, NULL)`,
		`select * from gt_version(CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT))`,
		`select * from gt_version('votes', 'x')`,
		`select * from gt_version(1, 1)`,
		`select * from gt_version('votes')`,
		`select * from GT_VERSION(NULL, 1)`,
		`select * from "gt_version"(NULL, 1)`,
		`select * from main.gt_version(NULL, 1)`,
		`select * from votes where _row in (select _row from gt_version(NULL, 1))`,
		`with x as (select * from gt_version('votes', NULL)) select * from x`,
		`select gt_guard(NULL)`,
		`select gt_guard('x')`,
		`select 1 where gt_guard(NULL)`,
		`select * from query('select * from gt_version(NULL, 1)')`,
		`select * from query_table('votes')`,
	} {
		text, failed := query(t, cs, sql)
		if !failed || !strings.Contains(text, "internal to the query sandbox") {
			t.Errorf("%s: failed=%v %q, want a refusal naming the internal function", sql, failed, text)
		}
	}
	if text, failed := query(t, cs, `select count(*) as n from votes`); failed || !strings.Contains(text, "100") {
		t.Fatalf("the views still work: failed=%v %s", failed, text)
	}
	if resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("server after the attack: %d %s", resp.StatusCode, body)
	}
}
