package config

import (
	"strings"
	"testing"
)

// TestMaxRunRows: jobs[].max_run_rows is decoded when set, nil when not,
// and a value below 1 is reported with the job.
func TestMaxRunRows(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       int  // 0: unset
		bad        bool // a configuration error naming max_run_rows
	}{
		{"unset", "", 0, false},
		{"set", "    max_run_rows: 250000\n", 250000, false},
		{"one", "    max_run_rows: 1\n", 1, false},
		{"zero", "    max_run_rows: 0\n", 0, true},
		{"negative", "    max_run_rows: -5\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "version: 1\ndata_dir: d\njobs:\n  - name: a\n    dataset: a\n" + tc.line + "    source: {kind: fake, url: x}\n"
			cfg, err := Parse("g.yaml", []byte(src), nil)
			if tc.bad {
				if err == nil || !strings.Contains(err.Error(), "max_run_rows") || !strings.Contains(err.Error(), "at least 1") {
					t.Fatalf("want an error naming max_run_rows, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			if p := cfg.Jobs[0].MaxRunRows; p != nil {
				got = *p
			}
			if got != tc.want {
				t.Fatalf("max_run_rows %d, want %d", got, tc.want)
			}
		})
	}
}
