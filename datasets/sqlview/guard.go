package sqlview

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// allowedTableFunctions are the table functions user SQL may call besides
// DuckDB's catalog functions (duckdb_views(), duckdb_columns(), ...): none
// of them reads a file.
var allowedTableFunctions = map[string]bool{"range": true, "generate_series": true, "unnest": true}

func tableFunctionAllowed(name string) bool {
	name = strings.ToLower(name)
	return allowedTableFunctions[name] || strings.HasPrefix(name, "duckdb_")
}

// SelectRules say what CheckSelect refuses beyond "not exactly one SELECT"
// and how it words the refusal.
type SelectRules struct {
	// Err is the sentinel every refusal wraps (ErrQuery when nil).
	Err error
	// Statement inspects the parsed statement (DuckDB's json_serialize_sql
	// form) before DuckDB binds it; an error refuses the query.
	Statement func(stmt json.RawMessage) error
	// ParseHint returns text appended to the refusal of a query that does
	// not parse, given DuckDB's message ("" for none).
	ParseHint func(ctx context.Context, conn *sql.Conn, msg string) string
}

// CheckSelect refuses anything but one SELECT statement, with DuckDB's own
// parser (json_serialize_sql), then rules.Statement, then the prepared
// statement's type. It is the one guard of both the engine and the
// server's query sandbox.
func CheckSelect(ctx context.Context, conn *sql.Conn, text string, rules SelectRules) error {
	sentinel := rules.Err
	if sentinel == nil {
		sentinel = ErrQuery
	}
	var js string
	if err := conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", text).Scan(&js); err != nil {
		return fmt.Errorf("%w: %v", sentinel, err)
	}
	var parsed struct {
		Error      bool              `json:"error"`
		Message    string            `json:"error_message"`
		Statements []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("%w: %v", sentinel, err)
	}
	switch {
	case parsed.Error && strings.Contains(parsed.Message, "syntax error"):
		hint := ""
		if rules.ParseHint != nil {
			hint = rules.ParseHint(ctx, conn, parsed.Message)
		}
		return fmt.Errorf("%w: the query does not parse (%s)%s", sentinel, parsed.Message, hint)
	case parsed.Error:
		return fmt.Errorf("%w: only a single SELECT is allowed (%s)", sentinel, parsed.Message)
	case len(parsed.Statements) != 1:
		return fmt.Errorf("%w: only a single SELECT is allowed, not %d statements", sentinel, len(parsed.Statements))
	}
	if rules.Statement != nil {
		if err := rules.Statement(parsed.Statements[0]); err != nil {
			return err
		}
	}
	return conn.Raw(func(dc any) error {
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, text)
		if err != nil {
			return fmt.Errorf("%w: %v", sentinel, err)
		}
		defer st.Close()
		ds, ok := st.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("%w: unexpected statement", sentinel)
		}
		if t, err := ds.StatementType(); err != nil || t != duckdb.STATEMENT_TYPE_SELECT {
			return fmt.Errorf("%w: only SELECT statements are allowed", sentinel)
		}
		return nil
	})
}

// engineRules are the engine's: no table function that could read files
// (the views read the Parquet copies; the user's text may not name files).
var engineRules = SelectRules{Statement: func(stmt json.RawMessage) error {
	var tree any
	if err := json.Unmarshal(stmt, &tree); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	if name := tableFunction(tree); name != "" {
		return fmt.Errorf("%w: table function %s is not allowed: query the views (\"D\", \"D@N\", versions)", ErrQuery, name)
	}
	return CheckSizes(tree, ErrQuery)
}}

// tableFunction returns the name of the first table function in a parsed
// statement that is not allowed, or "".
func tableFunction(n any) string {
	switch x := n.(type) {
	case map[string]any:
		if x["type"] == "TABLE_FUNCTION" {
			name := "?"
			if f, ok := x["function"].(map[string]any); ok {
				if s, ok := f["function_name"].(string); ok {
					name = s
				}
			}
			if !tableFunctionAllowed(name) {
				return name
			}
		}
		for _, v := range x {
			if s := tableFunction(v); s != "" {
				return s
			}
		}
	case []any:
		for _, v := range x {
			if s := tableFunction(v); s != "" {
				return s
			}
		}
	}
	return ""
}
