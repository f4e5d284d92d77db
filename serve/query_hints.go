package serve

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var (
	// syntaxNear finds the token of a DuckDB syntax error.
	syntaxNear = regexp.MustCompile(`syntax error at or near "([^"]+)"`)
	// missingTable finds the name of a DuckDB "does not exist" error.
	missingTable = regexp.MustCompile(`Table with name ([^ ]+) does not exist`)
	// missingColumn finds the name of a DuckDB unknown-column error.
	missingColumn = regexp.MustCompile(`Referenced column "?([^" ]+)"? not found`)
)

// parseHint explains a query that does not parse: a keyword used as a
// name (a bare alias such as last) is named with the fix.
func parseHint(ctx context.Context, conn *sql.Conn, msg string) string {
	m := syntaxNear.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	var cat string
	err := conn.QueryRowContext(ctx, "SELECT keyword_category FROM duckdb_keywords() WHERE keyword_name = lower(?)", m[1]).Scan(&cat)
	if err != nil {
		return ""
	}
	w := strings.ToLower(m[1])
	if cat == "reserved" {
		return fmt.Sprintf(`; hint: %s is a reserved word in DuckDB: quote it ("%s") or choose another name`, strings.ToUpper(w), w)
	}
	return fmt.Sprintf(`; hint: %s is a DuckDB keyword: as an alias write AS %s, or quote it ("%s")`, strings.ToUpper(w), w, w)
}

// queryHint explains a failed query to p: a table that is a revoked,
// pending or unattested version says so (the SQL only holds attested,
// non-revoked versions), another unknown table lists the tables, an
// unknown column points at the dataset's columns.
func (q *QueryEngine) queryHint(p *Principal, msg string, tables map[string]*versionState) string {
	if m := missingColumn.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("; hint: there is no column %q: describe_dataset (or /v1/datasets/D) lists the columns; quote names with capitals or spaces", m[1])
	}
	m := missingTable.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	name := strings.Trim(m[1], `"!`)
	if why := q.notServed(p, name); why != "" {
		return "; hint: " + why + ": only attested, non-revoked versions can be queried"
	}
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, `"`+n+`"`)
	}
	sort.Strings(names)
	if len(names) > 20 {
		names = append(names[:20], "…")
	}
	return fmt.Sprintf(`; hint: the tables are %s (quote names with @: "D@N")`, strings.Join(names, ", "))
}

// notServed says why a version p may read is not served, or "".
func (q *QueryEngine) notServed(p *Principal, name string) string {
	ds, ver, _ := strings.Cut(name, "@")
	n, err := strconv.ParseUint(ver, 10, 64)
	if err != nil || !p.Allows(ds) {
		return ""
	}
	d := q.s.snapshot().datasets[ds]
	if d == nil {
		return ""
	}
	for _, v := range d.versions {
		if v.version == n {
			if err := v.servable(); err != nil {
				return err.Error()
			}
		}
	}
	return ""
}
