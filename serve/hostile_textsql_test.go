package serve_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileSQLTextFunctions is the black-box attack F12: DuckDB
// functions that parse, bind or run a SQL *string* smuggled gt_version(NULL,
// 1) past the reserved-function walk and aborted the whole server. They
// are refused before DuckDB sees the text, as are table functions outside
// the short allow-list; the server answers afterwards.
func TestHostileSQLTextFunctions(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{}, serve.QueryLimits{})
	cs := h.mcpSession(t, "scoped")
	for _, sql := range []string{
		`select * from json_execute_serialized_sql(json_serialize_sql('select 42'))`,
		`select * from JSON_EXECUTE_SERIALIZED_SQL(json_serialize_sql('select count(*) from gt_version(NULL, 1)'))`,
		`select json_serialize_plan('select count(*) from gt_version(NULL, 1)')`,
		`select * from other where _row in (select 0 from json_execute_serialized_sql(json_serialize_sql('select 1')))`,
		`select * from read_csv('/etc/passwd')`,
		`select * from sql_auto_complete('sel')`,
	} {
		text, failed := query(t, cs, sql)
		if !failed || !(strings.Contains(text, "runs SQL text") || strings.Contains(text, "is not allowed") || strings.Contains(text, "internal to the query sandbox")) {
			t.Errorf("%s: failed=%v %q, want a refusal", sql, failed, text)
		}
	}
	for _, sql := range []string{
		`select count(*) as n from other`,
		`select sum(range) as s from range(10)`,
		`select count(*) as n from duckdb_views()`,
		`select count(*) as n from generate_series(1, 3)`,
	} {
		if text, failed := query(t, cs, sql); failed {
			t.Errorf("%s: refused: %s", sql, text)
		}
	}
	if resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("server after the attack: %d %s", resp.StatusCode, body)
	}
}
