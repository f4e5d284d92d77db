//go:build duckdb_arrow

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// The scheduler benchmark: 200 jobs scheduled "@every 1s" on a no-op source,
// run by the real daemon (scheduler, runner, run history in a store,
// metrics) for 60 s, or GROUNDTRUTH_BENCH_SCHED_SECONDS. It reports missed
// ticks (expected ticks that started no run), the lateness of the runs
// after their ticks (p50, p99, max), the daemon's CPU time and peak RSS.
// Targets: lateness p99 < 100 ms, RSS < 300 MiB.
const (
	envSchedChild   = "GROUNDTRUTH_BENCH_SCHED_CHILD"
	envSchedSeconds = "GROUNDTRUTH_BENCH_SCHED_SECONDS"
	envSchedJobs    = "GROUNDTRUTH_BENCH_SCHED_JOBS"
	schedInterval   = time.Second
)

// noop is a source with nothing new: each Fetch returns its cursor.
type noop struct{ id string }

func (n *noop) ID() string               { return n.id }
func (n *noop) Schema() *datasets.Schema { return datasetstest.VotesSchema() }
func (n *noop) Fetch(_ context.Context, cur sources.Cursor, _ sources.Emit) (sources.Result, error) {
	if cur == nil {
		cur = sources.Cursor("0")
	}
	return sources.Result{Cursor: cur}, nil
}

// schedResult is what the child measured.
type schedResult struct {
	Jobs, Seconds          int
	Expected, Started      int64
	Skipped                int64
	P50, P99, Max          time.Duration
	CPU                    time.Duration
	PeakRSSKB, RunsInStore int64
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// TestSchedulerBenchChild runs the daemon of BenchmarkScheduler in a child
// process, so that its CPU time and peak RSS are its own.
func TestSchedulerBenchChild(t *testing.T) {
	if os.Getenv(envSchedChild) == "" {
		t.Skip("child process of BenchmarkScheduler")
	}
	jobs, secs := envInt(envSchedJobs, 200), envInt(envSchedSeconds, 60)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{MemoryLimit: "128MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := pipeline.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	sched, _ := config.ParseSchedule("@every 1s", time.UTC)
	var specs []*pipeline.Spec
	for i := range jobs {
		name := fmt.Sprintf("job-%03d", i)
		specs = append(specs, &pipeline.Spec{Job: pipeline.Job{Name: name, Dataset: strings.ReplaceAll(name, "-", "_"), Source: &noop{id: name}},
			Schedule: sched, Timeout: 30 * time.Second, Retries: 3, Backoff: time.Second, MaxBackoff: 10 * time.Second})
	}
	var mu sync.Mutex
	var late []time.Duration
	var started atomic.Int64
	runner := &pipeline.Runner{Store: st, Metrics: m}
	s := &pipeline.Scheduler{Runner: runner, Specs: specs, MaxConcurrent: config.DefaultMaxConcurrent, Metrics: m,
		TickHook: func(_ string, d time.Duration) {
			started.Add(1)
			mu.Lock()
			late = append(late, d)
			mu.Unlock()
		}}
	// The jobs ran before (a restarted daemon): their checkpoints exist.
	if _, err := runner.RunOnce(ctx, specs, config.DefaultMaxConcurrent); err != nil {
		t.Fatal(err)
	}
	d := &pipeline.Daemon{Scheduler: s, Grace: 10 * time.Second}
	cpu0 := cpuTime()
	// Ticks come on whole seconds: ending half a second after the last one
	// makes exactly secs ticks per job.
	runCtx, stop := context.WithDeadline(ctx, time.Now().Truncate(time.Second).Add(time.Duration(secs)*time.Second+schedInterval/2))
	defer stop()
	if err := d.Run(runCtx); err != nil {
		t.Fatal(err)
	}
	res := schedResult{Jobs: jobs, Seconds: secs, Expected: int64(jobs * secs), Started: started.Load(), CPU: cpuTime() - cpu0, PeakRSSKB: peakRSSKB()}
	for _, js := range s.Status() {
		res.Skipped += int64(js.Skipped)
	}
	slices.Sort(late)
	if n := len(late); n > 0 {
		res.P50, res.P99, res.Max = late[n/2], late[n*99/100], late[n-1]
	}
	runs, _ := st.Runs(ctx, store.RunFilter{Limit: 1 << 30})
	res.RunsInStore = int64(len(runs)) - int64(jobs) // the warm-up runs are recorded
	b, _ := json.Marshal(res)
	fmt.Println("SCHED_RESULT", string(b))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func peakRSSKB() int64 {
	var kb int64
	procStatus(func(name string, n int64) {
		if name == "VmHWM" {
			kb = n
		}
	})
	return kb
}

// BenchmarkScheduler runs 200 jobs "@every 1s" for 60 s (see the constants)
// and prints missed ticks, tick lateness, CPU and peak RSS.
func BenchmarkScheduler(b *testing.B) {
	for range b.N {
		out := childtest.Child{Test: "TestSchedulerBenchChild", Env: []string{envSchedChild + "=1"}}.Output(b)
		var res schedResult
		for _, line := range strings.Split(out, "\n") {
			if rest, ok := strings.CutPrefix(line, "SCHED_RESULT "); ok {
				if err := json.Unmarshal([]byte(rest), &res); err != nil {
					b.Fatal(err)
				}
			}
		}
		if res.Jobs == 0 {
			b.Fatalf("no result from the child:\n%s", out)
		}
		printSched(res)
		b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-lateness-ms")
		b.ReportMetric(float64(res.PeakRSSKB)/1024, "peak-RSS-MiB")
		b.ReportMetric(float64(max(res.Expected-res.Started, 0)), "missed-ticks")
	}
}

func printSched(r schedResult) {
	missed := max(r.Expected-r.Started, 0)
	cpuPct := 100 * r.CPU.Seconds() / float64(r.Seconds)
	fmt.Printf("\nscheduler: %d jobs @every 1s, no jitter, for %d s (no-op source after one run per job; real runner, store, metrics)\n", r.Jobs, r.Seconds)
	fmt.Printf("  %-28s %12s %12s\n", "figure", "value", "target")
	fmt.Printf("  %-28s %12d %12s\n", "ticks expected", r.Expected, "")
	fmt.Printf("  %-28s %12d %12s\n", "runs started on a tick", r.Started, "")
	fmt.Printf("  %-28s %12d %12s\n", "missed ticks", missed, "0")
	fmt.Printf("  %-28s %12d %12s\n", "skipped ticks (overrun)", r.Skipped, "")
	fmt.Printf("  %-28s %12s %12s\n", "tick lateness p50", r.P50.Round(10*time.Microsecond), "")
	fmt.Printf("  %-28s %12s %12s\n", "tick lateness p99", r.P99.Round(10*time.Microsecond), "< 100ms")
	fmt.Printf("  %-28s %12s %12s\n", "tick lateness max", r.Max.Round(10*time.Microsecond), "")
	fmt.Printf("  %-28s %11.1f%% %12s\n", "daemon CPU (of one core)", cpuPct, "")
	fmt.Printf("  %-28s %9.1f MiB %12s\n", "peak RSS", float64(r.PeakRSSKB)/1024, "< 300 MiB")
	fmt.Printf("  %-28s %12d %12s\n", "runs in the history", r.RunsInStore, "")
}
