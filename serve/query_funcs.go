package serve

import (
	"encoding/json"
	"fmt"
	"strings"
)

// reservedFunctions are the functions a caller's SQL may not call: the
// sandbox's own table and scalar functions (gt_version reads segments and
// is reached only through the views; gt_guard bounds the result), and
// query/query_table, which would run a text of the caller's choosing past
// this check. duckdb-go reads a table function's bind arguments without a
// NULL check, so gt_version(NULL, 1) would abort the whole process inside
// DuckDB: the refusal must come before DuckDB binds the statement.
var reservedFunctions = map[string]bool{
	"gt_version": true, "gt_guard": true, "query": true, "query_table": true,
}

// checkFunctions refuses a parsed statement (json_serialize_sql) that calls
// a reserved function anywhere: in FROM, in expressions, in subqueries.
func checkFunctions(stmt json.RawMessage) error {
	var tree any
	if err := json.Unmarshal(stmt, &tree); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	return walkFunctions(tree)
}

func walkFunctions(n any) error {
	switch n := n.(type) {
	case map[string]any:
		if name, ok := n["function_name"].(string); ok && reservedFunctions[strings.ToLower(name)] {
			return fmt.Errorf("%w: the function %s is internal to the query sandbox and cannot be called; read the dataset views instead", ErrQuery, name)
		}
		if name, ok := n["function_name"].(string); ok && refusedFunction(name, false) {
			return fmt.Errorf("%w: the function %s runs SQL text and cannot be called; read the dataset views instead", ErrQuery, name)
		}
		if name := tableFunctionName(n); reservedFunctions[strings.ToLower(name)] {
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
