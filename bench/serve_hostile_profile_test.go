//go:build duckdb_arrow

package bench

import (
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	rpprof "runtime/pprof"
	"runtime/trace"
	"sync"
	"syscall"
	"testing"
	"time"
)

// envHostileProfile names a folder: when set, BenchmarkServeHostileMix
// writes CPU profiles and execution traces of the server child and of the
// benchmark process during the mix into it (profiling costs CPU: figures of
// such a run are not the benchmark's figures).
const envHostileProfile = "GROUNDTRUTH_BENCH_HOSTILE_PROFILE"

// rtSnap is a reading of the runtime's own metrics: scheduler latency
// (time a goroutine waits runnable before it runs), GC pauses, GC and
// assist CPU, and goroutines.
type rtSnap struct {
	Sched, Pauses               metrics.Float64Histogram
	GCCycles, Goroutines        uint64
	GCCPU, AssistCPU, TotalCPU  float64
	UserCPU, IdleCPU, ScavCPU   float64
	HeapGoal, HeapLive, Threads uint64
	RusageCPU                   time.Duration // user + system time of the whole process (DuckDB's threads too)
}

var rtNames = []string{"/sched/latencies:seconds", "/sched/pauses/total/gc:seconds", "/gc/cycles/total:gc-cycles",
	"/sched/goroutines:goroutines", "/cpu/classes/gc/total:cpu-seconds", "/cpu/classes/gc/mark/assist:cpu-seconds",
	"/cpu/classes/total:cpu-seconds", "/cpu/classes/user:cpu-seconds", "/cpu/classes/idle:cpu-seconds",
	"/cpu/classes/scavenge/total:cpu-seconds", "/gc/heap/goal:bytes", "/gc/heap/live:bytes", "/sched/threads/total:threads"}

// readRT reads this process's runtime metrics.
func readRT() rtSnap {
	s := make([]metrics.Sample, len(rtNames))
	for i, n := range rtNames {
		s[i].Name = n
	}
	metrics.Read(s)
	u := func(i int) uint64 {
		if s[i].Value.Kind() == metrics.KindUint64 {
			return s[i].Value.Uint64()
		}
		return 0
	}
	f := func(i int) float64 {
		if s[i].Value.Kind() == metrics.KindFloat64 {
			return s[i].Value.Float64()
		}
		return 0
	}
	h := func(i int) metrics.Float64Histogram {
		if s[i].Value.Kind() != metrics.KindFloat64Histogram {
			return metrics.Float64Histogram{}
		}
		v := s[i].Value.Float64Histogram()
		return metrics.Float64Histogram{Counts: append([]uint64(nil), v.Counts...), Buckets: append([]float64(nil), v.Buckets...)}
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return rtSnap{RusageCPU: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), Sched: h(0), Pauses: h(1), GCCycles: u(2), Goroutines: u(3), GCCPU: f(4), AssistCPU: f(5),
		TotalCPU: f(6), UserCPU: f(7), IdleCPU: f(8), ScavCPU: f(9), HeapGoal: u(10), HeapLive: u(11), Threads: u(12)}
}

// histDelta returns later's counts minus earlier's (same buckets).
func histDelta(a, b metrics.Float64Histogram) metrics.Float64Histogram {
	out := metrics.Float64Histogram{Buckets: b.Buckets, Counts: append([]uint64(nil), b.Counts...)}
	if len(a.Counts) == len(b.Counts) {
		for i := range out.Counts {
			out.Counts[i] -= a.Counts[i]
		}
	}
	return out
}

// histQuantile returns the upper bound of the bucket holding quantile q
// (0 when empty), and the count.
func histQuantile(h metrics.Float64Histogram, q float64) (time.Duration, uint64) {
	var n uint64
	for _, c := range h.Counts {
		n += c
	}
	if n == 0 {
		return 0, 0
	}
	want := uint64(math.Ceil(q * float64(n)))
	var seen uint64
	for i, c := range h.Counts {
		seen += c
		if seen >= want {
			hi := h.Buckets[i+1]
			if math.IsInf(hi, 1) {
				hi = h.Buckets[i]
			}
			return time.Duration(hi * float64(time.Second)), n
		}
	}
	return 0, n
}

// histSum estimates the total of a histogram (bucket midpoints).
func histSum(h metrics.Float64Histogram) time.Duration {
	var s float64
	for i, c := range h.Counts {
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		if math.IsInf(hi, 1) {
			hi = lo
		}
		if math.IsInf(lo, -1) {
			lo = hi
		}
		s += float64(c) * (lo + hi) / 2
	}
	return time.Duration(s * float64(time.Second))
}

// rtReport prints what the runtime of one process did between a and b.
func rtReport(who string, a, b rtSnap, wall time.Duration) [][2]string {
	sched := histDelta(a.Sched, b.Sched)
	p50, n := histQuantile(sched, 0.5)
	p99, _ := histQuantile(sched, 0.99)
	p999, _ := histQuantile(sched, 0.999)
	pauses := histDelta(a.Pauses, b.Pauses)
	pp99, pn := histQuantile(pauses, 0.99)
	pmax, _ := histQuantile(pauses, 1)
	cpu := b.TotalCPU - a.TotalCPU - (b.IdleCPU - a.IdleCPU)
	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x/max(cpu, 1e-9)) }
	return [][2]string{
		{who + ": CPU from the OS (cores)", fmt.Sprintf("%.2f", (b.RusageCPU-a.RusageCPU).Seconds()/wall.Seconds())},
		{who + ": Go CPU estimate (cores)", fmt.Sprintf("%.2f", cpu/wall.Seconds())},
		{who + ": GC CPU / of which assists", pct(b.GCCPU-a.GCCPU) + " / " + pct(b.AssistCPU-a.AssistCPU)},
		{who + ": GC cycles, pauses p99 / max / sum", fmt.Sprintf("%d, %v / %v / %v", b.GCCycles-a.GCCycles, pp99, pmax, histSum(pauses).Round(time.Microsecond)) + fmt.Sprintf(" (%d)", pn)},
		{who + ": runnable wait p50 / p99 / p99.9", fmt.Sprintf("%v / %v / %v (%d)", p50, p99, p999, n)},
		{who + ": goroutines, threads at end", fmt.Sprintf("%d, %d", b.Goroutines, b.Threads)},
		{who + ": heap live / goal at end", fmt.Sprintf("%s / %s", mib(int64(b.HeapLive)), mib(int64(b.HeapGoal)))},
	}
}

// serveDebug serves pprof and the runtime metrics of the server child on
// its own loopback listener and returns its address.
func serveDebug(t *testing.T) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/pprof/allocs", pprof.Handler("allocs"))
	mux.HandleFunc("/rt", func(w http.ResponseWriter, _ *http.Request) { gob.NewEncoder(w).Encode(readRT()) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, mux)
	return ln.Addr().String()
}

// childRT reads the server child's runtime metrics.
func (c *hostileChild) rt() rtSnap {
	var s rtSnap
	if c.debug == "" {
		return s
	}
	resp, err := http.Get("http://" + c.debug + "/rt")
	if err != nil {
		return s
	}
	defer resp.Body.Close()
	gob.NewDecoder(resp.Body).Decode(&s)
	return s
}

// profiler takes CPU profiles and execution traces of both processes
// during the mix when envHostileProfile names a folder.
type profiler struct {
	dir  string
	wg   sync.WaitGroup
	errs []error
	mu   sync.Mutex
}

func (p *profiler) fail(err error) {
	p.mu.Lock()
	p.errs = append(p.errs, err)
	p.mu.Unlock()
}

// startProfiles profiles the server child for cpu and then traces it for
// tr, and profiles this process the same way.
func startProfiles(ctx context.Context, c *hostileChild, cpu, tr time.Duration) *profiler {
	p := &profiler{dir: os.Getenv(envHostileProfile)}
	if p.dir == "" || c.debug == "" {
		return p
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		p.fail(err)
		return p
	}
	get := func(path, file string) {
		resp, err := http.Get("http://" + c.debug + path)
		if err != nil {
			p.fail(err)
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(filepath.Join(p.dir, file))
		if err != nil {
			p.fail(err)
			return
		}
		defer f.Close()
		if _, err := io.Copy(f, resp.Body); err != nil {
			p.fail(err)
		}
	}
	p.wg.Add(3)
	go func() {
		defer p.wg.Done()
		get(fmt.Sprintf("/debug/pprof/profile?seconds=%d", int(cpu.Seconds())), "server.cpu.pprof")
	}()
	go func() { // from 7 s to 7 s + tr: the slow readers start over 10 s after the mix began (8 s into the measurement)
		defer p.wg.Done()
		sleepCtx(ctx, 7*time.Second)
		get(fmt.Sprintf("/debug/pprof/trace?seconds=%d", int(tr.Seconds())), "server.trace")
	}()
	go func() {
		defer p.wg.Done()
		p.self(ctx, cpu, tr)
	}()
	return p
}

// self profiles and traces this (the benchmark's) process.
func (p *profiler) self(ctx context.Context, cpu, tr time.Duration) {
	f, err := os.Create(filepath.Join(p.dir, "bench.cpu.pprof"))
	if err != nil {
		p.fail(err)
		return
	}
	defer f.Close()
	if err := rpprof.StartCPUProfile(f); err != nil {
		p.fail(err)
		return
	}
	sleepCtx(ctx, cpu)
	rpprof.StopCPUProfile()
	g, err := os.Create(filepath.Join(p.dir, "bench.trace"))
	if err != nil {
		p.fail(err)
		return
	}
	defer g.Close()
	if err := trace.Start(g); err != nil {
		p.fail(err)
		return
	}
	sleepCtx(ctx, tr)
	trace.Stop()
	runtime.GC()
}

// wait waits for the profiles and reports where they are.
func (p *profiler) wait() string {
	p.wg.Wait()
	if p.dir == "" {
		return ""
	}
	return fmt.Sprintf("profiles in %s (errors: %v)", p.dir, p.errs)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
