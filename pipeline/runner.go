package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// Runner runs jobs: ingest → validate → seal → attest, with the run
// recorded in the store's run history and the metrics. The daemon, `run
// --once`, `job run`, `ingest` and `backfill` all run jobs through it.
type Runner struct {
	// Store is the open, writable data directory.
	Store *store.Store
	// Metrics receives the runs' figures (nil: none).
	Metrics *Metrics
	// Log receives a line per run (nil: discarded).
	Log *slog.Logger
	// Redactor masks secrets in the error recorded in the run history
	// (nil: only the secret parts of URLs).
	Redactor *redact.Redactor
	// Now returns the time recorded in manifests (nil: time.Now).
	Now func() time.Time
	// RecordIdle records runs that found nothing new in the run history
	// too (the metrics count them either way). Manual runs set it; the
	// daemon leaves it off so that frequent polls do not fill the catalog.
	RecordIdle bool
	// Reports, when set, returns the addresses of a run's report and
	// validation report (the steward console's pages), logged with the
	// run as report= and validation_report=.
	Reports func(runID string) (report, validation string)

	cursors sync.Map // job name → committed cursor, for idle runs
}

// RunResult is what one run did.
type RunResult struct {
	// Record is the run as the history records it.
	Record store.RunRecord
	// Ingest is the ingest's result (nil when it failed before fetching).
	Ingest *IngestResult
	// Attested lists the versions the run attested or left pending.
	Attested []AttestOutcome
	// HeadLag is the chain head's lead over the ingested blocks, for chain
	// sources that report it.
	HeadLag *uint64
	// Err is the run's error; nil for sealed and no_rows.
	Err error
}

// HeadLagger is implemented by chain sources that can tell how far the
// chain's head is beyond a cursor (sources/chainrpc's LogSource).
type HeadLagger interface {
	HeadLag(ctx context.Context, cursor sources.Cursor) (uint64, error)
}

// requestCounter is implemented by sources that count the requests they sent.
type requestCounter interface {
	Requests() uint64
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Run runs spec once: it fetches, validates and seals (with the job's
// timeout), attests what was sealed, and records the run in the history
// and the metrics. The run is recorded as running before anything is
// sealed, so a crash leaves it "interrupted"; an idle run (nothing new,
// nothing to attest, no error) is recorded only with RecordIdle.
// Cancelling ctx abandons the run: the version writer aborts and nothing of
// the run becomes visible besides its history record.
func (r *Runner) Run(ctx context.Context, spec *Spec, trig Trigger, attempt int) *RunResult {
	start := time.Now()
	now := r.now()
	res := &RunResult{Record: store.RunRecord{ID: newRunID(spec.Job.Name, now), Job: spec.Job.Name, Dataset: spec.Job.Dataset,
		Trigger: string(trig), Attempt: attempt, Started: now, Findings: map[string]uint64{}}}
	var before uint64
	rc, counts := spec.Job.Source.(requestCounter)
	if counts {
		before = rc.Requests()
	}
	rctx, cancel := ctx, context.CancelFunc(func() {})
	if spec.Timeout > 0 {
		rctx, cancel = context.WithTimeout(ctx, spec.Timeout)
	}
	defer cancel()
	rec := &recorder{st: r.Store, res: res}
	r.stages(rctx, spec, res, now, rec)
	res.Record.Outcome = outcome(ctx, rctx, res)
	if res.Err != nil {
		res.Record.Error = r.Redactor.String(res.Err.Error())
	}
	end := time.Now()
	res.Record.Ended = &end
	recorded := rec.started || res.Err != nil || r.RecordIdle
	if recorded {
		rec.finish(ctx)
	}
	var requests uint64
	if counts {
		requests = rc.Requests() - before
	}
	r.Metrics.observe(res, time.Since(start), requests)
	r.logRun(res, time.Since(start), recorded)
	return res
}

// stages runs ingest → validate → seal, then attest, then reads the
// chain head's lag; rec.start is called before anything is written.
func (r *Runner) stages(ctx context.Context, spec *Spec, res *RunResult, now time.Time, rec *recorder) {
	res.Ingest, res.Err = ingest(ctx, r.Store, spec.Job, now, runHooks{start: rec.start, checkpoint: r.checkpoint, part: r.logPart(res)})
	if rec.started || res.Err != nil {
		r.forget(spec.Job.Name) // the run may have moved the checkpoint
	}
	res.fill()
	if res.Err == nil && spec.Attest != nil {
		res.Attested, res.Err = r.attest(ctx, spec, res.Ingest, rec.start)
		res.Record.Attestation = attestState(res.Attested, res.Ingest, res.Err)
	}
	if res.Err == nil {
		res.HeadLag = r.headLag(ctx, spec)
	}
}

// recorder writes a run's history record: "running" when the run is about
// to write to the store, its end when it is over.
type recorder struct {
	st      *store.Store
	res     *RunResult
	started bool
	err     error
}

// start records the run as running, once.
func (rc *recorder) start(ctx context.Context) error {
	if rc.started {
		return rc.err
	}
	rc.started = true
	rc.err = rc.st.StartRun(ctx, &rc.res.Record)
	return rc.err
}

// finish records the run's end (starting the record if needed), even when
// ctx was cancelled.
func (rc *recorder) finish(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	err := rc.start(ctx)
	if err == nil {
		err = rc.st.FinishRun(ctx, &rc.res.Record)
	}
	if err != nil {
		rc.res.Err = errors.Join(rc.res.Err, err)
	}
}

// fill copies the ingest's figures into the run record.
func (res *RunResult) fill() {
	in, rec := res.Ingest, &res.Record
	if in == nil {
		return
	}
	if in.Manifest != nil && res.Err == nil {
		v := in.Manifest.Version
		rec.Version = &v
	}
	if in.Validation == nil {
		rec.RowsIn = in.Rows
		if rec.Version != nil {
			rec.RowsAccepted = in.Rows
		}
		return
	}
	rec.ValidationRun = in.Validation.RunID
	for _, p := range in.Parts() {
		rep := p.Validation.Report
		rec.RowsIn += uint64(rep.Rows.Input)
		rec.RowsQuarantined += uint64(rep.Rows.Quarantined)
		if !rep.Blocked {
			rec.RowsAccepted += uint64(rep.Rows.Accepted + rep.Rows.Approved)
		}
		for _, f := range rep.Findings {
			if !f.Passed {
				rec.Findings[string(f.Severity)]++
			}
		}
	}
}

// logPart returns the hook that logs each part of a validated run that
// was read in parts (Job.MaxRunRows).
func (r *Runner) logPart(res *RunResult) func(int, *IngestResult, time.Duration) {
	return func(n int, in *IngestResult, took time.Duration) {
		args := []any{"job", res.Record.Job, "run", res.Record.ID, "part", n, "rows_total", in.Rows, "took", took.Round(time.Millisecond)}
		if in.Validation != nil {
			rep := in.Validation.Report
			args = append(args, "rows_in", rep.Rows.Input, "rows_quarantined", rep.Rows.Quarantined, "validation_run", in.Validation.RunID)
		}
		if in.Manifest != nil {
			args = append(args, "version", fmt.Sprintf("%s@%d", res.Record.Dataset, in.Manifest.Version))
		}
		r.log().Info("run part sealed; reading the next part", args...)
	}
}

// outcome names how a run ended.
func outcome(ctx, rctx context.Context, res *RunResult) string {
	switch {
	case res.Err == nil && res.Record.Version != nil:
		return store.RunOK
	case res.Err == nil:
		return store.RunNoRows
	case ctx.Err() != nil:
		return store.RunCanceled
	case errors.Is(rctx.Err(), context.DeadlineExceeded):
		return store.RunTimeout
	case errors.Is(res.Err, validators.ErrBlocked):
		return store.RunBlocked
	}
	return store.RunFailed
}

// headLag asks a chain source how far the head is beyond the checkpoint.
func (r *Runner) headLag(ctx context.Context, spec *Spec) *uint64 {
	hl, ok := spec.Job.Source.(HeadLagger)
	if !ok {
		return nil
	}
	cur, err := r.Store.Checkpoint(ctx, spec.Job.Name)
	if err != nil {
		return nil
	}
	lag, err := hl.HeadLag(ctx, cur)
	if err != nil {
		r.log().Debug("chain head lag", "job", spec.Job.Name, "err", err)
		return nil
	}
	return &lag
}

// logRun writes one line per run: info when it succeeded, warn otherwise;
// a run recorded in the history links its reports (Reports).
func (r *Runner) logRun(res *RunResult, took time.Duration, recorded bool) {
	rec := res.Record
	args := []any{"job", rec.Job, "run", rec.ID, "trigger", rec.Trigger, "attempt", rec.Attempt, "outcome", rec.Outcome,
		"rows_in", rec.RowsIn, "rows_accepted", rec.RowsAccepted, "rows_quarantined", rec.RowsQuarantined, "took", took.Round(time.Millisecond)}
	if rec.Version != nil {
		args = append(args, "version", fmt.Sprintf("%s@%d", rec.Dataset, *rec.Version))
	}
	if rec.Attestation != "" {
		args = append(args, "attestation", rec.Attestation)
	}
	if n := rec.Findings["warn"] + rec.Findings["error"]; n > 0 {
		args = append(args, "findings_warn", rec.Findings["warn"], "findings_error", rec.Findings["error"])
	}
	if r.Reports != nil && recorded {
		rep, val := r.Reports(rec.ID)
		args = append(args, "report", rep, "validation_report", val)
	}
	if res.Err != nil {
		r.log().Warn("run failed", append(args, "err", res.Err)...)
		return
	}
	r.log().Info("run", args...)
}

// checkpoint returns the job's committed cursor. Idle runs read it from
// memory, so that frequent polls cost no catalog query: only this process
// writes the job's checkpoint, and a run that started writing forgets the
// job's entry when it ends.
func (r *Runner) checkpoint(ctx context.Context, job string) ([]byte, error) {
	if v, ok := r.cursors.Load(job); ok {
		return v.([]byte), nil
	}
	cur, err := r.Store.Checkpoint(ctx, job)
	if err == nil {
		r.cursors.Store(job, cur)
	}
	return cur, err
}

// forget drops the job's remembered cursor.
func (r *Runner) forget(job string) { r.cursors.Delete(job) }
