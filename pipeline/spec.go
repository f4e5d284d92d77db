package pipeline

import (
	"errors"
	"hash/fnv"
	"time"
)

// Schedule says when a job's next tick is after a given time; the
// schedules of robfig/cron/v3 (cron.Schedule) implement it.
type Schedule interface {
	Next(time.Time) time.Time
}

// Spec is a job as the daemon runs it: the job itself, when it runs and
// how failures are handled. Ingest, `groundtruth job run` and the daemon
// run the same Spec through Runner.Run.
type Spec struct {
	// Job is what runs: the source, the dataset and the validation stage.
	Job Job
	// Schedule is when the job runs; nil means never on its own (it still
	// runs with --once and `job run`).
	Schedule Schedule
	// Timeout bounds one run; a run that overruns it is abandoned (its
	// context is cancelled, so nothing of it becomes visible). 0: none.
	Timeout time.Duration
	// Retries is how many times a failed run is retried before the job is
	// marked failing; a failing job keeps being scheduled.
	Retries int
	// Backoff is the wait before the first retry; each further retry waits
	// twice as long, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Jitter is the largest delay added to every tick; the job's own delay
	// is a fixed fraction of it derived from the job's name (JitterOf).
	Jitter time.Duration
	// Attest is the attestation stage; nil leaves sealed versions sealed.
	Attest *AttestPolicy
}

// Trigger says why a run started.
type Trigger string

// Triggers of runs, recorded in the run history.
const (
	TriggerSchedule Trigger = "schedule" // a scheduled tick
	TriggerRetry    Trigger = "retry"    // a retry after a failed run
	TriggerOnce     Trigger = "once"     // groundtruth run --once
	TriggerManual   Trigger = "manual"   // groundtruth job run, groundtruth ingest
	TriggerBackfill Trigger = "backfill" // groundtruth backfill
)

// Sentinel errors of the daemon; cmd/groundtruth maps them to exit codes.
var (
	// ErrRunsFailed means at least one run of `run --once` failed.
	ErrRunsFailed = errors.New("job runs failed")
	// ErrNoRange means a job's source cannot read a bounded block range.
	ErrNoRange = errors.New("the job's source does not read block ranges")
	// ErrBadRange means a backfill's block range does not fit the job: it
	// is reversed, or it would leave a gap after what the job has read.
	ErrBadRange = errors.New("bad block range")
)

// JitterOf returns the delay a job adds to its ticks: a fraction of max
// fixed by the FNV-1a hash of the job's name, so jobs that share a
// schedule spread out, and a job keeps its delay across restarts.
func JitterOf(name string, max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return time.Duration(h.Sum64() % uint64(max))
}

// backoff returns the wait before retry n (1-based).
func (s *Spec) backoff(n int) time.Duration {
	base := s.Backoff
	if base <= 0 {
		base = time.Second
	}
	d := base << min(n-1, 30)
	if d <= 0 || (s.MaxBackoff > 0 && d > s.MaxBackoff) {
		d = s.MaxBackoff
	}
	return d
}
