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

// checkSelect refuses anything but one SELECT statement (DuckDB's own
// parser, then the prepared statement's type) and any table function that
// could read files: the views read the Parquet copies, the user's text
// may not name files itself.
func checkSelect(ctx context.Context, conn *sql.Conn, text string) error {
	var js string
	if err := conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", text).Scan(&js); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	var parsed struct {
		Error      bool              `json:"error"`
		Message    string            `json:"error_message"`
		Statements []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	switch {
	case parsed.Error && strings.Contains(parsed.Message, "syntax error"):
		return fmt.Errorf("%w: the query does not parse (%s)", ErrQuery, parsed.Message)
	case parsed.Error:
		return fmt.Errorf("%w: only a single SELECT is allowed (%s)", ErrQuery, parsed.Message)
	case len(parsed.Statements) != 1:
		return fmt.Errorf("%w: only a single SELECT is allowed, not %d statements", ErrQuery, len(parsed.Statements))
	}
	var tree any
	if err := json.Unmarshal(parsed.Statements[0], &tree); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	if name := tableFunction(tree); name != "" {
		return fmt.Errorf("%w: table function %s is not allowed: query the views (\"D\", \"D@N\", versions)", ErrQuery, name)
	}
	return conn.Raw(func(dc any) error {
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, text)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrQuery, err)
		}
		defer st.Close()
		ds, ok := st.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("%w: unexpected statement", ErrQuery)
		}
		if t, err := ds.StatementType(); err != nil || t != duckdb.STATEMENT_TYPE_SELECT {
			return fmt.Errorf("%w: only SELECT statements are allowed", ErrQuery)
		}
		return nil
	})
}

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
