//go:build duckdb_arrow

package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// envHostileCPU switches on the per-process CPU sampling of the mix phase:
// every 50 ms the on-CPU time of the server child, of this process (the
// attackers) and of the good client's process (/proc/PID/task/*/schedstat,
// nanoseconds) and the whole machine's busy time (/proc/stat) are read, and
// the 100 ms windows around the slow readers' restarts are printed.
const envHostileCPU = "GROUNDTRUTH_BENCH_HOSTILE_CPU"

// goodClientPID is the good client's process while it runs (0: none).
var goodClientPID atomic.Int64

// cpuSample is one reading: on-CPU nanoseconds of the server, the
// attackers' process and the client, and the machine's busy nanoseconds.
type cpuSample struct {
	at                          time.Time
	server, attack, client, all int64
}

// cpuSampler reads cpuSamples every 50 ms until stopped.
type cpuSampler struct {
	server  int
	began   time.Time
	stopped chan struct{}
	wg      sync.WaitGroup
	samples []cpuSample
}

// startCPUSampler samples from now (the attack's start) when envHostileCPU
// is set, else returns nil.
func startCPUSampler(server int) *cpuSampler {
	if os.Getenv(envHostileCPU) == "" {
		return nil
	}
	s := &cpuSampler{server: server, began: time.Now(), stopped: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var srv, att, cli threadCPU
		for {
			s.samples = append(s.samples, cpuSample{at: time.Now(), server: srv.read(s.server), attack: att.read(os.Getpid()),
				client: cli.read(int(goodClientPID.Load())), all: machineBusy()})
			select {
			case <-s.stopped:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// report stops the sampler and prints, in cores, each process's CPU in the
// 100 ms windows from 0.3 s before to 0.8 s after each restart of the slow
// readers (10 s and 20 s after the attack began), and the phase's mean.
func (s *cpuSampler) report() string {
	if s == nil {
		return ""
	}
	close(s.stopped)
	s.wg.Wait()
	var out strings.Builder
	fmt.Fprintf(&out, "\nCPU per 100 ms window (cores; other = the machine's busy time minus the three processes)\n%-12s %8s %8s %8s %8s\n", "since attack", "server", "attack", "client", "other")
	line := func(label string, a, b cpuSample) {
		d := float64(b.at.Sub(a.at))
		srv, att, cli := float64(b.server-a.server)/d, float64(b.attack-a.attack)/d, float64(b.client-a.client)/d
		fmt.Fprintf(&out, "%-12s %8.2f %8.2f %8.2f %8.2f\n", label, srv, att, cli, float64(b.all-a.all)/d-srv-att-cli)
	}
	for _, restart := range []time.Duration{10 * time.Second, 20 * time.Second} {
		for off := restart - 300*time.Millisecond; off < restart+1500*time.Millisecond; off += 100 * time.Millisecond {
			i := s.index(off)
			if i+2 < len(s.samples) {
				line(fmt.Sprintf("%.1fs", off.Seconds()), s.samples[i], s.samples[i+2])
			}
		}
	}
	if n := len(s.samples); n > 1 {
		line("whole mix", s.samples[0], s.samples[n-1])
	}
	return out.String()
}

// index returns the sample taken at off after the start (or just before).
func (s *cpuSampler) index(off time.Duration) int {
	for i, x := range s.samples {
		if x.at.Sub(s.began) > off {
			return max(0, i-1)
		}
	}
	return len(s.samples)
}

// threadCPU follows the on-CPU nanoseconds of one process's threads,
// adding only what each thread ran since the last reading (a thread that
// exits takes its time along: summing the live threads would go back).
type threadCPU struct {
	pid  int
	last map[string]int64
	sum  int64
}

// read returns the process's on-CPU nanoseconds so far (pid 0: none).
func (t *threadCPU) read(pid int) int64 {
	if pid != t.pid {
		t.pid, t.last = pid, map[string]int64{}
	}
	if pid == 0 {
		return t.sum
	}
	dirs, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		f := bytes.Fields(b)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(string(f[0]), 10, 64)
		t.sum += max(0, n-t.last[d])
		t.last[d] = n
	}
	return t.sum
}

// machineBusy returns the machine's non-idle CPU time in nanoseconds
// (/proc/stat: all but idle and iowait, at 100 ticks a second).
func machineBusy() int64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	var busy int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest times are in user already
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		busy += n
	}
	return busy * int64(10*time.Millisecond)
}
