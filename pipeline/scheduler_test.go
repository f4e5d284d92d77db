package pipeline_test

import (
	"context"
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
func TestSchedulerRetriesThenFailing(t *testing.T) {
	st := openStore(t, t.TempDir())
	runner, reg := newRunner(t, st)
	flaky := &counter{id: "flaky", per: 10, total: 1000}
	flaky.failFirst.Store(5)
	s := &pipeline.Scheduler{Runner: runner, Metrics: runner.Metrics, Specs: []*pipeline.Spec{spec("flaky", flaky, every(200*time.Millisecond))}}
	sawFailing := false
	runScheduler(t, s, func() {
		eventually(t, 5*time.Second, "the job to fail, then recover", func() bool {
			js := s.Status()[0]
			sawFailing = sawFailing || (js.Failing && metric(t, reg, "groundtruth_job_failing", map[string]string{"job": "flaky"}) == 1)
			return sawFailing && js.LastOutcome == store.RunOK
		})
	})
	if got := metric(t, reg, "groundtruth_run_retries_total", map[string]string{"job": "flaky"}); got != 2 {
		t.Errorf("retries: %v, want 2 (then the job is failing and only ticks run it)", got)
	}
	if got := metric(t, reg, "groundtruth_job_failing", map[string]string{"job": "flaky"}); got != 0 {
		t.Errorf("failing after recovery: %v", got)
	}
	if got := metric(t, reg, "groundtruth_source_errors_total", map[string]string{"job": "flaky", "class": "transient"}); got != 5 {
		t.Errorf("transient errors: %v", got)
	}
	runs, err := st.Runs(context.Background(), store.RunFilter{Job: "flaky", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var failed, retries, sealed int
	for _, r := range runs {
		switch r.Outcome {
		case store.RunFailed:
			failed++
		case store.RunOK:
			sealed++
		}
		if r.Trigger == string(pipeline.TriggerRetry) {
			retries++
		}
	}
	if failed != 5 || retries != 2 || sealed == 0 {
		t.Fatalf("runs: %d failed, %d retries, %d sealed: %+v", failed, retries, sealed, runs)
	}
	if fifth := runs[len(runs)-5]; fifth.Attempt != 5 || fifth.Error == "" {
		t.Errorf("fifth failed run: %+v", fifth)
	}
}

// TestSchedulerSkipsOverrunTicks runs a job whose runs take longer than
// its interval: ticks are skipped (metric, status), runs never overlap,
// and another job is not held up by the slow one.
func TestSchedulerSkipsOverrunTicks(t *testing.T) {
	st := openStore(t, t.TempDir())
	runner, reg := newRunner(t, st)
	slow := &overlapGuard{counter: &counter{id: "slow", per: 10, total: 1000, hold: 350 * time.Millisecond}}
	fast := &counter{id: "fast", per: 10, total: 1000}
	var late atomic.Int64
	s := &pipeline.Scheduler{Runner: runner, MaxConcurrent: 2, Metrics: runner.Metrics,
		Specs:    []*pipeline.Spec{spec("slow", slow, every(100*time.Millisecond)), spec("fast", fast, every(100*time.Millisecond))},
		TickHook: func(string, time.Duration) { late.Add(1) }}
	runScheduler(t, s, func() {
		eventually(t, 10*time.Second, "skipped ticks of the slow job, runs of the fast one", func() bool {
			st := s.Status()
			return st[0].Skipped >= 3 && st[1].Runs >= 3
		})
	})
	if n := slow.overlaps.Load(); n > 0 {
		t.Fatalf("%d overlapping runs of the slow job", n)
	}
	if got := metric(t, reg, "groundtruth_ticks_skipped_total", map[string]string{"job": "slow"}); got < 3 {
		t.Errorf("skipped ticks: %v", got)
	}
	if f := s.Status()[1]; f.Runs <= s.Status()[0].Runs {
		t.Errorf("the fast job was held up: %+v (slow: %+v)", f, s.Status()[0])
	}
	if late.Load() == 0 || metric(t, reg, "groundtruth_tick_lateness_seconds", nil) == 0 {
		t.Error("no tick lateness observed")
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
