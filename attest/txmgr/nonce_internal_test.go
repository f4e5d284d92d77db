package txmgr

import (
	"math/big"
	"os"
	"os/exec"
	"testing"
)

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestNextNonce: mined entries are pruned, a live process's entries are
// skipped, a dead process's entries at or above the pending nonce (never
// sent, or dropped) are reused so no gap is left.
func TestNextNonce(t *testing.T) {
	live, dead := os.Getppid(), deadPID(t)
	for _, tc := range []struct {
		name           string
		entries        []inflight
		mined, pending uint64
		want           uint64
		kept           int
	}{
		{"empty record", nil, 4, 4, 4, 0},
		{"pool ahead of the record", nil, 4, 6, 6, 0},
		{"mined entries pruned", []inflight{{Nonce: 2, PID: live}, {Nonce: 3, PID: dead}}, 4, 4, 4, 0},
		{"live entry in the pool kept", []inflight{{Nonce: 4, PID: live}}, 4, 5, 5, 1},
		{"live entry dropped from the pool is skipped", []inflight{{Nonce: 4, PID: live}}, 4, 4, 5, 1},
		{"dead entry never sent is reused", []inflight{{Nonce: 4, PID: dead}}, 4, 4, 4, 0},
		{"dead entry in the pool kept", []inflight{{Nonce: 4, PID: dead}}, 4, 5, 5, 1},
		{"live entries skipped, dead gap reused", []inflight{{Nonce: 4, PID: live}, {Nonce: 5, PID: dead}, {Nonce: 6, PID: live}}, 4, 4, 5, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &record{InFlight: append([]inflight(nil), tc.entries...)}
			if got := r.nextNonce(tc.mined, tc.pending); got != tc.want || len(r.InFlight) != tc.kept {
				t.Fatalf("nonce %d with %d entries kept; want %d and %d", got, len(r.InFlight), tc.want, tc.kept)
			}
		})
	}
}

// TestBump12 checks the 12.5 % replacement bump, rounded up.
func TestBump12(t *testing.T) {
	for _, tc := range []struct{ in, want int64 }{{0, 1}, {1, 2}, {8, 9}, {9, 11}, {1_000_000_000, 1_125_000_000}, {3_000_000_001, 3_375_000_002}} {
		if got := bump12(big.NewInt(tc.in)); got.Int64() != tc.want {
			t.Errorf("bump12(%d) = %s, want %d", tc.in, got, tc.want)
		}
	}
}
