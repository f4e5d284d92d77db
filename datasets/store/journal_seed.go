package store

import (
	"context"
	"fmt"
	"strings"
)

// factTables are the catalog tables whose rows are journaled facts (the
// versions' own rows come from the manifests).
var factTables = []string{
	"gt.checkpoints", "gt.runs", "gt.validation_runs", "gt.findings", "gt.flagged_rows",
	"gt.quarantine", "gt.metrics", "gt.lineage", "gt.signatures", "gt.attestations",
	"gt.revocations", "gt.steward_keys",
}

// seedJournal upgrades a catalog made before the journal: when gt.journal
// is empty but the catalog holds versions, one journal entry records every
// fact row and every version's job, note and status, so a later `catalog
// rebuild` loses nothing. It runs at a writing open, after the check that
// every journal file is in gt.journal, so it never runs where journal files
// exist. A catalog with facts but no versions is not seeded: every store
// made since the journal journals its versions, so such a catalog is new,
// and seeding it would turn rows a catalog-only writer planted into journal
// files (F101).
func (s *Store) seedJournal(ctx context.Context) error {
	var entries, versions int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM gt.journal), (SELECT count(*) FROM gt.versions)`).Scan(&entries, &versions); err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if entries > 0 || versions == 0 {
		return nil
	}
	facts := versions
	for _, t := range factTables {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		facts += n
	}
	if facts == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *jtx) error {
		if err := seedVersions(ctx, tx); err != nil {
			return err
		}
		for _, t := range factTables {
			if err := seedTable(ctx, tx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.log.Info("recorded the catalog's existing facts in the journal", "facts", facts)
	}
	return err
}

// seedVersions journals every version's job, note and status.
func seedVersions(ctx context.Context, tx *jtx) error {
	rows, err := tx.QueryContext(ctx, `SELECT dataset, version, manifest_hash, coalesce(job, ''), coalesce(note, ''), status FROM gt.versions ORDER BY dataset, version`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ds, mh, job, note, status string
		var v uint64
		if err := rows.Scan(&ds, &v, &mh, &job, &note, &status); err != nil {
			return err
		}
		if err := tx.j.add(versionRecordSQL, job, note, ds, v, mh); err != nil {
			return err
		}
		if err := tx.j.add(`UPDATE gt.versions SET status = ? WHERE dataset = ? AND version = ?`, status, ds, v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// seedTable journals every row of a table as an INSERT.
func seedTable(ctx context.Context, tx *jtx, table string) error {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	q := fmt.Sprintf("INSERT INTO %s VALUES (%s)", table, strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := tx.j.add(q, vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}
