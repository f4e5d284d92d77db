package serve

import (
	"os"
	"runtime"
)

// procsPerCPU is how many Go scheduler threads (GOMAXPROCS) serve runs per
// CPU the runtime would use by default.
const procsPerCPU = 2

// startupProcs is the runtime's own GOMAXPROCS when the process started
// (its CPUs, or the container's CPU limit), so that SetSchedulerProcs
// gives the same count however often it is called (tests serve in-process
// many times).
var startupProcs = runtime.GOMAXPROCS(0)

// SetSchedulerProcs sets the Go scheduler's thread count (GOMAXPROCS) of a
// serving process to twice the runtime's default (the CPUs, or the
// container's CPU limit), unless the GOMAXPROCS environment variable sets
// it, and returns the count in use and whether the environment chose it.
//
// A server shares its CPUs with other processes and with the kernel's own
// network work. A Go thread that the kernel preempts keeps its scheduler
// slot (P) and the goroutines queued on it wait, so with one P per CPU a
// burst of work elsewhere on the host stalls every request behind it.
// With two per CPU the other Ps keep running them. Measured on 2 CPUs:
// the row-with-proof client's p99 under BenchmarkServeHostileMix was
// 32.6-69.7 ms with 2 Ps (6 runs) and 14.7-28.0 ms with 4 or 8 (14 runs,
// 11 under 25 ms); alone 4.9-9.7 ms and 6.1-7.7 ms (docs/benchmarks.md).
func SetSchedulerProcs() (procs int, fromEnv bool) {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0), true
	}
	procs = procsPerCPU * startupProcs
	runtime.GOMAXPROCS(procs)
	return procs, false
}
