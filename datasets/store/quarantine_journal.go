package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// ErrQuarantineTampered means a quarantine entry's stored row (row_ipc) is
// not the row the journal recorded when the entry was inserted: the
// journal file that inserted it is missing, does not hash to its name, or
// holds other bytes. The catalog's copy was changed after quarantine, and
// the row must not be shown as held, signed or appended. It wraps
// datasets.ErrIntegrity (exit 3, console 409).
var ErrQuarantineTampered = fmt.Errorf("%w: the quarantined row is not the row its journal entry recorded", datasets.ErrIntegrity)

// quarantineJournalDDL indexes the journal entries that inserted each
// quarantine entry. It is derived (written when an entry is sealed or
// replayed, never journaled) and only says which file to read: the file,
// checked against its hash-name, is what the row is compared with.
const quarantineJournalDDL = `CREATE TABLE IF NOT EXISTS gt.quarantine_journal (id VARCHAR NOT NULL, hash VARCHAR NOT NULL, PRIMARY KEY (id, hash))`

// quarantineInsertPrefix starts every journaled insert of a quarantine
// entry (insertQuarantine's and seedTable's): its first argument is the
// entry id and its seventh the row's Arrow IPC (the column order of
// gt.quarantine).
// (Concatenated, so the catalog audit does not take the prefix for a
// statement.)
const quarantineInsertPrefix = "INSERT INTO " + "gt.quarantine VALUES"

// quarantineRowArg is the argument index of row_ipc in a quarantine insert.
const quarantineRowArg = 6

// maxJournalCandidates bounds the journal entries read for one check.
const maxJournalCandidates = 8

// quarantineInsertID returns the entry id a journaled statement inserts
// into gt.quarantine, or "" when it is no such insert.
func quarantineInsertID(st journalStmt) string {
	if !strings.HasPrefix(strings.TrimSpace(st.SQL), quarantineInsertPrefix) || len(st.Args) <= quarantineRowArg || st.Args[0].T != "s" {
		return ""
	}
	id, _ := st.Args[0].V.(string)
	return id
}

// indexQuarantineInserts records, through ex (inside the transaction that
// records journal entry h), which quarantine entries the entry inserts.
func indexQuarantineInserts(ctx context.Context, ex execer, h datasets.Hash, stmts []journalStmt) error {
	for _, st := range stmts {
		if id := quarantineInsertID(st); id != "" {
			if _, err := ex.ExecContext(ctx, `INSERT INTO gt.quarantine_journal VALUES (?, ?) ON CONFLICT DO NOTHING`, id, h.String()); err != nil {
				return fmt.Errorf("%w: journal index: %v", ErrCatalog, err)
			}
		}
	}
	return nil
}

// CheckQuarantineRow checks that e's stored row (row_ipc) is the row the
// journal recorded when e was inserted: it reads the journal file(s) the
// catalog names for e (gt.quarantine_journal; for an entry written before
// that index, the catalog's journal table is searched for its id), checks
// that each file's SHA-256 is its name, finds the insert of e.ID and
// compares the bytes; every file named must agree. A missing file, a hash mismatch, no insert of e, or
// different bytes is ErrQuarantineTampered naming the entry and the files.
// The catalog's copy of a journal body is never trusted, only the file.
func (s *Store) CheckQuarantineRow(ctx context.Context, e *QuarantineEntry) error {
	hashes, err := s.quarantineJournalHashes(ctx, e.ID)
	if err != nil {
		return err
	}
	if len(hashes) == 0 {
		return fmt.Errorf("%w: quarantine entry %s: no journal entry records its insert", ErrQuarantineTampered, e.ID)
	}
	// Every file that inserted the entry must hold its row (ids are
	// content-derived, so a re-run's insert holds the same bytes): one
	// genuine file disagreeing is enough to refuse, whatever else the
	// catalog names.
	var problems []string
	for _, h := range hashes {
		rel := JournalPath(h)
		row, err := s.journalQuarantineRow(h, e.ID)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case !bytes.Equal(row, e.RowIPC):
			problems = append(problems, fmt.Sprintf("%s recorded a different row (%d bytes, sha256 %x; the catalog holds %d bytes, sha256 %x)",
				rel, len(row), sha256.Sum256(row), len(e.RowIPC), sha256.Sum256(e.RowIPC)))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: quarantine entry %s: %s", ErrQuarantineTampered, e.ID, strings.Join(problems, "; "))
}

// quarantineJournalHashes returns the hashes of the journal entries the
// catalog says inserted entry id (at most maxJournalCandidates).
func (s *Store) quarantineJournalHashes(ctx context.Context, id string) ([]datasets.Hash, error) {
	out, err := s.scanHashes(ctx, `SELECT hash FROM gt.quarantine_journal WHERE id = ? ORDER BY hash`, id)
	if err == nil && len(out) > 0 {
		return out, nil
	}
	// An entry written before the index (or a catalog opened read-only
	// before its migration): search the journal table's bodies for the id.
	return s.scanHashes(ctx, `SELECT hash FROM gt.journal WHERE body LIKE ? ORDER BY written_at`, `%"v":"`+id+`"%`)
}

func (s *Store) scanHashes(ctx context.Context, q string, arg string) ([]datasets.Hash, error) {
	rows, err := s.db.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []datasets.Hash
	for rows.Next() && len(out) < maxJournalCandidates {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		if h, err := datasets.ParseHash(v); err == nil { // a name that is no hash names no file
			out = append(out, h)
		}
	}
	return out, rows.Err()
}

// journalQuarantineRow reads journal file h, checks its hash and returns
// the row its insert of entry id recorded.
func (s *Store) journalQuarantineRow(h datasets.Hash, id string) ([]byte, error) {
	rel := JournalPath(h)
	body, err := os.ReadFile(filepath.Join(s.root, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s is missing", rel)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", rel, err)
	}
	if datasets.Hash(sha256.Sum256(body)) != h {
		return nil, fmt.Errorf("%s does not hash to its name", rel)
	}
	var je journalEntry
	if err := json.Unmarshal(body, &je); err != nil || je.Format != JournalFormat {
		return nil, fmt.Errorf("%s is not a journal entry", rel)
	}
	for _, st := range je.Statements {
		if quarantineInsertID(st) != id {
			continue
		}
		a := st.Args[quarantineRowArg]
		if a.T == "null" {
			return nil, nil
		}
		v, err := a.value()
		row, ok := v.([]byte)
		if err != nil || !ok {
			return nil, fmt.Errorf("%s: its insert of the entry holds no row bytes", rel)
		}
		return row, nil
	}
	return nil, fmt.Errorf("%s does not insert the entry", rel)
}

// indexJournalTable fills gt.quarantine_journal from the journal bodies of
// a catalog copied from one that had no such index (CopyCatalogTo,
// MigrateDuckDBCatalog): it is derived, and only says which file a check
// reads.
func indexJournalTable(ctx context.Context, tx *catalogdb.Tx) error {
	type pair struct {
		h     datasets.Hash
		stmts []journalStmt
	}
	rows, err := tx.QueryContext(ctx, `SELECT hash, body FROM gt.journal`)
	if err != nil {
		return err
	}
	var found []pair
	for rows.Next() {
		var hx, body string
		if err := rows.Scan(&hx, &body); err != nil {
			rows.Close()
			return err
		}
		h, err := datasets.ParseHash(hx)
		var je journalEntry
		if err != nil || !strings.Contains(body, quarantineInsertPrefix) || json.Unmarshal([]byte(body), &je) != nil {
			continue
		}
		found = append(found, pair{h, je.Statements})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range found {
		if err := indexQuarantineInserts(ctx, tx, p.h, p.stmts); err != nil {
			return err
		}
	}
	return nil
}
