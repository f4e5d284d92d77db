package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// runsDDL extends gt.runs (created in catalog.go) into the pipeline's run
// history; every statement is idempotent. A run is recorded when it starts
// (outcome "running") and updated when it ends; runs a crash left
// "running" are marked "interrupted" by InterruptRuns.
var runsDDL = []string{
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS run_trigger VARCHAR`,
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS attempt INTEGER`,
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS findings_info UBIGINT`,
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS findings_warn UBIGINT`,
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS findings_error UBIGINT`,
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS validation_run VARCHAR`,
	`ALTER TABLE gt.runs ADD COLUMN IF NOT EXISTS attestation VARCHAR`,
}

// Run outcomes in gt.runs.
const (
	RunRunning     = "running"     // in flight (or the process died: see InterruptRuns)
	RunOK          = "sealed"      // a version was sealed
	RunNoRows      = "no_rows"     // nothing new; the checkpoint may have moved
	RunFailed      = "failed"      // an error; nothing of the run is visible
	RunTimeout     = "timeout"     // the run overran its timeout and was abandoned
	RunCanceled    = "canceled"    // abandoned at shutdown
	RunInterrupted = "interrupted" // the process died during the run
)

// RunRecord is one run of a job in the run history.
type RunRecord struct {
	ID      string     `json:"id"`
	Job     string     `json:"job"`
	Dataset string     `json:"dataset"`
	Trigger string     `json:"trigger"`
	Attempt int        `json:"attempt"`
	Started time.Time  `json:"startedAt"`
	Ended   *time.Time `json:"endedAt,omitempty"`
	Outcome string     `json:"outcome"`
	// RowsIn are the rows read from the source; RowsAccepted those sealed
	// (approved quarantined rows included) and RowsQuarantined those held back.
	RowsIn          uint64 `json:"rowsIn"`
	RowsAccepted    uint64 `json:"rowsAccepted"`
	RowsQuarantined uint64 `json:"rowsQuarantined"`
	// Findings counts the failing findings by severity (info, warn, error).
	Findings map[string]uint64 `json:"findings"`
	// Version is the sealed version, if any.
	Version *uint64 `json:"version,omitempty"`
	// ValidationRun is the id of the validation run (gt.validation_runs).
	ValidationRun string `json:"validationRun,omitempty"`
	// Attestation is the attestation state of the sealed version: attested,
	// pending, review (waiting for stewards), failed, or "" (not attested).
	Attestation string `json:"attestation,omitempty"`
	Error       string `json:"error,omitempty"`
}

// StartRun records a run as running.
func (s *Store) StartRun(ctx context.Context, r *RunRecord) error {
	_, err := s.jexec(ctx, `INSERT INTO gt.runs (id, job, dataset, started_at, outcome, run_trigger, attempt)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Job, r.Dataset, r.Started.UTC(), RunRunning, r.Trigger, r.Attempt)
	if err != nil {
		return fmt.Errorf("%w: recording run %s: %v", ErrCatalog, r.ID, err)
	}
	return nil
}

// FinishRun records how a started run ended.
func (s *Store) FinishRun(ctx context.Context, r *RunRecord) error {
	end := time.Now().UTC()
	if r.Ended != nil {
		end = r.Ended.UTC()
	}
	_, err := s.jexec(ctx, `UPDATE gt.runs SET ended_at = ?, outcome = ?, rows_in = ?, rows_accepted = ?,
		rows_quarantined = ?, version = ?, error = ?, findings_info = ?, findings_warn = ?, findings_error = ?,
		validation_run = ?, attestation = ? WHERE id = ?`,
		end, r.Outcome, r.RowsIn, r.RowsAccepted, r.RowsQuarantined, r.Version, nullString(r.Error),
		r.Findings["info"], r.Findings["warn"], r.Findings["error"], nullString(r.ValidationRun), nullString(r.Attestation), r.ID)
	if err != nil {
		return fmt.Errorf("%w: recording the end of run %s: %v", ErrCatalog, r.ID, err)
	}
	return nil
}

// InterruptRuns marks the runs of jobs (every job when none is named)
// left "running" by a process that died as interrupted, and returns how
// many there were. Call it while holding those jobs' runner locks
// (Options.Jobs), before starting runs: the runs of jobs another process
// runs are not touched.
func (s *Store) InterruptRuns(ctx context.Context, jobs ...string) (int64, error) {
	// Fixed statements only: a journal entry may hold nothing else
	// (journal_allow.go).
	const all = `UPDATE gt.runs SET outcome = ?, ended_at = coalesce(ended_at, now()),
		error = coalesce(error, 'the process stopped during the run; nothing of it was sealed') WHERE outcome = ?`
	const ofJob = `UPDATE gt.runs SET outcome = ?, ended_at = coalesce(ended_at, now()),
		error = coalesce(error, 'the process stopped during the run; nothing of it was sealed') WHERE outcome = ? AND job = ?`
	var n int64
	err := s.inTx(ctx, func(tx *jtx) error {
		if len(jobs) == 0 {
			jobs = []string{""}
		}
		for _, j := range jobs {
			q, args := ofJob, []any{RunInterrupted, RunRunning, j}
			if j == "" {
				q, args = all, args[:2]
			}
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	return n, nil
}

// RunFilter selects runs.
type RunFilter struct {
	// Job selects one job ("" for all).
	Job string
	// Limit bounds the number of runs returned, newest first (0: 50).
	Limit int
	// Datasets, when not nil, keeps only the runs of these datasets (an
	// empty, non-nil list keeps none).
	Datasets []string
}

// Runs returns recorded runs, newest first.
func (s *Store) Runs(ctx context.Context, f RunFilter) ([]RunRecord, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	where, args := "(? = '' OR job = ?)", []any{f.Job, f.Job}
	if f.Datasets != nil {
		where += " AND dataset IN (NULL" + strings.Repeat(", ?", len(f.Datasets)) + ")"
		for _, d := range f.Datasets {
			args = append(args, d)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, job, coalesce(dataset, ''), coalesce(run_trigger, ''), coalesce(attempt, 0),
		started_at, ended_at, outcome, coalesce(rows_in, 0), coalesce(rows_accepted, 0), coalesce(rows_quarantined, 0),
		coalesce(findings_info, 0), coalesce(findings_warn, 0), coalesce(findings_error, 0), version,
		coalesce(validation_run, ''), coalesce(attestation, ''), coalesce(error, '')
		FROM gt.runs WHERE `+where+` ORDER BY started_at DESC, id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	var out []RunRecord
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRun(rows *sql.Rows) (RunRecord, error) {
	var r RunRecord
	var ended sql.NullTime
	var version sql.NullInt64
	var fi, fw, fe uint64
	err := rows.Scan(&r.ID, &r.Job, &r.Dataset, &r.Trigger, &r.Attempt, &r.Started, &ended, &r.Outcome,
		&r.RowsIn, &r.RowsAccepted, &r.RowsQuarantined, &fi, &fw, &fe, &version, &r.ValidationRun, &r.Attestation, &r.Error)
	if err != nil {
		return r, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	if ended.Valid {
		t := ended.Time
		r.Ended = &t
	}
	if version.Valid {
		v := uint64(version.Int64)
		r.Version = &v
	}
	r.Findings = map[string]uint64{"info": fi, "warn": fw, "error": fe}
	return r, nil
}

// LastSuccess returns, per job, the end of its latest run that ended
// without an error (sealed or no_rows).
func (s *Store) LastSuccess(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT job, max(ended_at) FROM gt.runs WHERE outcome IN (?, ?) GROUP BY job`, RunOK, RunNoRows)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var job string
		var at any
		if err := rows.Scan(&job, &at); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCatalog, err)
		}
		t, err := scannedTime(at)
		if err != nil {
			return nil, fmt.Errorf("%w: last success of %s: %v", ErrCatalog, job, err)
		}
		if !t.IsZero() {
			out[job] = t
		}
	}
	return out, rows.Err()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sqliteTimeLayouts are the layouts SQLite holds times in (an aggregate
// such as max() returns them as text, without the column's type).
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"}

// scannedTime normalises a scanned time: a time.Time, text in one of
// SQLite's layouts, or NULL (the zero time).
func scannedTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return x.UTC(), nil
	case []byte:
		return scannedTime(string(x))
	case string:
		for _, l := range sqliteTimeLayouts {
			if t, err := time.Parse(l, x); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("time %q in no known layout", x)
	}
	return time.Time{}, fmt.Errorf("time of type %T", v)
}

// catalogTime turns a manifest's createdAt (datasets.FormatTime, RFC 3339)
// into a time.Time, so that every backend stores it as it stores the
// other times (in SQLite a string would keep its own format and sort
// apart from them); text it cannot parse is passed through unchanged.
func catalogTime(s string) any {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC()
}
