package serve_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestQueryValueForms: a query's result values in the readable form (the
// default of the MCP tool) and in the canonical form (the forms of earlier
// releases), per SQL type, compared as the JSON an agent receives.
func TestQueryValueForms(t *testing.T) {
	f := newFixture(t, serve.Config{})
	ctx := context.Background()
	for _, tc := range []struct {
		name, sql, typ, readable, canonical string
	}{
		{"bigint", `SELECT count(*) FROM "votes@1"`, "BIGINT", `"1000"`, `1000`},
		{"ubigint", `SELECT chain_id FROM votes WHERE _row = 3`, "UBIGINT", `"1"`, `1`},
		{"big uint64", `SELECT 18446744073709551615::UBIGINT`, "UBIGINT", `"18446744073709551615"`, `18446744073709551615`},
		{"uinteger", `SELECT log_index FROM votes WHERE _row = 3`, "UINTEGER", `3`, `3`},
		{"uint256", `SELECT weight FROM votes WHERE _row = 1234`, "BIGNUM", `"226130348043190605390027995"`, `"226130348043190605390027995"`},
		{"hugeint", `SELECT 170141183460469231731687303715884105727::HUGEINT`, "HUGEINT", `"170141183460469231731687303715884105727"`, `"170141183460469231731687303715884105727"`},
		{"double", `SELECT 31.29::DOUBLE`, "DOUBLE", `31.29`, `31.29`},
		{"tiny double", `SELECT 1e-7::DOUBLE`, "DOUBLE", `1e-7`, `1e-7`},
		{"nan", `SELECT 'nan'::DOUBLE`, "DOUBLE", `"NaN"`, `"NaN"`},
		{"infinity", `SELECT 'inf'::DOUBLE`, "DOUBLE", `"Infinity"`, `"+Inf"`},
		{"-infinity", `SELECT '-inf'::DOUBLE`, "DOUBLE", `"-Infinity"`, `"-Inf"`},
		{"timestamp", `SELECT TIMESTAMPTZ '2024-05-01 12:00:00+00'`, "TIMESTAMPTZ", `"2024-05-01T12:00:00.000000Z"`, `"2024-05-01T12:00:00Z"`},
		{"timestamp us", `SELECT TIMESTAMP '2024-05-01 12:00:00.000001'`, "TIMESTAMP", `"2024-05-01T12:00:00.000001Z"`, `"2024-05-01T12:00:00.000001Z"`},
		{"date", `SELECT DATE '2024-05-01'`, "DATE", `"2024-05-01"`, `"2024-05-01T00:00:00Z"`},
		{"address", `SELECT voter FROM votes WHERE _row = 1234`, "VARCHAR", `"0x2F181cDb00000000000004d29E17e35F6d9238ed"`, `"0x2f181cdb00000000000004d29e17e35f6d9238ed"`},
		{"hash", `SELECT '0x' || repeat('ab', 32) AS tx_hash`, "VARCHAR", `"0x` + strings.Repeat("ab", 32) + `"`, `"0x` + strings.Repeat("ab", 32) + `"`},
		{"text", `SELECT 'for' AS reason`, "VARCHAR", `"for"`, `"for"`},
		{"bool", `SELECT true`, "BOOLEAN", `true`, `true`},
		{"null", `SELECT NULL::BIGINT`, "BIGINT", `null`, `null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, form := range []struct {
				f    api.Form
				want string
			}{{api.Readable, tc.readable}, {api.Canonical, tc.canonical}} {
				res, err := f.srv.QueryValues(ctx, serve.LocalPrincipal(), tc.sql, form.f)
				if err != nil {
					t.Fatalf("%s: %v", tc.sql, err)
				}
				if len(res.Rows) != 1 || len(res.ColumnTypes) != 1 || res.ColumnTypes[0] != tc.typ {
					t.Fatalf("%s: rows %v, column types %v (want %s)", tc.sql, res.Rows, res.ColumnTypes, tc.typ)
				}
				got, err := json.Marshal(res.Rows[0][0])
				if err != nil || string(got) != form.want {
					t.Fatalf("%s in the %s form: %s (%v), want %s", tc.sql, form.f, got, err, form.want)
				}
			}
		})
	}
}
