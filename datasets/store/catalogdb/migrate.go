package catalogdb

import (
	"context"
	"fmt"
	"strings"
)

// Migrate runs canonical DDL statements, each idempotent: CREATE SCHEMA IF
// NOT EXISTS (only gt, and only on PostgreSQL), CREATE TABLE IF NOT EXISTS
// gt.<name> (...), ALTER TABLE gt.<name> ADD COLUMN IF NOT EXISTS (SQLite
// has no IF NOT EXISTS there: the column is looked up first) and CREATE
// INDEX IF NOT EXISTS. It records each table's columns and primary key for
// INSERT OR REPLACE. Several processes may migrate one catalog at once.
func (d *DB) Migrate(ctx context.Context, stmts []string) error {
	if d.dialect == Postgres {
		if _, err := d.db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS gt`); err != nil && !isDuplicate(err) {
			return fmt.Errorf("%w: creating schema gt in %s: %v", ErrOpen, d.where, err)
		}
	}
	for _, stmt := range stmts {
		if err := d.migrateOne(ctx, stmt); err != nil {
			return fmt.Errorf("%w: %s: %q: %v", ErrOpen, d.where, firstLine(stmt), err)
		}
	}
	return nil
}

func (d *DB) migrateOne(ctx context.Context, stmt string) error {
	if createSchemaRE.MatchString(stmt) {
		return nil // the schema gt is created above; data.* is not the catalog's
	}
	if m := createTableRE.FindStringSubmatch(stmt); m != nil {
		d.tables.register(m[1], m[2])
	}
	if m := addColumnRE.FindStringSubmatch(stmt); m != nil {
		d.tables.addColumn(m[1], m[2])
		if d.dialect == SQLite {
			var n int
			if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, "gt_"+m[1], m[2]).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			stmt = fmt.Sprintf("ALTER TABLE gt.%s ADD COLUMN %s %s", m[1], m[2], m[3])
		}
	}
	q, err := d.dialect.rewrite(d.dialect.ddlTypes(stmt), d.now())
	if err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, q); err != nil && !isDuplicate(err) {
		return err
	}
	return nil
}

// isDuplicate reports the error of a concurrent migration that created the
// same object first.
func isDuplicate(err error) bool {
	s := err.Error()
	return strings.Contains(s, "duplicate column name") || strings.Contains(s, "already exists") ||
		strings.Contains(s, "pg_namespace_nspname_index") || strings.Contains(s, "pg_type_typname_nsp_index")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
