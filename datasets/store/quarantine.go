package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrConflict means a quarantine entry was already decided.
var ErrConflict = errors.New("already decided")

// ErrRunPending means a quarantine entry belongs to a run that has not
// sealed yet: it cannot be decided until that run sealed (or was undone).
var ErrRunPending = errors.New("quarantine run not sealed yet")

// Quarantine statuses.
const (
	QuarantinePending  = "pending"
	QuarantineApproved = "approved"
	QuarantineRejected = "rejected"
)

// QuarantineEntry is one quarantined row.
type QuarantineEntry struct {
	ID      string `json:"id"`
	Dataset string `json:"dataset"`
	Job     string `json:"job"`
	RunID   string `json:"run"`
	RowKey  string `json:"row"`
	// RowJSON renders the row's values by column name.
	RowJSON json.RawMessage `json:"values"`
	// RowIPC is the row as a one-record Arrow IPC stream.
	RowIPC  []byte   `json:"-"`
	Codes   []string `json:"codes"`
	Reasons []string `json:"reasons"`
	Status  string   `json:"status"`
	Steward string   `json:"steward,omitempty"`
	// DecidedAt is set with the decision.
	DecidedAt *time.Time `json:"decidedAt,omitempty"`
	Note      string     `json:"note,omitempty"`
	// Signature is the steward's EIP-712 signature of the decision (0x
	// hex, docs/SPEC.md §12.7; verified by pipeline.VerifyEntry), empty
	// for a decision recorded without a key.
	Signature      string    `json:"signature"`
	AppliedVersion *uint64   `json:"appliedVersion,omitempty"`
	CreatedAt      time.Time `json:"createdAt"`
}

// Decision is a steward's decision on a quarantined row.
type Decision struct {
	// Status is QuarantineApproved or QuarantineRejected.
	Status    string
	Steward   string
	Note      string
	Signature string
	At        time.Time
}

func insertQuarantine(ctx context.Context, tx *jtx, r *ValidationRun, now time.Time) error {
	for _, q := range r.Quarantine {
		codes, _ := json.Marshal(q.Codes)
		reasons, _ := json.Marshal(q.Reasons)
		if _, err := tx.ExecContext(ctx, `INSERT INTO gt.quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, NULL, NULL, NULL, NULL, NULL, ?)
			ON CONFLICT DO NOTHING`, q.ID, r.Dataset, r.Job, r.ID, q.RowKey, string(q.RowJSON), q.RowIPC, string(codes), string(reasons), now); err != nil {
			return err
		}
	}
	return nil
}

// QuarantineFilter selects quarantine entries ("" matches all).
type QuarantineFilter struct {
	Dataset, Status string
}

const quarantineCols = `id, dataset, coalesce(job, ''), run_id, row_key, row_json, row_ipc, codes, reasons, status,
	coalesce(steward, ''), decided_at, coalesce(note, ''), coalesce(signature, ''), applied_version, created_at`

// QuarantineList lists quarantine entries, oldest first.
func (s *Store) QuarantineList(ctx context.Context, f QuarantineFilter) ([]QuarantineEntry, error) {
	q := `SELECT ` + quarantineCols + ` FROM gt.quarantine WHERE (? = '' OR dataset = ?) AND (? = '' OR status = ?) ORDER BY created_at, id`
	rows, err := s.db.QueryContext(ctx, q, f.Dataset, f.Dataset, f.Status, f.Status)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []QuarantineEntry
	for rows.Next() {
		e, err := scanQuarantine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// QuarantineGet returns one entry; an id prefix of at least 6 characters
// that matches one entry is accepted.
func (s *Store) QuarantineGet(ctx context.Context, id string) (*QuarantineEntry, error) {
	if len(id) < 6 {
		return nil, fmt.Errorf("%w: quarantine id %q is too short (want at least 6 characters)", ErrNotFound, id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+quarantineCols+` FROM gt.quarantine WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 2`, len(id), id)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []*QuarantineEntry
	for rows.Next() {
		e, err := scanQuarantine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	switch len(out) {
	case 0:
		return nil, fmt.Errorf("%w: no quarantine entry %q", ErrNotFound, id)
	case 1:
		return out[0], nil
	}
	return nil, fmt.Errorf("%w: quarantine id %q is ambiguous", ErrNotFound, id)
}

func scanQuarantine(rows *sql.Rows) (*QuarantineEntry, error) {
	var e QuarantineEntry
	var rowJSON, codes, reasons string
	var decided sql.NullTime
	var applied sql.NullInt64
	if err := rows.Scan(&e.ID, &e.Dataset, &e.Job, &e.RunID, &e.RowKey, &rowJSON, &e.RowIPC, &codes, &reasons, &e.Status,
		&e.Steward, &decided, &e.Note, &e.Signature, &applied, &e.CreatedAt); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	e.RowJSON = json.RawMessage(rowJSON)
	json.Unmarshal([]byte(codes), &e.Codes)
	json.Unmarshal([]byte(reasons), &e.Reasons)
	if decided.Valid {
		t := decided.Time.UTC()
		e.DecidedAt = &t
	}
	if applied.Valid {
		v := uint64(applied.Int64)
		e.AppliedVersion = &v
	}
	return &e, nil
}

// DecideQuarantine records a steward's decision on a pending entry.
// Approved rows are appended to the next version of the dataset and the
// decision is recorded in that version's report and lineage; rejected rows
// never enter the dataset.
func (s *Store) DecideQuarantine(ctx context.Context, id string, d Decision) (*QuarantineEntry, error) {
	if s.opts.ReadOnly {
		return nil, fmt.Errorf("%w: the store was opened read-only", ErrReadOnly)
	}
	if d.Status != QuarantineApproved && d.Status != QuarantineRejected {
		return nil, fmt.Errorf("decision must be %s or %s, not %q", QuarantineApproved, QuarantineRejected, d.Status)
	}
	if strings.TrimSpace(d.Steward) == "" {
		return nil, fmt.Errorf("a decision needs the steward's name")
	}
	e, err := s.QuarantineGet(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Status != QuarantinePending && !Redecidable(e) {
		return nil, fmt.Errorf("%w: quarantine entry %s was already %s by %s", ErrConflict, e.ID, e.Status, e.Steward)
	}
	if err := s.CheckQuarantineRow(ctx, e); err != nil {
		return nil, fmt.Errorf("refusing to record a decision on it: %w", err)
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	// An entry of a run still pending is not decided: that run may yet be
	// aborted (its process killed before the seal), which removes its
	// pending entries so the rows are read and judged again; an approval
	// landing first would survive the abort and append the row besides.
	res, err := s.jexec(ctx, `UPDATE gt.quarantine SET status = ?, steward = ?, decided_at = ?, note = ?, signature = ? WHERE id = ?
		AND (status = 'pending' OR (applied_version IS NULL AND length(signature) = 132))
		AND (run_id IS NULL OR run_id NOT IN (SELECT run_id FROM gt.validation_runs WHERE outcome = 'pending'))`,
		d.Status, d.Steward, d.At.UTC(), d.Note, d.Signature, e.ID)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return nil, s.undecided(ctx, e.ID)
	}
	return s.QuarantineGet(ctx, e.ID)
}

// formatOneSignatureLen is the length of a format 1 decision's signature
// as the catalog holds it: 0x and 65 bytes in hex (a format 2 record is 125
// bytes; a decision made through the Go API without a signature is empty).
const formatOneSignatureLen = 2 + 2*65

// Redecidable reports whether a decided entry may be decided again: an
// approval or rejection of format 1 (a bare signature, made before
// decisions bound the row's leaf and the deployment) that no version has
// applied. Writers refuse to apply such a decision, so without a new one
// the entry would block its dataset; the new decision replaces it.
func Redecidable(e *QuarantineEntry) bool {
	return e.Status != QuarantinePending && e.AppliedVersion == nil && len(e.Signature) == formatOneSignatureLen
}

// undecided explains why a decision on entry id changed nothing.
func (s *Store) undecided(ctx context.Context, id string) error {
	e, err := s.QuarantineGet(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("%w: quarantine entry %s was removed: the run that held it did not seal, and its rows will be read again", ErrNotFound, id)
	case err != nil:
		return err
	case e.Status != QuarantinePending:
		return fmt.Errorf("%w: quarantine entry %s was already %s by %s", ErrConflict, e.ID, e.Status, e.Steward)
	}
	return fmt.Errorf("%w: quarantine entry %s belongs to run %s, which has not sealed yet (it may still be undone and its rows read again): decide once it has", ErrRunPending, e.ID, e.RunID)
}

// ApprovedUnapplied returns a dataset's approved entries that no sealed
// version has taken in yet, oldest decision first.
func (s *Store) ApprovedUnapplied(ctx context.Context, dataset string) ([]QuarantineEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+quarantineCols+` FROM gt.quarantine
		WHERE dataset = ? AND status = 'approved' AND applied_version IS NULL AND applied_run IS NULL ORDER BY decided_at, id`, dataset)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []QuarantineEntry
	for rows.Next() {
		e, err := scanQuarantine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}
