package serve

import "strings"

// The reserved-function walk (query_funcs.go) reads the caller's text as
// DuckDB parsed it. Some DuckDB functions take SQL as a *string* and parse,
// bind or run it themselves — json_execute_serialized_sql runs a serialized
// statement, json_serialize_plan binds one — so a call of gt_version(NULL,
// 1) hidden in a string literal passed the walk and aborted the process in
// DuckDB's bind (black-box attack F12). Such functions are refused like the
// reserved ones, and table functions are allowed only from a short list
// (the views are the way to read data), as datasets/sqlview does for the
// CLI's query.

// textFunctions are DuckDB functions that bind or execute SQL text
// (json_serialize_sql only parses it, and is allowed).
var textFunctions = map[string]bool{
	"json_execute_serialized_sql": true, "json_serialize_plan": true, "query": true, "query_table": true,
}

// allowedTableFunctions are the table functions a caller's SQL may call
// besides DuckDB's catalog functions (duckdb_views(), …): none reads a
// file or runs text.
var allowedTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true, "pragma_table_info": true,
}

// refusedFunction reports whether a function call node of the parsed tree
// names a function the caller may not call: a reserved one, one that runs
// SQL text, or (table is set for a FROM-clause function) a table function
// outside allowedTableFunctions.
func refusedFunction(name string, table bool) bool {
	n := strings.ToLower(name)
	if reserved(n) || textFunctions[n] {
		return true
	}
	return table && !allowedTableFunctions[n] && !strings.HasPrefix(n, "duckdb_")
}

// tableFunctionName returns the function name of a TABLE_FUNCTION node of
// the parsed tree ("" for other nodes).
func tableFunctionName(n map[string]any) string {
	if n["type"] != "TABLE_FUNCTION" {
		return ""
	}
	if f, ok := n["function"].(map[string]any); ok {
		if name, ok := f["function_name"].(string); ok {
			return name
		}
	}
	return "?"
}
