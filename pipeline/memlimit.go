package pipeline

import (
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
)

// SetMemoryLimit applies the daemon's soft memory limit (bytes;
// math.MaxInt64 for none) to the Go runtime, unless GOMEMLIMIT is set in
// the environment (getenv): the runtime has applied that one at start and
// it wins. It logs the limit in force and returns it.
func SetMemoryLimit(limit int64, getenv func(string) string, log *slog.Logger) int64 {
	from := "daemon.memory_limit"
	if env := getenv("GOMEMLIMIT"); env != "" {
		limit, from = debug.SetMemoryLimit(-1), "GOMEMLIMIT="+env
	} else {
		debug.SetMemoryLimit(limit)
	}
	if log != nil {
		log.Info("memory limit", "soft_limit", formatLimit(limit), "from", from)
	}
	return limit
}

// formatLimit renders a memory limit in MiB, or "off".
func formatLimit(n int64) string {
	if n == math.MaxInt64 {
		return "off"
	}
	return fmt.Sprintf("%dMiB", n>>20)
}
