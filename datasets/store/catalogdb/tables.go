package catalogdb

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// table is what the catalog knows of one gt table from its DDL: the
// columns in order and the primary key, for INSERT OR REPLACE on
// PostgreSQL.
type table struct {
	cols []string
	pk   []string
}

// tables is the registry of gt tables, filled by Migrate.
type tables struct {
	mu sync.RWMutex
	m  map[string]*table
}

var (
	createTableRE  = regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+gt\.(\w+)\s*\((.*)\)\s*$`)
	addColumnRE    = regexp.MustCompile(`(?is)^\s*ALTER\s+TABLE\s+gt\.(\w+)\s+ADD\s+COLUMN\s+IF\s+NOT\s+EXISTS\s+(\w+)\s+(.*)$`)
	createSchemaRE = regexp.MustCompile(`(?is)^\s*CREATE\s+SCHEMA\s+IF\s+NOT\s+EXISTS\s+(\w+)\s*$`)
	insertReplRE   = regexp.MustCompile(`(?is)^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+gt\.(\w+)`)
	beginRE        = regexp.MustCompile(`(?is)^\s*BEGIN(\s+TRANSACTION)?\s*;?\s*$`)
	pkListRE       = regexp.MustCompile(`(?is)^PRIMARY\s+KEY\s*\((.*)\)$`)
)

// register records a CREATE TABLE statement's columns and key.
func (ts *tables) register(name, body string) {
	t := &table{}
	for _, part := range splitTopLevel(body) {
		part = strings.TrimSpace(part)
		if m := pkListRE.FindStringSubmatch(part); m != nil {
			for _, c := range strings.Split(m[1], ",") {
				t.pk = append(t.pk, strings.TrimSpace(c))
			}
			continue
		}
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		t.cols = append(t.cols, f[0])
		if strings.Contains(strings.ToUpper(part), "PRIMARY KEY") {
			t.pk = append(t.pk, f[0])
		}
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.m == nil {
		ts.m = map[string]*table{}
	}
	if old, ok := ts.m[name]; ok && len(old.cols) > len(t.cols) {
		return // columns added by ALTER TABLE are already known
	}
	ts.m[name] = t
}

// addColumn records a column an ALTER TABLE adds.
func (ts *tables) addColumn(name, col string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.m[name]
	if !ok {
		return
	}
	for _, c := range t.cols {
		if c == col {
			return
		}
	}
	t.cols = append(t.cols, col)
}

func (ts *tables) get(name string) (*table, bool) {
	ts.mu.RLock()
	defer ts.mu.RUnlock()
	t, ok := ts.m[name]
	if !ok {
		return nil, false
	}
	return &table{cols: append([]string(nil), t.cols...), pk: t.pk}, true
}

// splitTopLevel splits s at the commas outside parentheses.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// upsert turns a canonical INSERT OR REPLACE (already rewritten for
// PostgreSQL) into INSERT ... ON CONFLICT (key) DO UPDATE.
func (ts *tables) upsert(q string) (string, error) {
	m := insertReplRE.FindStringSubmatchIndex(q)
	name := q[m[2]:m[3]]
	t, ok := ts.get(name)
	if !ok || len(t.pk) == 0 {
		return "", fmt.Errorf("%w: INSERT OR REPLACE into gt.%s, a table without a known primary key", ErrUnsupported, name)
	}
	var set []string
	for _, c := range t.cols {
		if !contains(t.pk, c) {
			set = append(set, c+" = EXCLUDED."+c)
		}
	}
	action := "DO NOTHING"
	if len(set) > 0 {
		action = "DO UPDATE SET " + strings.Join(set, ", ")
	}
	body := strings.TrimRight(strings.TrimSpace(q[m[1]:]), ";")
	return fmt.Sprintf("INSERT INTO gt.%s %s ON CONFLICT (%s) %s", name, body, strings.Join(t.pk, ", "), action), nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
