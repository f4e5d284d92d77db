package catalogdb

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dialect is a catalog backend's SQL dialect.
type Dialect int

// The dialects.
const (
	// SQLite is the embedded default (one file, WAL mode). It has no
	// schemas: gt.versions is the table gt_versions.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL, reached through a postgres:// URL; the
	// catalog's tables live in the schema gt.
	Postgres
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// sqliteTime is the text form of timestamps in SQLite: the layout
// go-sqlite3 binds time.Time values with and parses back for columns
// declared TIMESTAMP, always in UTC so that text order is time order.
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

// literalTimeLayouts are the layouts a TIMESTAMPTZ '...' literal is read with.
var literalTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
}

// rewrite translates the lexical parts of a canonical statement for d:
// gt.<table> names, ? placeholders, now() and TIMESTAMPTZ '<time>'
// literals. String literals and quoted identifiers are copied unchanged.
func (d Dialect) rewrite(q string, now time.Time) (string, error) {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := quotedEnd(q, i)
			b.WriteString(q[i:j])
			i = j
		case c == '?':
			n++
			if d == Postgres {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
			i++
		case isIdentStart(c) && (i == 0 || !isIdent(q[i-1])):
			j := i
			for j < len(q) && isIdent(q[j]) {
				j++
			}
			word := q[i:j]
			lw := strings.ToLower(word)
			switch {
			case lw == "gt" && j < len(q) && q[j] == '.' && d == SQLite:
				b.WriteString("gt_")
				i = j + 1
				continue
			case lw == "now" && strings.HasPrefix(q[j:], "()"):
				b.WriteString(d.timeLiteral(now))
				i = j + 2
				continue
			case lw == "timestamptz" && strings.HasPrefix(strings.TrimLeft(q[j:], " "), "'"):
				k := j + len(q[j:]) - len(strings.TrimLeft(q[j:], " "))
				end := quotedEnd(q, k)
				lit := strings.ReplaceAll(q[k+1:end-1], "''", "'")
				t, err := parseLiteralTime(lit)
				if err != nil {
					return "", err
				}
				b.WriteString(d.timeLiteral(t))
				i = end
				continue
			}
			b.WriteString(word)
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// timeLiteral is a timestamp constant in d.
func (d Dialect) timeLiteral(t time.Time) string {
	t = t.Truncate(time.Microsecond)
	if d == SQLite {
		return "'" + t.UTC().Format(sqliteTime) + "'"
	}
	return "TIMESTAMPTZ '" + t.UTC().Format("2006-01-02 15:04:05.999999-07:00") + "'"
}

func parseLiteralTime(s string) (time.Time, error) {
	for _, l := range literalTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: timestamp literal %q", ErrUnsupported, s)
}

// quotedEnd returns the index just past the quoted token starting at i
// (a doubled quote character continues the token).
func quotedEnd(q string, i int) int {
	quote := q[i]
	for j := i + 1; j < len(q); j++ {
		if q[j] == quote {
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdent(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$' }

// typeWords maps the canonical column types to each dialect's.
var typeWords = map[Dialect]map[string]string{
	SQLite:   {"UBIGINT": "INTEGER", "TIMESTAMPTZ": "TIMESTAMP", "DOUBLE": "REAL", "VARCHAR": "TEXT"},
	Postgres: {"UBIGINT": "BIGINT", "DOUBLE": "DOUBLE PRECISION", "BLOB": "BYTEA", "VARCHAR": "TEXT"},
}

var typeWordRE = regexp.MustCompile(`\b(UBIGINT|TIMESTAMPTZ|DOUBLE|BLOB|VARCHAR)\b`)

// ddlTypes translates the column types of a canonical DDL statement.
func (d Dialect) ddlTypes(stmt string) string {
	return typeWordRE.ReplaceAllStringFunc(stmt, func(w string) string {
		if r, ok := typeWords[d][w]; ok {
			return r
		}
		return w
	})
}
