package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultMemoryLimit is daemon.memory_limit when unset: a soft limit on
// the Go runtime's memory (debug.SetMemoryLimit) sized for the 2-core,
// 24 GiB host the project targets, where a daemon streams runs of 10 M rows
// with about 150 MiB live and its peak RSS must stay within 512 MiB.
const DefaultMemoryLimit = "384MiB"

// ParseMemoryLimit reads a memory limit as GOMEMLIMIT writes it: a number
// of bytes with an optional unit B, KiB, MiB, GiB or TiB, or "off" (no
// limit, returned as math.MaxInt64). Limits under 64 MiB are refused: the
// runtime would spend its time collecting.
func ParseMemoryLimit(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return math.MaxInt64, nil
	}
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	num, shift := s, uint(0)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("memory limit %q: want a size such as 384MiB or 1GiB (units B, KiB, MiB, GiB, TiB), or off", s)
	}
	if n<<shift < 64<<20 {
		return 0, fmt.Errorf("memory limit %q: under 64MiB the daemon would do little but collect garbage", s)
	}
	return n << shift, nil
}
