package config

import (
	"math"
	"strings"
	"testing"
)

func TestParseMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  string
	}{
		{"384MiB", 384 << 20, ""},
		{"1GiB", 1 << 30, ""},
		{" 2GiB ", 2 << 30, ""},
		{"134217728", 128 << 20, ""},
		{"131072KiB", 128 << 20, ""},
		{"off", math.MaxInt64, ""},
		{"32MiB", 0, "under 64MiB"},
		{"384MB", 0, "want a size such as 384MiB"},
		{"-1GiB", 0, "want a size such as 384MiB"},
		{"lots", 0, "want a size such as 384MiB"},
		{"99999999999TiB", 0, "want a size such as 384MiB"},
	} {
		got, err := ParseMemoryLimit(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseMemoryLimit(%q) = %d, %v; want an error with %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseMemoryLimit(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

// TestDaemonMemoryLimitSetting: unset takes the default; a set value is
// kept.
func TestDaemonMemoryLimitSetting(t *testing.T) {
	if got := (&Config{}).DaemonSettings().MemoryLimit; got != DefaultMemoryLimit {
		t.Fatalf("default memory limit %q, want %q", got, DefaultMemoryLimit)
	}
	if got := (&Config{Daemon: &Daemon{MemoryLimit: "1GiB"}}).DaemonSettings().MemoryLimit; got != "1GiB" {
		t.Fatalf("memory limit %q, want 1GiB", got)
	}
}

// TestDaemonMemoryLimitInvalid: a bad daemon.memory_limit is reported at
// its line and column.
func TestDaemonMemoryLimitInvalid(t *testing.T) {
	_, err := Parse("g.yaml", []byte("version: 1\ndata_dir: d\ndaemon:\n  memory_limit: 384MB\njobs: []\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `g.yaml:4:17: daemon memory limit "384MB": want a size such as 384MiB`) {
		t.Fatalf("a bad memory_limit: %v", err)
	}
}
