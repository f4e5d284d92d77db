package sqlview

import (
	"fmt"
	"sort"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// rowColumn is the column holding a row's position in its version.
const rowColumn = "_row"

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// selectSQL is the SELECT over a version's Parquet copies: _row first, then
// the schema's columns, uint256/int256 as DECIMAL(38,0) or, when a value of
// the version is beyond it, BIGNUM (l says which).
func selectSQL(v *Version, l *layout) string {
	if len(v.Segments) == 0 {
		return emptySQL(v)
	}
	parts := make([]string, len(v.Segments))
	for i, s := range v.Segments {
		cols := []string{fmt.Sprintf("CAST(%d + file_row_number AS UBIGINT) AS %s", s.FirstRow, rowColumn)}
		for _, c := range v.Schema.Columns {
			cols = append(cols, columnSQL(c, l.bignum[c.Name], l.segText[i][c.Name]))
		}
		parts[i] = fmt.Sprintf("SELECT %s FROM read_parquet(%s, file_row_number = true)", strings.Join(cols, ", "), quoteString(s.Parquet))
	}
	return strings.Join(parts, "\nUNION ALL ")
}

// columnSQL is a view column over the Parquet copy's form of c. A
// uint256/int256 column is the copy's DECIMAL(38,0) itself unless the
// version's type is BIGNUM (bignum); then the decimal goes through HUGEINT
// (DuckDB has no direct cast) and the segment's text, when it has some
// (text), fills the rest.
func columnSQL(c datasets.Column, bignum, text bool) string {
	q := quoteIdent(c.Name)
	switch {
	case wideInt(c.Type) && !bignum:
		return q
	case wideInt(c.Type) && text:
		return fmt.Sprintf("COALESCE(CAST(CAST(%s AS HUGEINT) AS BIGNUM), CAST(%s AS BIGNUM)) AS %s", q, quoteIdent(c.Name+TextSuffix), q)
	case wideInt(c.Type):
		return fmt.Sprintf("CAST(CAST(%s AS HUGEINT) AS BIGNUM) AS %s", q, q)
	case hexColumn(c.Type):
		return fmt.Sprintf("'0x' || lower(hex(%s)) AS %s", q, q)
	}
	return q
}

// emptySQL is a typed SELECT without rows, for a version of no rows.
func emptySQL(v *Version) string {
	cols := []string{"NULL::UBIGINT AS " + rowColumn}
	for _, c := range v.Schema.Columns {
		cols = append(cols, "NULL::"+sqlType(c.Type)+" AS "+quoteIdent(c.Name))
	}
	return "SELECT " + strings.Join(cols, ", ") + " WHERE false"
}

// sqlType is the DuckDB type a view column has.
func sqlType(t datasets.Type) string {
	switch t {
	case datasets.TypeBool:
		return "BOOLEAN"
	case datasets.TypeInt8:
		return "TINYINT"
	case datasets.TypeInt16:
		return "SMALLINT"
	case datasets.TypeInt32:
		return "INTEGER"
	case datasets.TypeInt64:
		return "BIGINT"
	case datasets.TypeUint8:
		return "UTINYINT"
	case datasets.TypeUint16:
		return "USMALLINT"
	case datasets.TypeUint32:
		return "UINTEGER"
	case datasets.TypeUint64:
		return "UBIGINT"
	case datasets.TypeFloat64:
		return "DOUBLE"
	case datasets.TypeBytes:
		return "BLOB"
	case datasets.TypeUint256, datasets.TypeInt256:
		return "DECIMAL(38,0)" // a version of no rows has no value beyond it
	case datasets.TypeTimestamp:
		return "TIMESTAMPTZ"
	}
	return "VARCHAR" // string, address, bytes32
}

// versionsSQL is the SELECT behind the versions view.
func versionsSQL(vs []Version) string {
	const cols = "dataset, version, status, \"rows\", root, manifest_hash"
	if len(vs) == 0 {
		return "SELECT NULL::VARCHAR AS dataset, NULL::UBIGINT AS version, NULL::VARCHAR AS status, NULL::UBIGINT AS \"rows\", NULL::VARCHAR AS root, NULL::VARCHAR AS manifest_hash WHERE false"
	}
	vals := make([]string, len(vs))
	for i, v := range vs {
		vals[i] = fmt.Sprintf("(%s, %d::UBIGINT, %s, %d::UBIGINT, %s, %s)", quoteString(v.Dataset), v.Version,
			quoteString(string(v.Status)), v.Rows, quoteString(v.Root.String()), quoteString(v.ManifestHash.String()))
	}
	return "SELECT * FROM (VALUES " + strings.Join(vals, ", ") + ") AS t(" + cols + ")"
}

// statements are the CREATE VIEW statements of a plan, in order: every
// "D@N", every "D", then versions.
func (p *plan) statements(replace bool) []string {
	create := "CREATE VIEW "
	if replace {
		create = "CREATE OR REPLACE VIEW "
	}
	var out []string
	for i := range p.versions {
		v := &p.versions[i]
		out = append(out, create+quoteIdent(v.Name())+" AS\n"+selectSQL(v, p.layouts[i])+";")
	}
	for i := range p.versions {
		v := &p.versions[i]
		if j, ok := p.latest[v.Dataset]; ok && j == i && v.Dataset != VersionsView {
			out = append(out, create+quoteIdent(v.Dataset)+" AS SELECT * FROM "+quoteIdent(v.Name())+";")
		}
	}
	return append(out, create+VersionsView+" AS "+versionsSQL(p.versions)+";")
}

// viewNames are the names of the views a plan creates.
func (p *plan) viewNames() []string {
	var out []string
	for i := range p.versions {
		v := &p.versions[i]
		out = append(out, v.Name())
		if j, ok := p.latest[v.Dataset]; ok && j == i && v.Dataset != VersionsView {
			out = append(out, v.Dataset)
		}
	}
	return append(out, VersionsView)
}

// Script returns SQL that creates the views of versions ("D@N", "D" for
// the latest attested, non-revoked version, versions) in any DuckDB,
// e.g. the official CLI: duckdb -cmd "$(groundtruth datasets sql D@N)".
// The Parquet paths are the versions' own (absolute).
func Script(versions []Version) (string, error) {
	p, err := newPlan(versions, "", ReadCopyInfo)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("-- groundtruth SQL views over the Parquet copies of the segments (docs/serving.md).\n")
	names := make([]string, 0, len(p.missing))
	for ds := range p.missing {
		names = append(names, ds)
	}
	sort.Strings(names)
	for _, ds := range names {
		fmt.Fprintf(&b, "-- no view %q: %s\n", ds, p.missing[ds])
	}
	for _, st := range p.statements(true) {
		b.WriteString(st)
		b.WriteString("\n")
	}
	return b.String(), nil
}

// SelectSQL is the SELECT behind the view "D@N" of v (its rows from the
// absolute Parquet paths, _row first), for a database that keeps views of
// its own. It reads the footer of every copy (see ReadCopyInfo).
func SelectSQL(v *Version) (string, error) {
	l, err := loadLayout(v, ReadCopyInfo)
	if err != nil {
		return "", err
	}
	return selectSQL(v, l), nil
}
