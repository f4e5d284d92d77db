//go:build duckdb_arrow

package bench

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Environment of the well-behaved client's own process.
const (
	envHostileClient     = "GROUNDTRUTH_BENCH_HOSTILE_CLIENT"         // set in the client child: the version's base URL
	envHostileClientProc = "GROUNDTRUTH_BENCH_HOSTILE_CLIENT_PROCESS" // 0: the client runs inside the benchmark process with the attackers
	envHostileClientIP   = "GROUNDTRUTH_BENCH_HOSTILE_CLIENT_IP"      // the good client's source address (default 127.0.0.2; the attackers use 127.0.0.1)
	envHostileWarmup     = "GROUNDTRUTH_BENCH_HOSTILE_WARMUP"         // seconds at the fixed rate before each measured phase, not counted (default 3; 0: none)
)

// warmUp runs the client at the fixed rate for the warm-up seconds before
// a measured phase, so the phase starts with the client's connections open
// and the server's per-block state built (steady state, as load tools such
// as wrk2 measure it); its figures are printed to stderr, not counted.
func warmUp(cl *http.Client, base string, rows, rate int) {
	w := time.Duration(serveEnvInt(envHostileWarmup, 3)) * time.Second
	if w <= 0 {
		return
	}
	r := fixedRateRows(cl, base, rows, rate, w)
	fmt.Fprintf(os.Stderr, "good client warm-up (%v, not counted): p99 %v, %d errors, %d connections opened, busiest windows %s\n", w, r.p99.Round(time.Microsecond), r.errors, r.dials, r.busiest)
}

// goodClient runs the well-behaved client's fixed-rate phase: in a process
// of its own (the default: in production the attackers are other machines,
// so their goroutines and GC must not delay its scheduled sends), or in
// this process when envHostileClientProc is 0. wait is the client's own
// runnable-wait p99 (the generator's stalls).
func goodClient(b *testing.B, cl *http.Client, base string, rows, rate int, d time.Duration) (res rateResult, wait time.Duration) {
	if os.Getenv(envHostileClientProc) == "0" {
		warmUp(cl, base, rows, rate)
		a := readRT()
		res = fixedRateRows(cl, base, rows, rate, d)
		wait, _ = histQuantile(histDelta(a.Sched, readRT().Sched), 0.99)
		return res, wait
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileGoodClient$", "-test.count=1")
	cmd.Env = append(os.Environ(), envHostileClient+"="+base, envHostileRows+"="+strconv.Itoa(rows),
		envHostileRate+"="+strconv.Itoa(rate), envHostileSeconds+"="+strconv.Itoa(int(d/time.Second)))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	goodClientPID.Store(int64(cmd.Process.Pid))
	defer goodClientPID.Store(0)
	var line string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if l, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
			line = l
		}
	}
	if err := cmd.Wait(); err != nil || line == "" {
		b.Fatalf("the good client's process failed (%v) or printed no result", err)
	}
	var v [12]int64
	f := strings.Fields(line)
	for i := range min(len(f), len(v)) {
		v[i], _ = strconv.ParseInt(f[i], 10, 64)
	}
	res = rateResult{n: int(v[0]), errors: int(v[1]), notSent: int(v[2]), rate: float64(v[3]) / 1000,
		p50: time.Duration(v[4]), p99: time.Duration(v[5]), max: time.Duration(v[6]), svc50: time.Duration(v[7]), svc99: time.Duration(v[8]), slowWindows: int(v[10]), dials: int(v[11])}
	if len(f) > len(v) {
		res.busiest = f[len(v)]
	}
	return res, time.Duration(v[9])
}

// TestHostileGoodClient is the well-behaved client of
// BenchmarkServeHostileMix; it runs only in the benchmark's client process
// and prints its figures on one RESULT line.
func TestHostileGoodClient(t *testing.T) {
	base := os.Getenv(envHostileClient)
	if base == "" {
		t.Skip("child process of BenchmarkServeHostileMix")
	}
	cl := newGoodClient()
	rows, rate := serveEnvInt(envHostileRows, 1_000_000), serveEnvInt(envHostileRate, 5000)
	warmUp(cl, base, rows, rate)
	a := readRT()
	r := fixedRateRows(cl, base, rows, rate, time.Duration(serveEnvInt(envHostileSeconds, 20))*time.Second)
	wait, _ := histQuantile(histDelta(a.Sched, readRT().Sched), 0.99)
	fmt.Printf("RESULT %d %d %d %d %d %d %d %d %d %d %d %d %s\n", r.n, r.errors, r.notSent, int64(r.rate*1000),
		r.p50, r.p99, r.max, r.svc50, r.svc99, wait, r.slowWindows, r.dials, r.busiest)
}
