package pipeline

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Scheduler runs jobs on their schedules. It owns timing: each scheduled
// job has a loop that sleeps until its next tick (the schedule's next time
// plus the job's fixed jitter) or its next retry, and starts a run unless
// the previous run is still in flight (that tick is skipped with a warning
// and a metric; runs are never stacked). A failed run is retried with
// exponential backoff up to the job's Retries; after that the job is marked
// failing (metric and log) and keeps being scheduled. A successful run
// clears the failures.
type Scheduler struct {
	Runner *Runner
	Specs  []*Spec
	// MaxConcurrent bounds the runs in flight across jobs (0: no bound).
	MaxConcurrent int
	Log           *slog.Logger
	Metrics       *Metrics
	// TickHook, when set, is called as each scheduled run starts with how
	// late it started after its tick (jitter excluded; waiting for a run
	// slot included), for benchmarks and tests.
	TickHook func(job string, lateness time.Duration)
	// Clock is the time source for ticks, retries and lateness (nil: the
	// real clock).
	Clock Clock

	sem    chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	status map[string]*JobStatus
}

// JobStatus is a job's scheduling state, for /readyz and tests.
type JobStatus struct {
	Job         string    `json:"job"`
	Scheduled   bool      `json:"scheduled"`
	Running     bool      `json:"running"`
	Failing     bool      `json:"failing"`
	Failures    int       `json:"consecutiveFailures"`
	NextTick    time.Time `json:"nextTick,omitzero"`
	NextRetry   time.Time `json:"nextRetry,omitzero"`
	LastOutcome string    `json:"lastOutcome,omitempty"`
	LastRun     time.Time `json:"lastRun,omitzero"`
	Runs        int       `json:"runs"`
	Skipped     int       `json:"skippedTicks"`
}

func (s *Scheduler) clock() Clock {
	if s.Clock == nil {
		return realClock{}
	}
	return s.Clock
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Run schedules the jobs until ctx is cancelled; then it starts no more
// runs and waits for the runs in flight, which run under runCtx (cancel it
// to abandon them: their writers abort and nothing of them is sealed).
func (s *Scheduler) Run(ctx, runCtx context.Context) error {
	if s.MaxConcurrent > 0 {
		s.sem = make(chan struct{}, s.MaxConcurrent)
	}
	var loops sync.WaitGroup
	for _, spec := range s.Specs {
		l := &jobLoop{s: s, spec: spec, jitter: JitterOf(spec.Job.Name, spec.Jitter), done: make(chan *RunResult, 1)}
		s.setStatus(spec.Job.Name, func(st *JobStatus) { st.Scheduled = spec.Schedule != nil })
		if spec.Schedule == nil {
			s.log().Info("job has no schedule; it runs only with --once or job run", "job", spec.Job.Name)
			continue
		}
		loops.Add(1)
		go func() {
			defer loops.Done()
			l.loop(ctx, runCtx)
		}()
	}
	<-ctx.Done()
	loops.Wait()
	s.wg.Wait()
	return nil
}

// Status returns every job's state, in configuration order.
func (s *Scheduler) Status() []JobStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]JobStatus, 0, len(s.Specs))
	for _, spec := range s.Specs {
		st := JobStatus{Job: spec.Job.Name}
		if p, ok := s.status[spec.Job.Name]; ok {
			st = *p
		}
		out = append(out, st)
	}
	return out
}

func (s *Scheduler) setStatus(job string, f func(*JobStatus)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status == nil {
		s.status = map[string]*JobStatus{}
	}
	st, ok := s.status[job]
	if !ok {
		st = &JobStatus{Job: job}
		s.status[job] = st
	}
	f(st)
}

// acquire takes a run slot; it gives up when ctx (scheduling) ends.
func (s *Scheduler) acquire(ctx context.Context) bool {
	if s.sem == nil {
		return ctx.Err() == nil
	}
	select {
	case s.sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Scheduler) release() {
	if s.sem != nil {
		<-s.sem
	}
}

// jobLoop is one job's timing state; only its own goroutine touches it.
type jobLoop struct {
	s        *Scheduler
	spec     *Spec
	jitter   time.Duration
	done     chan *RunResult
	running  bool
	failures int
	failing  bool
	base     time.Time // the current tick, jitter excluded
	retryAt  time.Time
}

// loop waits for ticks, retries and finished runs until ctx ends.
func (l *jobLoop) loop(ctx, runCtx context.Context) {
	clk := l.s.clock()
	l.base = l.spec.Schedule.Next(clk.Now())
	l.publish()
	timer := clk.NewTimer(l.wake().Sub(clk.Now()))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case res := <-l.done:
			l.finished(res)
		case now := <-timer.C():
			l.fire(ctx, runCtx, now)
		}
		l.publish()
		timer.Reset(l.wake().Sub(clk.Now())) // no stale expiry is delivered after Reset
	}
}

// wake is when the loop must next act: the tick or the retry.
func (l *jobLoop) wake() time.Time {
	t := l.base.Add(l.jitter)
	if !l.retryAt.IsZero() && l.retryAt.Before(t) {
		return l.retryAt
	}
	return t
}

// fire handles a timer expiry: a due tick, else a due retry.
func (l *jobLoop) fire(ctx, runCtx context.Context, now time.Time) {
	tick := l.base.Add(l.jitter)
	if now.Before(tick) {
		if !l.retryAt.IsZero() && !now.Before(l.retryAt) && !l.running {
			l.retryAt = time.Time{}
			l.start(ctx, runCtx, TriggerRetry, time.Time{})
		}
		return
	}
	l.advance(now)
	if l.running {
		l.s.Metrics.skip(l.spec.Job.Name)
		l.s.setStatus(l.spec.Job.Name, func(st *JobStatus) { st.Skipped++ })
		l.s.log().Warn("tick skipped: the previous run is still in flight", "job", l.spec.Job.Name, "tick", tick)
		return
	}
	l.retryAt = time.Time{} // the tick's run is the next attempt
	l.start(ctx, runCtx, TriggerSchedule, tick)
}

// advance moves base to the next tick after now; ticks that passed while
// the process could not run (a suspended machine) are counted as skipped.
func (l *jobLoop) advance(now time.Time) {
	l.base = l.spec.Schedule.Next(l.base)
	for missed := 0; l.base.Add(l.jitter).Before(now); missed++ {
		if missed == 0 {
			l.s.log().Warn("ticks missed: the daemon could not run on time", "job", l.spec.Job.Name, "late", now.Sub(l.base))
		}
		l.s.Metrics.skip(l.spec.Job.Name)
		l.base = l.spec.Schedule.Next(l.base)
	}
}

// start runs the job in its own goroutine; the result comes back on done.
func (l *jobLoop) start(ctx, runCtx context.Context, trig Trigger, tick time.Time) {
	l.running = true
	attempt := l.failures + 1
	s := l.s
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if !s.acquire(ctx) {
			l.done <- nil
			return
		}
		defer s.release()
		if !tick.IsZero() {
			late := s.clock().Now().Sub(tick)
			s.Metrics.tick(late)
			if s.TickHook != nil {
				s.TickHook(l.spec.Job.Name, late)
			}
		}
		s.Metrics.running(l.spec.Job.Name, true, trig)
		res := s.Runner.Run(runCtx, l.spec, trig, attempt)
		s.Metrics.running(l.spec.Job.Name, false, trig)
		l.done <- res
	}()
}

// finished updates the failure state after a run.
func (l *jobLoop) finished(res *RunResult) {
	l.running = false
	if res == nil {
		return // not started: the scheduler is stopping
	}
	name := l.spec.Job.Name
	l.s.setStatus(name, func(st *JobStatus) {
		st.Runs++
		st.LastOutcome, st.LastRun = res.Record.Outcome, res.Record.Started
	})
	if res.Err == nil {
		if l.failing {
			l.s.log().Info("job recovered", "job", name, "after_failures", l.failures)
		}
		l.failures, l.failing, l.retryAt = 0, false, time.Time{}
		l.s.Metrics.state(name, false, 0)
		return
	}
	l.failures++
	if l.failures <= l.spec.Retries {
		wait := l.spec.backoff(l.failures)
		l.retryAt = l.s.clock().Now().Add(wait)
		l.s.log().Info("run will be retried", "job", name, "failures", l.failures, "retries", l.spec.Retries, "in", wait)
	} else if !l.failing {
		l.failing = true
		l.s.log().Error("job failing: retries exhausted; it stays scheduled", "job", name, "failures", l.failures, "err", res.Err)
	}
	l.s.Metrics.state(name, l.failing, l.failures)
}

// publish copies the loop's state to the status map.
func (l *jobLoop) publish() {
	l.s.setStatus(l.spec.Job.Name, func(st *JobStatus) {
		st.Running, st.Failing, st.Failures = l.running, l.failing, l.failures
		st.NextTick, st.NextRetry = l.base.Add(l.jitter), l.retryAt
	})
}
