package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// ingestValidated is Ingest with the validation stage: fetch → validate →
// record the run (findings, quarantine, metrics) as pending → seal the
// accepted rows and the approved quarantined rows with the report's hash
// in the manifest → mark the run sealed. A blocked run records its
// findings and seals nothing; its checkpoint stays. Pending runs a crash
// left behind are settled first (ReconcileValidationRuns), so approved
// rows are appended exactly once. It reads one part of the run (at most
// Job.MaxRunRows rows, see ingestParts); cut reports that the source was
// asked to stop and may have more. A later part (part > 1) that finds
// nothing returns a nil result.
func ingestValidated(ctx context.Context, st *store.Store, job Job, now time.Time, part int) (_ *IngestResult, _ *sources.Rewind, cut bool, _ error) {
	result, rewind, err := ingestValidatedPart(ctx, st, job, now, part, &cut)
	return result, rewind, cut && err == nil && rewind == nil, err
}

func ingestValidatedPart(ctx context.Context, st *store.Store, job Job, now time.Time, part int, cut *bool) (*IngestResult, *sources.Rewind, error) {
	if err := st.ReconcileValidationRuns(ctx, job.Dataset); err != nil {
		return nil, nil, err
	}
	cursor, err := st.Checkpoint(ctx, job.Name)
	if err != nil {
		return nil, nil, err
	}
	f, err := fetchPart(ctx, job, cursor, job.maxRunRows())
	defer func() { release(f.recs) }()
	if err != nil {
		return nil, nil, err
	}
	*cut = f.cut
	recs, res := f.recs, f.res
	if idlePart(part, recs, res, cursor) {
		return nil, nil, nil
	}
	if err := failOnBadValue(job, res); err != nil {
		return nil, nil, err
	}
	if res.Rewind != nil {
		if n := rowsOf(recs); n > 0 {
			return nil, nil, fmt.Errorf("job %s: source %s emitted %d rows together with a rewind", job.Name, job.Source.ID(), n)
		}
		return commitRewind(ctx, st, job, store.WriteOptions{Job: job.Name, Pipeline: job.Pipeline, Now: now}, res)
	}
	approved, approvedRecs, err := loadApproved(ctx, st, job)
	defer release(approvedRecs)
	if err != nil {
		return nil, nil, err
	}
	info := validators.RunInfo{Decisions: decisions(approved), Approved: rowsOf(approvedRecs)}
	hist, peerRecs := peerHistory(ctx, st, job)
	defer release(peerRecs)
	held, err := holdBack(ctx, job, hist, f, now, true)
	if err != nil {
		return nil, nil, err
	}
	recs, res = f.recs, f.res
	*cut = f.cut
	vr, err := runSuite(ctx, job, hist, recs, res, now, info)
	if err != nil {
		return nil, nil, err
	}
	if err := datasets.WriteFileAtomic(st.Root(), datasets.ReportPath(vr.ReportHash), vr.ReportJSON); err != nil {
		return nil, nil, err
	}
	run, err := catalogRun(job, vr, res.Cursor, approved, now)
	if err != nil {
		return nil, nil, err
	}
	result := &IngestResult{Rows: uint64(rowsOf(recs)), Held: held, Validation: vr}
	if vr.Outcome.Blocked {
		run.Outcome = store.RunBlocked
		if err := st.SaveValidationRun(ctx, run); err != nil {
			return nil, nil, err
		}
		return result, nil, fmt.Errorf("job %s: %w (report %s)", job.Name, validators.ErrBlocked, vr.ReportHash)
	}
	run.Outcome = store.RunPending
	if err := st.SaveValidationRun(ctx, run); err != nil {
		return nil, nil, err
	}
	m, err := sealValidated(ctx, st, job, vr, approvedRecs, res, now)
	if err != nil && m == nil {
		return nil, nil, errors.Join(err, st.AbortValidationRun(context.WithoutCancel(ctx), vr.RunID))
	}
	// A version that committed is finished even when a step after its
	// commit failed (its SQL copies): aborting the run would remove the
	// rows it quarantined while the checkpoint has moved past them.
	var version *uint64
	if m != nil {
		version = &m.Version
	}
	if ferr := st.FinishValidationRun(context.WithoutCancel(ctx), vr.RunID, version); ferr != nil {
		return nil, nil, errors.Join(err, ferr)
	}
	result.Manifest = m
	return result, nil, err
}

// sealValidated writes the accepted rows, then the approved rows, as a new
// version whose manifest carries the report's hash. A manifest returned
// with an error committed: only a step after the commit failed.
func sealValidated(ctx context.Context, st *store.Store, job Job, vr *ValidationResult, approved []arrow.RecordBatch, res sources.Result, now time.Time) (*datasets.Manifest, error) {
	hash := vr.ReportHash
	w, err := st.Begin(ctx, job.Dataset, job.Source.Schema(), store.WriteOptions{Job: job.Name, Pipeline: job.Pipeline, Now: now, ReportHash: &hash})
	if err != nil {
		return nil, err
	}
	if err := vr.Outcome.Accepted(w.Write); err != nil {
		w.Abort()
		return nil, err
	}
	for _, rec := range approved {
		if err := w.Write(rec); err != nil {
			w.Abort()
			return nil, err
		}
	}
	w.SetCheckpoint(res.Cursor, res.Provenance)
	m, err := w.Commit()
	if err != nil {
		return m, fmt.Errorf("job %s: sealing %s: %w", job.Name, job.Dataset, err)
	}
	return m, nil
}

// loadApproved returns the approved, unapplied quarantine entries of the
// job's dataset and their rows. Each entry's row must be the one the
// journal recorded at quarantine time (store.CheckQuarantineRow) and its
// decision must verify; otherwise the run fails naming the entry.
func loadApproved(ctx context.Context, st *store.Store, job Job) ([]store.QuarantineEntry, []arrow.RecordBatch, error) {
	entries, err := st.ApprovedUnapplied(ctx, job.Dataset)
	if err != nil || len(entries) == 0 {
		return nil, nil, err
	}
	var recs []arrow.RecordBatch
	for _, e := range entries {
		if err := VerifyApproved(&e, job.Source.Schema(), job.Deployment); err != nil {
			return entries, recs, fmt.Errorf("approved quarantine entry %s: %w", e.ID, err)
		}
		if err := st.CheckQuarantineRow(ctx, &e); err != nil {
			return entries, recs, fmt.Errorf("approved quarantine entry %s: %w", e.ID, err)
		}
		rs, err := decodeRows(e.RowIPC)
		recs = append(recs, rs...)
		if err != nil {
			return nil, recs, fmt.Errorf("quarantine entry %s: %w", e.ID, err)
		}
		for _, r := range rs {
			if err := job.Source.Schema().CheckArrow(r.Schema()); err != nil {
				return nil, recs, fmt.Errorf("quarantine entry %s no longer fits %s: %w", e.ID, job.Dataset, err)
			}
		}
	}
	return entries, recs, nil
}

func decisions(es []store.QuarantineEntry) []validators.Decision {
	out := make([]validators.Decision, 0, len(es))
	for _, e := range es {
		d := validators.Decision{ID: e.ID, Row: e.RowKey, Decision: e.Status, Steward: e.Steward, Note: e.Note, Signature: e.Signature}
		if e.DecidedAt != nil {
			d.DecidedAt = e.DecidedAt.UTC().Format(time.RFC3339)
		}
		for _, c := range e.Codes {
			d.Codes = append(d.Codes, validators.Code(c))
		}
		out = append(out, d)
	}
	return out
}

// catalogRun converts a validated run for the catalog.
func catalogRun(job Job, vr *ValidationResult, cursor []byte, approved []store.QuarantineEntry, now time.Time) (*store.ValidationRun, error) {
	out := vr.Outcome
	t := out.Input.Table
	run := &store.ValidationRun{ID: vr.RunID, Job: job.Name, Dataset: job.Dataset, ReportHash: vr.ReportHash, ReportJSON: vr.ReportJSON, Cursor: cursor, Now: now}
	for i, f := range vr.Report.Findings {
		run.Findings = append(run.Findings, store.FindingRecord{Code: string(f.Code), Severity: string(f.Severity), Validator: f.Validator,
			Action: string(f.Action), Subject: f.Subject, Message: f.Message, Passed: f.Passed,
			Value: out.Findings[i].Value, Threshold: out.Findings[i].Threshold, RowKeys: f.Rows})
	}
	for _, f := range out.Findings {
		if f.Passed || f.Severity.Rank() < validators.Warn.Rank() {
			continue
		}
		for _, r := range f.Rows {
			if out.Flagged[r] {
				run.Flagged = append(run.Flagged, store.FlaggedRow{RowKey: t.Key(r), Code: string(f.Code), Severity: string(f.Severity)})
			}
		}
	}
	qs, err := quarantineEntries(job, out)
	if err != nil {
		return nil, err
	}
	run.Quarantine = qs
	for _, e := range approved {
		run.Applied = append(run.Applied, e.ID)
	}
	if out.Metrics.Rows == 0 {
		return run, nil // nothing measured: no baseline
	}
	if run.Metrics, err = jsonBytes(out.Metrics); err != nil {
		return nil, err
	}
	run.MetricsRows, run.MetricsInput = out.Metrics.Rows, out.Metrics.Input
	return run, nil
}

func rowsOf(recs []arrow.RecordBatch) int {
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	return n
}
