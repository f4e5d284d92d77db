package serve

import (
	"syscall"
	"testing"
)

// TestLowPriority: fn runs on a thread at nice 19, the caller's thread keeps
// its priority, and a panic in fn reaches the caller.
func TestLowPriority(t *testing.T) {
	before, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	var inside int
	lowPriority(func() {
		// Getpriority returns 20 - nice for the calling thread.
		inside, err = syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	})
	if err != nil {
		t.Fatal(err)
	}
	if nice := 20 - inside; nice != lowestPriority {
		t.Fatalf("fn ran at nice %d, want %d", nice, lowestPriority)
	}
	if after, _ := syscall.Getpriority(syscall.PRIO_PROCESS, 0); after != before {
		t.Fatalf("the process priority changed from %d to %d", before, after)
	}
	defer func() {
		if p := recover(); p != "boom" {
			t.Fatalf("panic in fn reached the caller as %v", p)
		}
	}()
	lowPriority(func() { panic("boom") })
}
