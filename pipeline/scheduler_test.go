package pipeline_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// overlapGuard fails a test when two fetches of one source overlap.
type overlapGuard struct {
	*counter
	inFlight, overlaps atomic.Int64
}

func (g *overlapGuard) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	if g.inFlight.Add(1) > 1 {
		g.overlaps.Add(1)
	}
	defer g.inFlight.Add(-1)
	return g.counter.Fetch(ctx, cur, emit)
}

// runScheduler runs s until stop returns, then stops it.
func runScheduler(t *testing.T, s *pipeline.Scheduler, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx, context.Background()) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	stop()
}

// TestSchedulerRetriesThenFailing runs a job whose first five fetches
// fail: two retries with backoff, then the job is failing and only its
// ticks run it, until a run succeeds and clears the failure.
//
// The scheduler runs on a fake clock that moves only when the test moves
// it, and the test moves it only once the scheduler has armed its timer
// for the next event and the run before has finished: each check is at a
// known instant, whatever the load. (On the real clock, a loaded machine
// woke the loop late enough that the 200 ms tick came before a 20 or 40 ms
// retry, which then ran as a scheduled run: one retry, not two.) The
// wait also counts the timer's re-arms, because the loop publishes a
// run's end just before it re-arms the timer: when the next wake is the
// same instant, "armed for the next wake" alone held before the loop was
// idle, and a clock moved then was lost to the re-arm.
func TestSchedulerRetriesThenFailing(t *testing.T) {
	st := openStore(t, t.TempDir())
	runner, reg := newRunner(t, st)
	flaky := &counter{id: "flaky", per: 10, total: 1000}
	flaky.failFirst.Store(5)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // on a tick of every(200ms)
	clk := newFakeClock(t0)
	s := &pipeline.Scheduler{Runner: runner, Metrics: runner.Metrics, Clock: clk,
		Specs: []*pipeline.Spec{spec("flaky", flaky, every(200*time.Millisecond))}}
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	// Each step moves the clock to a run's instant and waits for the run
	// to finish and the timer to be armed for the next one: the retries
	// after 20 and 40 ms (spec's backoff), then only the 200 ms ticks.
	steps := []struct {
		at, next  int // the run's instant and the next wake, ms after t0
		trigger   pipeline.Trigger
		failures  int
		failing   bool
		nextRetry int // 0: none pending
		outcome   string
	}{
		{at: 200, next: 220, trigger: pipeline.TriggerSchedule, failures: 1, nextRetry: 220, outcome: store.RunFailed},
		{at: 220, next: 260, trigger: pipeline.TriggerRetry, failures: 2, nextRetry: 260, outcome: store.RunFailed},
		{at: 260, next: 400, trigger: pipeline.TriggerRetry, failures: 3, failing: true, outcome: store.RunFailed},
		{at: 400, next: 600, trigger: pipeline.TriggerSchedule, failures: 4, failing: true, outcome: store.RunFailed},
		{at: 600, next: 800, trigger: pipeline.TriggerSchedule, failures: 5, failing: true, outcome: store.RunFailed},
		{at: 800, next: 1000, trigger: pipeline.TriggerSchedule, outcome: store.RunOK},
	}
	runScheduler(t, s, func() {
		eventually(t, time.Minute, "the first tick's timer", func() bool { return clk.armedAt(ms(200)) })
		for i, step := range steps {
			clk.advance(ms(step.at))
			eventually(t, time.Minute, fmt.Sprintf("run %d to finish and the timer for t0+%dms", i+1, step.next), func() bool {
				js := s.Status()[0]
				// The loop re-arms its timer after each event (the
				// start, then the end of a run): the count says that the
				// end was handled, not only published.
				return js.Runs == i+1 && !js.Running && clk.armCount() == 1+2*(i+1) && clk.armedAt(ms(step.next))
			})
			js := s.Status()[0]
			var wantRetry time.Time
			if step.nextRetry > 0 {
				wantRetry = ms(step.nextRetry)
			}
			if js.Failures != step.failures || js.Failing != step.failing || !js.NextRetry.Equal(wantRetry) || js.LastOutcome != step.outcome {
				t.Fatalf("after the run at t0+%dms: %+v, want %d failures, failing %v, next retry %v, outcome %q",
					step.at, js, step.failures, step.failing, wantRetry, step.outcome)
			}
			want := map[bool]float64{false: 0, true: 1}[step.failing]
			if got := metric(t, reg, "groundtruth_job_failing", map[string]string{"job": "flaky"}); got != want {
				t.Fatalf("after the run at t0+%dms: groundtruth_job_failing %v, want %v", step.at, got, want)
			}
		}
	})
	if got := metric(t, reg, "groundtruth_run_retries_total", map[string]string{"job": "flaky"}); got != 2 {
		t.Errorf("retries: %v, want 2 (then the job is failing and only ticks run it)", got)
	}
	if got := metric(t, reg, "groundtruth_source_errors_total", map[string]string{"job": "flaky", "class": "transient"}); got != 5 {
		t.Errorf("transient errors: %v", got)
	}
	runs, err := st.Runs(context.Background(), store.RunFilter{Job: "flaky", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != len(steps) {
		t.Fatalf("%d runs recorded, want %d: %+v", len(runs), len(steps), runs)
	}
	for i, step := range steps {
		r := runs[len(runs)-1-i] // newest first
		if r.Trigger != string(step.trigger) || r.Attempt != i+1 || r.Outcome != step.outcome || (r.Outcome == store.RunFailed) != (r.Error != "") {
			t.Errorf("run %d: %+v, want trigger %s, attempt %d, outcome %s", i+1, r, step.trigger, i+1, step.outcome)
		}
	}
}

// heldSource is a source whose fetches wait until open is closed (or their
// context ends): a run that takes as long as the test wants.
type heldSource struct {
	*overlapGuard
	open chan struct{}
}

func (g *heldSource) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	select {
	case <-g.open:
	case <-ctx.Done():
		return sources.Result{}, ctx.Err()
	}
	return g.overlapGuard.Fetch(ctx, cur, emit)
}

// TestSchedulerSkipsOverrunTicks runs a job whose run lasts longer than
// its interval: its ticks are skipped (metric, status), runs never
// overlap, and another job is not held up by the slow one.
//
// Both jobs tick every 100 ms on a fake clock; the slow job's first run
// waits until the test opens its gate, after three more ticks. Each step
// moves the clock 5 ms past a tick (so every scheduled run starts exactly
// 5 ms late) and waits until each loop has handled the events the step
// caused: a loop re-arms its timer as the last step of each event, so the
// clock's arm count says when they are idle. (On the real clock the check
// was "at least 3 skipped ticks" in a 350 ms hold, whatever the load.)
func TestSchedulerSkipsOverrunTicks(t *testing.T) {
	st := openStore(t, t.TempDir())
	runner, reg := newRunner(t, st)
	slow := &heldSource{overlapGuard: &overlapGuard{counter: &counter{id: "slow", per: 10, total: 1000}}, open: make(chan struct{})}
	fast := &counter{id: "fast", per: 10, total: 1000}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // on a tick of every(100ms)
	clk := newFakeClock(t0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	release := sync.OnceFunc(func() { close(slow.open) })
	var mu sync.Mutex
	late := map[string][]time.Duration{}
	lateOf := func(job string) []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), late[job]...)
	}
	s := &pipeline.Scheduler{Runner: runner, MaxConcurrent: 2, Metrics: runner.Metrics, Clock: clk,
		Specs: []*pipeline.Spec{spec("slow", slow, every(100*time.Millisecond)), spec("fast", fast, every(100*time.Millisecond))},
		TickHook: func(job string, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			late[job] = append(late[job], d)
		}}
	// Each step: what it does, then the arm count, the slow and the fast
	// job's runs and started runs (TickHook calls) and the slow job's
	// skipped ticks once both loops are idle. A tick re-arms a loop's
	// timer once, a finished run once more.
	steps := []struct {
		what                                 string
		do                                   func()
		arms, slowRuns, slowStarted, skipped int
		fastRuns                             int
		slowRunning                          bool
	}{
		{"the tick at 100 ms", func() { clk.advance(ms(105)) }, 2 + 3, 0, 1, 0, 1, true},
		{"the tick at 200 ms", func() { clk.advance(ms(205)) }, 5 + 3, 0, 1, 1, 2, true},
		{"the tick at 300 ms", func() { clk.advance(ms(305)) }, 8 + 3, 0, 1, 2, 3, true},
		{"the tick at 400 ms", func() { clk.advance(ms(405)) }, 11 + 3, 0, 1, 3, 4, true},
		{"the slow run's end", release, 14 + 1, 1, 1, 3, 4, false},
		{"the tick at 500 ms", func() { clk.advance(ms(505)) }, 15 + 4, 2, 2, 3, 5, false},
	}
	runScheduler(t, s, func() {
		defer release() // a failed step must not leave the slow run held: Run waits for it
		eventually(t, time.Minute, "both timers armed for the first tick", func() bool { return clk.armCount() == 2 })
		for _, step := range steps {
			step.do()
			eventually(t, time.Minute, step.what+" handled", func() bool {
				js := s.Status()
				return clk.armCount() == step.arms && js[0].Runs == step.slowRuns && js[0].Running == step.slowRunning &&
					len(lateOf("slow")) == step.slowStarted && js[1].Runs == step.fastRuns && !js[1].Running
			})
			if js := s.Status(); js[0].Skipped != step.skipped || js[1].Skipped != 0 {
				t.Fatalf("after %s: skipped ticks %d (slow), %d (fast), want %d, 0", step.what, js[0].Skipped, js[1].Skipped, step.skipped)
			}
		}
	})
	if n := slow.overlaps.Load(); n > 0 {
		t.Fatalf("%d overlapping runs of the slow job", n)
	}
	if got := metric(t, reg, "groundtruth_ticks_skipped_total", map[string]string{"job": "slow"}); got != 3 {
		t.Errorf("skipped ticks of the slow job: %v, want 3", got)
	}
	if got := metric(t, reg, "groundtruth_ticks_skipped_total", map[string]string{"job": "fast"}); got != 0 {
		t.Errorf("skipped ticks of the fast job: %v, want 0", got)
	}
	for job, want := range map[string]int{"slow": 2, "fast": 5} {
		for _, d := range lateOf(job) {
			if d != 5*time.Millisecond {
				t.Errorf("%s: a scheduled run started %v after its tick, want 5ms", job, d)
			}
		}
		if n := len(lateOf(job)); n != want {
			t.Errorf("%s: %d scheduled runs started, want %d", job, n, want)
		}
	}
	if got := metric(t, reg, "groundtruth_tick_lateness_seconds", nil); got != 7 {
		t.Errorf("tick lateness observations: %v, want 7 (one per scheduled run)", got)
	}
}

func TestJitterIsStableAndBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		max  time.Duration
	}{{"prices", time.Minute}, {"governor-votes", 10 * time.Second}, {"x", 0}} {
		a, b := pipeline.JitterOf(tc.name, tc.max), pipeline.JitterOf(tc.name, tc.max)
		if a != b || a < 0 || (tc.max > 0 && a >= tc.max) || (tc.max == 0 && a != 0) {
			t.Errorf("%s: jitter %v, %v of %v", tc.name, a, b, tc.max)
		}
	}
	if pipeline.JitterOf("a", time.Hour) == pipeline.JitterOf("b", time.Hour) {
		t.Error("two jobs got the same jitter")
	}
}

// TestIdleRunsSkipTheStore runs a job whose source has nothing new: idle
// runs are counted in the metrics but not recorded unless RecordIdle, and
// new rows after idle runs are sealed from the right cursor.
func TestIdleRunsSkipTheStore(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	runner, reg := newRunner(t, st)
	src := &counter{id: "c", per: 10, total: 10}
	sp := spec("c", src, nil)
	for i := range 3 {
		if res := runner.Run(ctx, sp, pipeline.TriggerSchedule, 1); res.Err != nil || (i > 0) != (res.Record.Outcome == store.RunNoRows) {
			t.Fatalf("run %d: %+v %v", i, res.Record, res.Err)
		}
	}
	if runs, _ := st.Runs(ctx, store.RunFilter{}); len(runs) != 1 {
		t.Fatalf("idle runs were recorded: %+v", runs)
	}
	if got := metric(t, reg, "groundtruth_runs_total", map[string]string{"job": "c", "outcome": "no_rows"}); got != 2 {
		t.Fatalf("idle runs counted: %v", got)
	}
	runner.RecordIdle = true
	runner.Run(ctx, sp, pipeline.TriggerManual, 1)
	src.total = 25
	if res := runner.Run(ctx, sp, pipeline.TriggerSchedule, 1); res.Err != nil || *res.Record.Version != 2 || res.Record.RowsIn != 10 {
		t.Fatalf("after idle runs: %+v %v", res.Record, res.Err)
	}
	if res := runner.Run(ctx, sp, pipeline.TriggerSchedule, 1); res.Err != nil || *res.Record.Version != 3 || res.Record.RowsIn != 5 {
		t.Fatalf("the remembered cursor was not refreshed: %+v %v", res.Record, res.Err)
	}
	if runs, _ := st.Runs(ctx, store.RunFilter{}); len(runs) != 4 {
		t.Fatalf("runs: %d", len(runs))
	}
}
