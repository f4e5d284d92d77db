//go:build duckdb_arrow

package bench

import (
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
)

// partMem is the process's memory when a part's fetch begins: the
// resident set split as /proc/self/status splits it, and the memory the
// Go runtime has mapped and not released, so that RssAnon minus GoMapped
// bounds from below what C code (DuckDB, cgo) holds.
type partMem struct {
	RSS, HWM, Anon, File int64 // KiB, from /proc/self/status
	GoMapped             int64 // KiB: runtime total minus released
	GoLive               int64 // KiB: the last GC's live heap
}

// nonGoKB is RssAnon minus what the Go runtime has mapped (resident or
// not), a lower bound of the anonymous memory outside the Go runtime.
func (m partMem) nonGoKB() int64 { return m.Anon - m.GoMapped }

// samplePartMem reads the process's memory now.
func samplePartMem() partMem {
	var m partMem
	procStatus(func(name string, n int64) {
		switch name {
		case "VmRSS":
			m.RSS = n
		case "VmHWM":
			m.HWM = n
		case "RssAnon":
			m.Anon = n
		case "RssFile":
			m.File = n
		}
	})
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	m.GoMapped = int64(s[0].Value.Uint64()-s[1].Value.Uint64()) >> 10
	m.GoLive = int64(s[2].Value.Uint64()) >> 10
	return m
}

// printPartMem prints one line per part and the growth from the second
// part to the last (the first part starts from an empty process).
func printPartMem(parts []partMem) {
	if len(parts) == 0 {
		return
	}
	fmt.Printf("%-6s %9s %9s %9s %9s %10s %10s %12s\n", "part", "RSS MiB", "peak MiB", "anon MiB", "file MiB", "Go mapped", "Go live", "anon-Go MiB")
	for i, m := range parts {
		fmt.Printf("%-6d %9d %9d %9d %9d %10d %10d %12d\n", i+1, m.RSS>>10, m.HWM>>10, m.Anon>>10, m.File>>10, m.GoMapped>>10, m.GoLive>>10, m.nonGoKB()>>10)
	}
	if len(parts) > 2 {
		a, z := parts[1], parts[len(parts)-1]
		n := float64(len(parts) - 2)
		fmt.Printf("per part from part 2 to %d: RSS %+.2f MiB, RssAnon %+.2f MiB, RssFile %+.2f MiB, Go mapped %+.2f MiB, anon outside Go %+.2f MiB\n",
			len(parts), float64(z.RSS-a.RSS)/1024/n, float64(z.Anon-a.Anon)/1024/n, float64(z.File-a.File)/1024/n,
			float64(z.GoMapped-a.GoMapped)/1024/n, float64(z.nonGoKB()-a.nonGoKB())/1024/n)
	}
}

// procStatus calls fn with each field of /proc/self/status and its value
// (in kB for sizes; 0 when the value is not a number), nothing when the
// file cannot be read.
func procStatus(fn func(name string, n int64)) { procFields("/proc/self/status", fn) }

// procFields calls fn with each "name: value" field of a /proc file such
// as /proc/self/status or /proc/meminfo and its value (in kB for sizes; 0
// when the value is not a number), nothing when the file cannot be read.
func procFields(path string, fn func(name string, n int64)) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		fn(name, n)
	}
}
