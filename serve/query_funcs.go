package serve

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// reservedFunctions are the functions a caller's SQL may not call besides
// the sandbox's own (every name starting with gt_: the gt_version_<i>
// readers behind the views and gt_guard, which bounds the result): the
// functions that parse, bind or run a text of the caller's choosing past
// this check (query, query_table, json_execute_serialized_sql, and
// json_serialize_plan, which binds the text it plans). The readers take no
// arguments, so even a call that slipped through could not hand DuckDB the
// NULL argument that aborts the process (duckdb-go reads bind arguments
// without a NULL check), and reads only a version the token may read.
var reservedFunctions = map[string]bool{
	"query": true, "query_table": true, "json_execute_serialized_sql": true, "json_serialize_plan": true,
}

// reserved reports whether a caller may not call the function name.
func reserved(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "gt_") || reservedFunctions[name]
}

// checkFunctions refuses a parsed statement (json_serialize_sql) that calls
// a reserved function anywhere: in FROM, in expressions, in subqueries; and
// one whose list- or string-building calls could build more than
// sqlview.MaxBuiltElements elements (sqlview.CheckSizes).
func checkFunctions(stmt json.RawMessage) error {
	var tree any
	if err := json.Unmarshal(stmt, &tree); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	if err := walkFunctions(tree); err != nil {
		return err
	}
	return sqlview.CheckSizes(tree, ErrQuery) // F103: list- and string-building calls bounded
}

func walkFunctions(n any) error {
	switch n := n.(type) {
	case map[string]any:
		if name, ok := n["function_name"].(string); ok && reserved(name) {
			return fmt.Errorf("%w: the function %s is internal to the query sandbox and cannot be called; read the dataset views instead", ErrQuery, name)
		}
		if name, ok := n["function_name"].(string); ok && refusedFunction(name, false) {
			return fmt.Errorf("%w: the function %s runs SQL text and cannot be called; read the dataset views instead", ErrQuery, name)
		}
		if name := tableFunctionName(n); reserved(name) {
			return fmt.Errorf("%w: the function %s is internal to the query sandbox and cannot be called; read the dataset views instead", ErrQuery, name)
		} else if name != "" && refusedFunction(name, true) {
			return fmt.Errorf("%w: the table function %s is not allowed (only range, generate_series, unnest, pragma_table_info and duckdb_*); read the dataset views instead", ErrQuery, name)
		}
		for _, v := range n {
			if err := walkFunctions(v); err != nil {
				return err
			}
		}
	case []any:
		for _, v := range n {
			if err := walkFunctions(v); err != nil {
				return err
			}
		}
	}
	return nil
}
