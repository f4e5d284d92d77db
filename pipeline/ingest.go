package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// Job is one configured ingestion: a source feeding a dataset.
type Job struct {
	Name    string
	Dataset string
	Source  sources.Source
	// Pipeline identifies the software and configuration in manifests.
	Pipeline datasets.PipelineInfo
	// Validation checks the fetched rows before they are sealed; nil seals
	// them unchecked (see ingestValidated).
	Validation *validators.Suite
	// Peers are the jobs that write the datasets this job's cross-source
	// checks compare with. Before validating, the pipeline reads what each
	// peer's source has that the peer has not validated yet (from the
	// peer's checkpoint, which does not move), so the checks see every
	// observation of the peers whatever order the jobs run in.
	Peers []PeerJob
	// Backfill marks the runs of groundtruth backfill (set by
	// Runner.Backfill): the validators measure staleness at the data's own
	// time, not at the run's (validators.Input.Backfill).
	Backfill bool
	// FailOnBadValue (on_bad_value: fail) fails a run whose source reports
	// a cell that does not parse, instead of quarantining its row.
	FailOnBadValue bool
	// MaxRunRows bounds the rows a validated run reads, validates and
	// seals at a time (0: DefaultMaxRunRows): the run goes on part by
	// part until the source is exhausted (see ingestParts).
	MaxRunRows int
	// Deployment is what the stewards' quarantine decisions must be bound
	// to (the attestation section's chain id and contract; zero without
	// one, then any is accepted): an approved row is appended only when its
	// decision was signed for it and over the row's current leaf
	// (VerifyApproved).
	Deployment attest.Deployment
}

// PeerJob is a job whose dataset another job's checks read as a peer.
type PeerJob struct {
	Name    string
	Dataset string
	Source  sources.Source
}

// IngestResult says what an ingest produced.
type IngestResult struct {
	// Manifest is the sealed version, or nil when there were no new rows.
	Manifest *datasets.Manifest
	// Rows is the number of rows read from the source and judged.
	Rows uint64
	// Held is the number of newer rows held back, unconsumed, until the
	// job's peers report past them (docs/validators.md, "Hold-back").
	Held int
	// Validation is the validated run (nil without validation); its
	// report's hash is the manifest's reportHash.
	Validation *ValidationResult
	// Earlier are the parts sealed before this one in the same run, when
	// a validated run was read in parts (Job.MaxRunRows); Manifest and
	// Validation are then the last part's and Rows counts every part.
	Earlier []*IngestResult
}

// maxRewinds bounds how many history rewrites one ingest accepts in a row.
const maxRewinds = 3

// Ingest reads the job's source from its committed checkpoint and seals
// what it read as a new version, committing the new checkpoint in the same
// catalog transaction. On any error nothing becomes visible and the
// checkpoint stays where it was. When the source asks for a rewind (a chain
// reorganisation), the shortened non-append version is committed first and
// the source is read again from the rewound cursor. Without validation the
// rows are sealed while the source fetches them (see ingestStream); a run
// that finds nothing new writes nothing.
func Ingest(ctx context.Context, st *store.Store, job Job, now time.Time) (*IngestResult, error) {
	return ingest(ctx, st, job, now, runHooks{})
}

// runHooks connect an ingest to the Runner: start is called once before
// the run writes anything (the run is recorded as running); checkpoint
// reads the job's committed cursor. Nil members do nothing and read the
// store.
type runHooks struct {
	start      func(context.Context) error
	checkpoint func(context.Context, string) ([]byte, error)
	// part is called after each part of a validated run that was cut
	// (more may follow) has been sealed.
	part func(n int, res *IngestResult, took time.Duration)
}

func (h runHooks) partDone(n int, res *IngestResult, took time.Duration) {
	if h.part != nil {
		h.part(n, res, took)
	}
}

func (h runHooks) starting(ctx context.Context) error {
	if h.start == nil {
		return nil
	}
	return h.start(ctx)
}

func (h runHooks) cursor(ctx context.Context, st *store.Store, job string) ([]byte, error) {
	if h.checkpoint == nil {
		return st.Checkpoint(ctx, job)
	}
	return h.checkpoint(ctx, job)
}

// ingest is Ingest with the Runner's hooks.
func ingest(ctx context.Context, st *store.Store, job Job, now time.Time, hooks runHooks) (*IngestResult, error) {
	for rewinds := 0; ; rewinds++ {
		res, rewind, err := ingestOnce(ctx, st, job, now, hooks)
		if err != nil || rewind == nil {
			return res, err
		}
		if rewinds == maxRewinds {
			return nil, fmt.Errorf("job %s: source %s asked for %d rewinds in one ingest; giving up", job.Name, job.Source.ID(), rewinds+1)
		}
	}
}

// ingestOnce runs one fetch; it returns the rewind it committed, if any.
func ingestOnce(ctx context.Context, st *store.Store, job Job, now time.Time, hooks runHooks) (*IngestResult, *sources.Rewind, error) {
	if job.Validation == nil {
		return ingestStream(ctx, st, job, now, hooks)
	}
	// The validators need a whole part: ingestValidated reads one (at most
	// Job.MaxRunRows rows) before validating and sealing it.
	if err := hooks.starting(ctx); err != nil {
		return nil, nil, err
	}
	return ingestParts(ctx, st, job, now, hooks)
}

// commitRewind commits the non-append version a rewind asks for, with the
// source's rewound cursor.
func commitRewind(ctx context.Context, st *store.Store, job Job, opts store.WriteOptions, res sources.Result) (*IngestResult, *sources.Rewind, error) {
	keep := res.Rewind.KeepRows
	opts.KeepRows, opts.Note = &keep, res.Rewind.Reason
	opts.Checkpoint, opts.Provenance = res.Cursor, res.Provenance
	w, err := st.Begin(ctx, job.Dataset, job.Source.Schema(), opts)
	if err != nil {
		return nil, nil, err
	}
	m, err := w.Commit()
	if err != nil {
		return nil, nil, fmt.Errorf("job %s: committing a rewind of %s to %d rows: %w", job.Name, job.Dataset, keep, err)
	}
	return &IngestResult{Manifest: m}, res.Rewind, nil
}
