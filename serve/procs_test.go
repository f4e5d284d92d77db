package serve

import (
	"runtime"
	"testing"
)

// TestSetSchedulerProcs: without GOMAXPROCS in the environment a serving
// process runs twice the runtime's default Ps, the same count however
// often it is called; with it, the environment's count is kept.
func TestSetSchedulerProcs(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	tests := []struct {
		name    string
		env     string
		set     int // GOMAXPROCS before the call
		want    int
		fromEnv bool
	}{
		{"default", "", startupProcs, procsPerCPU * startupProcs, false},
		{"called again", "", procsPerCPU * startupProcs, procsPerCPU * startupProcs, false},
		{"environment", "3", 3, 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOMAXPROCS", tc.env)
			runtime.GOMAXPROCS(tc.set)
			got, fromEnv := SetSchedulerProcs()
			if got != tc.want || fromEnv != tc.fromEnv || runtime.GOMAXPROCS(0) != tc.want {
				t.Fatalf("SetSchedulerProcs() = %d, %v (GOMAXPROCS %d), want %d, %v", got, fromEnv, runtime.GOMAXPROCS(0), tc.want, tc.fromEnv)
			}
		})
	}
}
