package serve

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestRevokers: end calls every function still registered exactly once,
// none that was taken back, and a function added after end runs at once;
// functions added while end runs are called exactly once too.
func TestRevokers(t *testing.T) {
	var r revokers
	var calls [6]atomic.Int32
	removes := make([]func(), 5)
	for i := range removes {
		removes[i] = r.add(func() { calls[i].Add(1) })
	}
	removes[1]()
	removes[3]()
	removes[3]() // twice is harmless
	r.end()
	for i, want := range []int32{1, 0, 1, 0, 1} {
		if got := calls[i].Load(); got != want {
			t.Errorf("function %d called %d times, want %d", i, got, want)
		}
	}
	removes[0]() // after end: nothing to take back
	r.add(func() { calls[5].Add(1) })
	if got := calls[5].Load(); got != 1 {
		t.Errorf("a function added after end ran %d times, want 1", got)
	}
	r.end() // a second end calls nothing again
	if calls[0].Load() != 1 || calls[5].Load() != 1 {
		t.Error("a second end called functions again")
	}
}

// TestRevokersConcurrent adds and removes from many goroutines while end
// runs: every function that was not taken back first runs exactly once.
func TestRevokersConcurrent(t *testing.T) {
	var r revokers
	const n = 64
	var wg sync.WaitGroup
	counts := make([]atomic.Int32, n*100)
	kept := make([]atomic.Bool, n*100)
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				k := g*100 + i
				remove := r.add(func() { counts[k].Add(1) })
				if i%2 == 0 {
					remove()
				} else {
					kept[k].Store(true)
				}
			}
		}(g)
	}
	r.end()
	wg.Wait()
	for k := range counts {
		c := counts[k].Load()
		if c > 1 || (kept[k].Load() && c != 1) {
			t.Fatalf("function %d (kept %v) ran %d times", k, kept[k].Load(), c)
		}
	}
}
