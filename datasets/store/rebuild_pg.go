package store

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// rebuildPostgres rebuilds a PostgreSQL catalog in place, in one
// transaction: the schema gt is renamed to gt_replaced_<time>_<ns> (kept, never
// dropped), a new gt with the same tables (CREATE TABLE … LIKE … INCLUDING
// ALL) is filled from the files as Rebuild fills an SQLite catalog, and the
// transaction commits. Other processes see the old catalog until the
// commit and the rebuilt one after it; a failure leaves the old one.
func (s *Store) rebuildPostgres(ctx context.Context) (*RebuildReport, error) {
	db, err := catalogdb.Open(ctx, s.location(), catalogdb.Options{})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, CatalogDDL()); err != nil { // every table exists (a new or emptied database)
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	rep := &RebuildReport{Skipped: []FileProblem{}}
	entries, named, err := s.readJournal(rep)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	old := fmt.Sprintf("gt_replaced_%s_%09d", strings.ToLower(now.Format("20060102T150405Z")), now.Nanosecond())
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer tx.Rollback()
	if err := swapSchema(ctx, tx, old); err != nil {
		return nil, fmt.Errorf("%w: replacing schema gt of %s: %v", ErrCatalog, db.Location(), err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gt.meta VALUES ('catalog_version', ?) ON CONFLICT DO NOTHING`, catalogVersion); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if err := s.importVersions(ctx, tx, named, rep); err != nil {
		return nil, err
	}
	for _, f := range entries {
		if err := replayEntry(ctx, tx, f); err != nil {
			return nil, fmt.Errorf("%w: replaying %s into %s: %v", ErrCatalog, JournalPath(f.hash), db.Location(), err)
		}
		rep.JournalEntries++
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	rep.Replaced = "schema " + old + " of " + db.Location()
	return rep, s.reopenCatalog(ctx)
}

// swapSchema renames gt to old and creates an empty gt with old's tables.
func swapSchema(ctx context.Context, tx *catalogdb.Tx, old string) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'gt' AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmts := []string{`ALTER SCHEMA gt RENAME TO ` + old, `CREATE SCHEMA gt`}
	for _, t := range tables {
		stmts = append(stmts, fmt.Sprintf(`CREATE TABLE gt.%s (LIKE %s.%s INCLUDING ALL)`, t, old, t))
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %v", q, err)
		}
	}
	return nil
}

// reopenCatalog reopens the store on its (rebuilt) catalog and makes its
// versions queryable.
func (s *Store) reopenCatalog(ctx context.Context) error {
	if s.db != nil {
		s.db.Close()
		s.db = nil
	}
	if s.tmpCatalog != "" {
		_ = os.RemoveAll(s.tmpCatalog)
		s.tmpCatalog = ""
	}
	s.inMemory, s.damaged, s.stale = false, "", nil
	s.clearKeys()
	if err := s.openCatalog(ctx); err != nil {
		return err
	}
	return s.Materialize(ctx)
}
