package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Outcomes of a validation run.
const (
	RunPending = "pending"
	RunSealed  = "sealed"
	RunBlocked = "blocked"
	RunAborted = "aborted"
	RunDryRun  = "dry_run"
)

// ValidationRun is what a validation run records in the catalog.
type ValidationRun struct {
	ID, Job, Dataset string
	// Outcome is RunPending for a run whose version is about to be
	// committed, RunBlocked or RunDryRun otherwise.
	Outcome    string
	ReportHash datasets.Hash
	ReportJSON []byte
	// Cursor is the source cursor the version commits with.
	Cursor   []byte
	Findings []FindingRecord
	Flagged  []FlaggedRow
	// Quarantine are the rows this run quarantined.
	Quarantine []QuarantineEntry
	// Applied are the ids of approved quarantine entries this run appends.
	Applied []string
	// Metrics is the JSON of the accepted rows' metrics.
	Metrics      []byte
	MetricsRows  int
	MetricsInput int
	Now          time.Time
}

// FindingRecord is one finding as the catalog stores it.
type FindingRecord struct {
	Code, Severity, Validator, Action, Subject, Message string
	Passed                                              bool
	Value, Threshold                                    float64
	RowKeys                                             []string
}

// FlaggedRow is a kept row flagged at warn or above.
type FlaggedRow struct {
	RowKey, Code, Severity string
}

// SaveValidationRun records a run, its findings, flagged rows, new
// quarantine entries, metrics and the approved entries it applies, in one
// transaction. Quarantine ids are content-derived, so saving a re-run of
// the same rows does not duplicate entries.
func (s *Store) SaveValidationRun(ctx context.Context, r *ValidationRun) error {
	if s.opts.ReadOnly {
		return fmt.Errorf("%w: the store was opened read-only", ErrReadOnly)
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	return s.inTx(ctx, func(tx *jtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO gt.validation_runs VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Job, r.Dataset, r.Outcome, r.ReportHash.String(), string(r.ReportJSON), string(r.Cursor), now, now); err != nil {
			return err
		}
		if err := insertFindings(ctx, tx, r, now); err != nil {
			return err
		}
		if r.Outcome == RunBlocked || r.Outcome == RunDryRun {
			return nil
		}
		for _, f := range r.Flagged {
			if _, err := tx.ExecContext(ctx, `INSERT INTO gt.flagged_rows VALUES (?, ?, ?, ?, ?)`, r.Dataset, f.RowKey, r.ID, f.Code, f.Severity); err != nil {
				return err
			}
		}
		if err := insertQuarantine(ctx, tx, r, now); err != nil {
			return err
		}
		for _, id := range r.Applied {
			if _, err := tx.ExecContext(ctx, `UPDATE gt.quarantine SET applied_run = ? WHERE id = ? AND status = 'approved' AND applied_version IS NULL`, r.ID, id); err != nil {
				return err
			}
		}
		if r.Metrics != nil {
			_, err := tx.ExecContext(ctx, `INSERT INTO gt.metrics VALUES (?, ?, NULL, ?, ?, ?, ?)`, r.ID, r.Dataset, r.MetricsRows, r.MetricsInput, string(r.Metrics), now)
			return err
		}
		return nil
	})
}

func insertFindings(ctx context.Context, tx *jtx, r *ValidationRun, now time.Time) error {
	for i, f := range r.Findings {
		keys, _ := json.Marshal(f.RowKeys)
		if f.RowKeys == nil {
			keys = []byte("[]")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gt.findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, i, r.Dataset, f.Code, f.Severity, f.Validator, f.Passed, f.Action, f.Subject,
			finite(f.Value), finite(f.Threshold), f.Message, string(keys), now); err != nil {
			return err
		}
	}
	return nil
}

// finite maps NaN and infinities to NULL.
func finite(f float64) any {
	if f != f || f > 1e308 || f < -1e308 {
		return nil
	}
	return f
}

// FinishValidationRun marks a pending run sealed once its version (nil when
// the run sealed no rows) committed, and records the lineage of the
// approved rows it appended.
func (s *Store) FinishValidationRun(ctx context.Context, runID string, version *uint64) error {
	return s.inTx(ctx, func(tx *jtx) error {
		var dataset string
		if err := tx.QueryRowContext(ctx, `SELECT dataset FROM gt.validation_runs WHERE run_id = ?`, runID).Scan(&dataset); err != nil {
			return fmt.Errorf("%w: validation run %s: %v", ErrNotFound, runID, err)
		}
		var v any
		if version != nil {
			v = *version
		}
		stmts := []string{
			`UPDATE gt.validation_runs SET outcome = 'sealed', version = ?, updated_at = now() WHERE run_id = ?`,
			`UPDATE gt.metrics SET version = ? WHERE run_id = ?`,
			`UPDATE gt.quarantine SET applied_version = ? WHERE applied_run = ?`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, v, runID); err != nil {
				return err
			}
		}
		if version == nil {
			return nil
		}
		return insertLineage(ctx, tx, dataset, *version, runID)
	})
}

// insertLineage records the decisions a version took in.
func insertLineage(ctx context.Context, tx *jtx, dataset string, version uint64, runID string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, row_key, status, coalesce(steward, ''), decided_at, coalesce(note, ''), coalesce(signature, '') FROM gt.quarantine WHERE applied_run = ? ORDER BY id`, runID)
	if err != nil {
		return err
	}
	// dec holds every field of the steward's signed decision
	// (docs/SPEC.md §12.7), so a lineage row can be verified on its own.
	type dec struct {
		ID        string    `json:"id"`
		Row       string    `json:"row"`
		Decision  string    `json:"decision"`
		Steward   string    `json:"steward"`
		DecidedAt time.Time `json:"decidedAt"`
		Note      string    `json:"note"`
		Signature string    `json:"signature"`
	}
	var ds []dec
	for rows.Next() {
		var d dec
		var at sql.NullTime
		if err := rows.Scan(&d.ID, &d.Row, &d.Decision, &d.Steward, &at, &d.Note, &d.Signature); err != nil {
			rows.Close()
			return err
		}
		d.DecidedAt = at.Time.UTC()
		ds = append(ds, d)
	}
	rows.Close()
	for _, d := range ds {
		detail, _ := json.Marshal(d)
		if _, err := tx.ExecContext(ctx, `INSERT INTO gt.lineage VALUES (?, ?, 'quarantine_decision', ?, ?, ?)`, dataset, version, d.ID, string(detail), runID); err != nil {
			return err
		}
	}
	return nil
}

// AbortValidationRun undoes a pending run whose version did not commit:
// its quarantine entries are removed (the rows will be read again) and the
// approved entries it meant to apply are released.
func (s *Store) AbortValidationRun(ctx context.Context, runID string) error {
	return s.inTx(ctx, func(tx *jtx) error {
		stmts := []string{
			`UPDATE gt.validation_runs SET outcome = 'aborted', updated_at = now() WHERE run_id = ? AND outcome = 'pending'`,
			`DELETE FROM gt.quarantine WHERE run_id = ? AND status = 'pending'`,
			`UPDATE gt.quarantine SET applied_run = NULL WHERE applied_run = ? AND applied_version IS NULL`,
			`DELETE FROM gt.flagged_rows WHERE run_id = ?`,
			`DELETE FROM gt.metrics WHERE run_id = ?`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, runID); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReconcileValidationRuns settles the pending runs of a dataset left by a
// crash: a run whose report hash is the latest version's reportHash, or
// whose cursor is the job's checkpoint, committed and is finished; any
// other pending run is aborted.
func (s *Store) ReconcileValidationRuns(ctx context.Context, dataset string) error {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, coalesce(job, ''), report_hash, coalesce(cursor, '') FROM gt.validation_runs
		WHERE dataset = ? AND outcome = 'pending' ORDER BY created_at`, dataset)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	type pending struct{ id, job, hash, cursor string }
	var ps []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.job, &p.hash, &p.cursor); err != nil {
			rows.Close()
			return err
		}
		ps = append(ps, p)
	}
	rows.Close()
	for _, p := range ps {
		if err := s.reconcile(ctx, dataset, p.id, p.job, p.hash, p.cursor); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) reconcile(ctx context.Context, dataset, id, job, hash, cursor string) error {
	rec, err := s.Version(ctx, dataset, 0)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if rec != nil && rec.Manifest.ReportHash != nil && rec.Manifest.ReportHash.String() == hash {
		v := rec.Manifest.Version
		return s.FinishValidationRun(ctx, id, &v)
	}
	if job != "" {
		cur, err := s.Checkpoint(ctx, job)
		if err != nil {
			return err
		}
		if cur != nil && string(cur) == cursor {
			return s.FinishValidationRun(ctx, id, nil)
		}
	}
	return s.AbortValidationRun(ctx, id)
}

// FlaggedKeys returns the keys of a dataset's kept rows flagged at warn or
// above by runs that sealed.
func (s *Store) FlaggedKeys(ctx context.Context, dataset string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT f.row_key FROM gt.flagged_rows f
		JOIN gt.validation_runs r ON r.run_id = f.run_id WHERE f.dataset = ? AND r.outcome = 'sealed'`, dataset)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// MetricHistory returns the metrics JSON of up to n good versions of a
// dataset, newest first. Good versions are the attested ones; while none of
// the dataset was ever attested, the sealed ones (never revoked ones).
func (s *Store) MetricHistory(ctx context.Context, dataset string, n int) ([][]byte, error) {
	var attested int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM gt.versions WHERE dataset = ? AND status = 'attested'`, dataset).Scan(&attested); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	status := "sealed"
	if attested > 0 {
		status = "attested"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.metrics_json FROM gt.metrics m
		JOIN gt.versions v ON v.dataset = m.dataset AND v.version = m.version
		WHERE m.dataset = ? AND v.status = ? ORDER BY m.version DESC LIMIT ?`, dataset, status, n)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var js string
		if err := rows.Scan(&js); err != nil {
			return nil, err
		}
		out = append(out, []byte(js))
	}
	return out, rows.Err()
}
