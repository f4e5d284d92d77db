package sqlview

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// collectTables adds to tables the name of every table a parsed statement
// (DuckDB's json_serialize_sql form) reads: views of versions, "D" views,
// CTE names (which match no version and are ignored later). Names are
// lower-cased: DuckDB resolves them without regard to case, and dataset
// names are lower case.
func collectTables(stmt json.RawMessage, tables map[string]bool) error {
	var tree any
	if err := json.Unmarshal(stmt, &tree); err != nil {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	walkTables(tree, tables)
	return nil
}

func walkTables(n any, tables map[string]bool) {
	switch x := n.(type) {
	case map[string]any:
		if x["type"] == "BASE_TABLE" {
			if name, ok := x["table_name"].(string); ok {
				tables[strings.ToLower(name)] = true
			}
		}
		for _, v := range x {
			walkTables(v, tables)
		}
	case []any:
		for _, v := range x {
			walkTables(v, tables)
		}
	}
}

// proveCopies has the engine's verifier prove the copies of every version
// named in tables ("D@N", or "D" for the dataset's latest), once per
// query. The caller holds mu for reading.
func (e *Engine) proveCopies(ctx context.Context, tables map[string]bool) error {
	if e.verifier == nil || e.plan == nil {
		return nil
	}
	for i := range e.plan.versions {
		v := &e.plan.versions[i]
		named := tables[v.Name()]
		if li, ok := e.plan.latest[v.Dataset]; ok && li == i && tables[v.Dataset] {
			named = true
		}
		if !named {
			continue
		}
		for _, seg := range v.Segments {
			if err := e.verifier.Verify(ctx, seg); err != nil {
				return fmt.Errorf("the rows of %s: %w", v.Name(), err)
			}
		}
	}
	return nil
}
