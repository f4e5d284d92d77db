//go:build duckdb_arrow

package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// Environment of the hostile-mix benchmark.
const (
	envHostileServer   = "GROUNDTRUTH_BENCH_HOSTILE_SERVER"     // set in the server child: the data folder
	envHostileRows     = "GROUNDTRUTH_BENCH_HOSTILE_ROWS"       // rows of the served version (default 1,000,000)
	envHostileSeconds  = "GROUNDTRUTH_BENCH_HOSTILE_SECONDS"    // length of each load phase (default 20)
	envHostileRate     = "GROUNDTRUTH_BENCH_HOSTILE_RATE"       // the good client's fixed request rate (default 5,000/s)
	envHostileIdle     = "GROUNDTRUTH_BENCH_HOSTILE_IDLE"       // idle connections (default 5,000)
	envHostileSlow     = "GROUNDTRUTH_BENCH_HOSTILE_SLOW"       // never-reading downloads (default 1,000)
	envHostileInits    = "GROUNDTRUTH_BENCH_HOSTILE_INITS"      // MCP initializes (default 10,000)
	envHostileHeavy    = "GROUNDTRUTH_BENCH_HOSTILE_HEAVY"      // sessions of the heavy token running queries (default 4)
	envHostileSlowPath = "GROUNDTRUTH_BENCH_HOSTILE_SLOW_PATH"  // what the never-reading downloads ask, after the version's URL (default /data?format=jsonl)
	envHostileEnv      = "GROUNDTRUTH_BENCH_HOSTILE_SERVER_ENV" // space-separated KEY=VALUE added to the server child's environment only (GOGC=400 …)
)

// Tokens of the hostile mix: the well-behaved client and the heavy one;
// slow readers and idle connections come without a token (anonymous).
const (
	goodToken  = "gt-bench-good"
	heavyToken = "gt-bench-heavy"
)

// BenchmarkServeHostileMix serves a version from a child process with the
// default limits (serve.DefaultLimits) and measures a well-behaved client
// fetching rows with proofs at a fixed rate (5,000 req/s, latency counted
// from each request's scheduled time): first alone (target p99 < 10 ms),
// then while 1,000 clients open downloads they never read, 5,000 idle
// connections are held (re-opened when the server drops them), 10,000 MCP
// initializes arrive and one token keeps heavy SQL queries running (target
// p99 < 25 ms, 0 errors, server peak RSS ≤ 1 GiB).
func BenchmarkServeHostileMix(b *testing.B) {
	raiseFileLimit(b)
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		st, m := sealServeBench(b, dir, serveEnvInt(envHostileRows, 1_000_000))
		st.Close()
		child := startHostileServer(b, dir)
		base := "http://" + child.addr + "/v1/datasets/votes/versions/1"
		good := newGoodClient()
		warm := warmRowsAuth(b, good, base, m.Segments)
		d := time.Duration(serveEnvInt(envHostileSeconds, 20)) * time.Second
		rate := serveEnvInt(envHostileRate, 5000)
		srv0, self0, t0 := child.rt(), readRT(), time.Now()
		alone, aloneWait := goodClient(b, good, base, int(m.RowCount), rate, d)
		srv1, self1, t1 := child.rt(), readRT(), time.Now()
		aloneRSS := child.peakRSS(b)

		mix := startHostileMix(child.addr, base)
		cpu := startCPUSampler(child.cmd.Process.Pid)
		time.Sleep(2 * time.Second) // let the attack build up
		prof := startProfiles(mix.ctx, child, d/2, 3*time.Second)
		srv2, self2, t2 := child.rt(), readRT(), time.Now()
		under, underWait := goodClient(b, good, base, int(m.RowCount), rate, d)
		srv3, self3, t3 := child.rt(), readRT(), time.Now()
		stats := mix.stop()
		cpuWindows := cpu.report()
		profiled := prof.wait()
		peak := child.peakRSS(b)
		child.stop(b)

		fmt.Printf("\n%-52s %12s %12s\n", fmt.Sprintf("row with proof at a fixed %d req/s, %s", rate, d), "alone", "hostile mix")
		fmt.Printf("%-52s %12v %12s\n", "first use: proof tree + row blocks", warm.Round(time.Millisecond), "")
		fmt.Printf("%-52s %12d %12d\n", "requests", alone.n, under.n)
		fmt.Printf("%-52s %12.0f %12.0f\n", "achieved req/s", alone.rate, under.rate)
		fmt.Printf("%-52s %12v %12v\n", "p50", alone.p50.Round(time.Microsecond), under.p50.Round(time.Microsecond))
		fmt.Printf("%-52s %12v %12v\n", "p99", alone.p99.Round(time.Microsecond), under.p99.Round(time.Microsecond))
		fmt.Printf("%-52s %12v %12v\n", "max", alone.max.Round(time.Microsecond), under.max.Round(time.Microsecond))
		fmt.Printf("%-52s %12v %12v\n", "p50 from the send (service time)", alone.svc50.Round(time.Microsecond), under.svc50.Round(time.Microsecond))
		fmt.Printf("%-52s %12v %12v\n", "p99 from the send (service time)", alone.svc99.Round(time.Microsecond), under.svc99.Round(time.Microsecond))
		fmt.Printf("%-52s %12d %12d\n", "errors (transport, status other than 200)", alone.errors, under.errors)
		fmt.Printf("%-52s %12d %12d\n", "not sent (generator a second behind)", alone.notSent, under.notSent)
		fmt.Printf("%-52s %12s %12s\n", "server peak RSS", mib(aloneRSS), mib(peak))
		fmt.Printf("%-52s %12v %12v\n", "good client's own runnable wait p99", aloneWait, underWait)
		fmt.Printf("%-52s %12d %12d\n", "100 ms windows with requests slower than 25 ms", alone.slowWindows, under.slowWindows)
		fmt.Printf("%-52s %12d %12d\n", "connections the good client opened", alone.dials, under.dials)
		fmt.Printf("busiest windows (s:count): alone %s; mix %s\n", alone.busiest, under.busiest)
		fmt.Printf("\n%-52s %12s %12s\n", "runtime of each process", "alone", "hostile mix")
		ra, rm := append(rtReport("server", srv0, srv1, t1.Sub(t0)), rtReport("bench", self0, self1, t1.Sub(t0))...),
			append(rtReport("server", srv2, srv3, t3.Sub(t2)), rtReport("bench", self2, self3, t3.Sub(t2))...)
		for i := range ra {
			fmt.Printf("%-44s %20s %28s\n", ra[i][0], ra[i][1], rm[i][1])
		}
		if profiled != "" {
			fmt.Println(profiled)
		}
		fmt.Print(cpuWindows)
		fmt.Printf("\n%-52s\n", "the attack during the mix")
		for _, s := range stats {
			fmt.Printf("%-52s %12s\n", s[0], s[1])
		}
		okAlone := alone.p99 < 10*time.Millisecond && alone.errors+alone.notSent == 0
		okMix := under.p99 < 25*time.Millisecond && under.errors+under.notSent == 0 && peak <= 1<<30
		fmt.Printf("alone: p99 %v (target < 10ms), %d errors, %d not sent: %s\n", alone.p99.Round(time.Microsecond), alone.errors, alone.notSent, metOr(okAlone))
		fmt.Printf("hostile mix: p99 %v (target < 25ms), %d errors, %d not sent (target 0), server peak RSS %s (target <= 1 GiB): %s\n",
			under.p99.Round(time.Microsecond), under.errors, under.notSent, mib(peak), metOr(okMix))
		fmt.Printf("machine load while measuring: %s\n", loadAvg())
		b.ReportMetric(float64(alone.p99.Microseconds()), "alone-p99-us")
		b.ReportMetric(float64(under.p99.Microseconds()), "mix-p99-us")
		b.ReportMetric(float64(under.errors), "mix-errors")
		b.ReportMetric(float64(peak>>20), "server-peak-MiB")
	}
}

// loadAvg returns /proc/loadavg's first three fields (other work on the
// machine shows in the figures).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func metOr(ok bool) string { return map[bool]string{true: "met", false: "MISSED"}[ok] }

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

// raiseFileLimit raises the soft open-files limit to the hard one (the load
// generator holds thousands of connections).
func raiseFileLimit(b *testing.B) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	if lim.Cur < 8192 {
		b.Fatalf("the open-files limit is %d; the hostile mix needs at least 8192 (ulimit -n)", lim.Cur)
	}
}

// hostileChild is the server process.
type hostileChild struct {
	cmd   *exec.Cmd
	addr  string
	debug string // pprof and runtime metrics of the child
	done  chan error
}

// startHostileServer starts TestHostileMixServer in a child process and
// waits for its address.
func startHostileServer(b *testing.B, dir string) *hostileChild {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileMixServer$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), envHostileServer+"="+dir), strings.Fields(os.Getenv(envHostileEnv))...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &hostileChild{cmd: cmd, done: make(chan error, 1)}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "DEBUG "); ok {
			c.debug = a
		}
		if a, ok := strings.CutPrefix(sc.Text(), "ADDR "); ok {
			c.addr = a
			break
		}
	}
	if c.addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		b.Fatal("the server child printed no address")
	}
	go io.Copy(io.Discard, out)
	go func() { c.done <- cmd.Wait() }()
	return c
}

// peakRSS reads the child's peak resident size.
func (c *hostileChild) peakRSS(b *testing.B) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	b.Fatal("no VmHWM")
	return 0
}

// stop ends the child with SIGTERM and waits for it.
func (c *hostileChild) stop(b *testing.B) {
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
		b.Error("the server child did not stop on SIGTERM")
	}
}

// TestHostileMixServer is the server of BenchmarkServeHostileMix; it runs
// only in the benchmark's child process.
func TestHostileMixServer(t *testing.T) {
	dir := os.Getenv(envHostileServer)
	if dir == "" {
		t.Skip("child process of BenchmarkServeHostileMix")
	}
	serve.SetSchedulerProcs() // as groundtruth serve does
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, filepath.Join(dir, "data"), store.Options{MemoryLimit: "256MB", DeferMaterialize: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := serve.New(ctx, serve.Config{Catalog: st, CacheDir: filepath.Join(dir, "cache"),
		Tokens: []serve.Token{
			{Name: "good", SHA256: serve.HashToken(goodToken), Scope: serve.Scope{Datasets: []string{"*"}, Rate: 1e6, Burst: 1e6}},
			{Name: "heavy", SHA256: serve.HashToken(heavyToken), Scope: serve.Scope{Datasets: []string{"*"}, Rate: 1e6, Burst: 1e6}}},
		Anonymous: &serve.Scope{Datasets: []string{"*"}, Rate: 1e6, Burst: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	lim := srv.Limits()
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	mux.Handle("/mcp", srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{Max: lim.MCPSessions, PerToken: lim.MCPSessionsPerToken, Idle: lim.MCPSessionIdle})))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs, capped := serve.NewHTTPServer(mux, ln, lim, nil, nil)
	go hs.Serve(capped)
	fmt.Printf("DEBUG %s\n", serveDebug(t))
	fmt.Printf("ADDR %s\n", ln.Addr())
	<-ctx.Done()
	hs.Close()
}
