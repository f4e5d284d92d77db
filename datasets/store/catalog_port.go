package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// The catalog's move from DuckDB to catalogdb (SQLite or PostgreSQL): the
// catalog's canonical DDL, a copy of every gt table of an existing DuckDB
// catalog into a catalogdb catalog (the core of `catalog migrate`), and the
// journal replayed into one (the core of `catalog rebuild` there).

// CatalogDDL returns the canonical DDL of the catalog's gt tables (without
// the data schema of the DuckDB catalog's row copies), for
// catalogdb.DB.Migrate.
func CatalogDDL() []string {
	var out []string
	for _, stmt := range allDDL() {
		if m := createSchemaName.FindStringSubmatch(stmt); m != nil && m[1] != "gt" {
			continue
		}
		out = append(out, stmt)
	}
	return out
}

func allDDL() []string {
	return append(append(append(append(append([]string{}, ddl...), validationDDL...), attestationDDL...), runsDDL...), journalDDL...)
}

var (
	createSchemaName = regexp.MustCompile(`(?is)^\s*CREATE\s+SCHEMA\s+IF\s+NOT\s+EXISTS\s+(\w+)`)
	createTableName  = regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+gt\.(\w+)`)
)

// derivedTables are catalog tables made from other tables' rows, not
// facts: a copy rebuilds them rather than copying them.
var derivedTables = map[string]bool{"quarantine_journal": true}

// CatalogTables lists the catalog's gt tables of facts in creation order
// (not the derived index gt.quarantine_journal, which a copy rebuilds from
// gt.journal).
func CatalogTables() []string {
	var out []string
	for _, stmt := range allDDL() {
		if m := createTableName.FindStringSubmatch(stmt); m != nil && !derivedTables[m[1]] {
			out = append(out, m[1])
		}
	}
	return out
}

// CopyReport counts the rows CopyCatalogTo carried over, per table.
type CopyReport struct {
	Rows map[string]int `json:"rows"`
}

// CopyCatalogTo creates the catalog's tables in to and copies every row of
// every gt table of this store's catalog into it, in one transaction; rows
// whose key to already holds are kept as they are. The store is only read
// (open it with ReadOnly).
func (s *Store) CopyCatalogTo(ctx context.Context, to *catalogdb.DB) (*CopyReport, error) {
	return copyCatalog(ctx, s.db, to)
}

// rowQuerier is what *sql.DB and *catalogdb.DB have in common.
type rowQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// copyCatalog copies every gt table of from into to.
func copyCatalog(ctx context.Context, from rowQuerier, to *catalogdb.DB) (*CopyReport, error) {
	if err := to.Migrate(ctx, CatalogDDL()); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	tx, err := to.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCatalog, to.Location(), err)
	}
	defer tx.Rollback()
	rep := &CopyReport{Rows: map[string]int{}}
	for _, table := range CatalogTables() {
		n, err := copyTable(ctx, from, tx, table)
		if err != nil {
			return nil, fmt.Errorf("%w: copying gt.%s to %s: %v", ErrCatalog, table, to.Location(), err)
		}
		rep.Rows[table] = n
	}
	if err := indexJournalTable(ctx, tx); err != nil {
		return nil, fmt.Errorf("%w: indexing the journal's quarantine entries in %s: %v", ErrCatalog, to.Location(), err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCatalog, to.Location(), err)
	}
	return rep, nil
}

func copyTable(ctx context.Context, from rowQuerier, tx *catalogdb.Tx, table string) (int, error) {
	rows, err := from.QueryContext(ctx, "SELECT * FROM gt."+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	insert := fmt.Sprintf("INSERT INTO gt.%s (%s) VALUES (%s) ON CONFLICT DO NOTHING",
		table, strings.Join(cols, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if _, err := tx.ExecContext(ctx, insert, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// ReplayJournalTo creates the catalog's tables in to and replays every
// journal entry of the data directory into it, oldest first, one
// transaction per entry, as `catalog rebuild` does into a DuckDB catalog.
// Damaged entries are listed in the report's Skipped and left out.
func (s *Store) ReplayJournalTo(ctx context.Context, to *catalogdb.DB) (*RebuildReport, error) {
	return s.rebuildInto(ctx, to, false)
}

// RebuildInto builds a catalog from the files alone into to (empty): every
// version from its manifest, then the journal replayed, as Rebuild does
// into a new DuckDB file. The SQL-readiness flags (versions.materialized,
// segments.loaded) start false.
func (s *Store) RebuildInto(ctx context.Context, to *catalogdb.DB) (*RebuildReport, error) {
	return s.rebuildInto(ctx, to, true)
}

func (s *Store) rebuildInto(ctx context.Context, to *catalogdb.DB, versions bool) (*RebuildReport, error) {
	if err := to.Migrate(ctx, CatalogDDL()); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if _, err := to.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('catalog_version', ?) ON CONFLICT DO NOTHING`, catalogVersion); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCatalog, to.Location(), err)
	}
	rep := &RebuildReport{Skipped: []FileProblem{}}
	entries, named, err := s.readJournal(rep)
	if err != nil {
		return nil, err
	}
	if versions {
		tx, err := to.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		defer tx.Rollback()
		if err := s.importVersions(ctx, tx, named, rep); err != nil {
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
	}
	for _, f := range entries {
		tx, err := to.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		if err := replayEntry(ctx, tx, f); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("%w: replaying %s into %s: %v", ErrCatalog, JournalPath(f.hash), to.Location(), err)
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		rep.JournalEntries++
	}
	return rep, nil
}
