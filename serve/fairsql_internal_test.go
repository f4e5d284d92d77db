package serve

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestFairSlotsRoundRobin: with one slot held, a freed slot goes to the
// principals' first waiters in turn, not in arrival order.
func TestFairSlotsRoundRobin(t *testing.T) {
	for _, tc := range []struct {
		name    string
		arrival string // principal of each waiter, in arrival order
		want    string // the order slots are granted
	}{
		{"one tenant is FIFO", "aaa", "aaa"},
		{"late tenant goes next", "aaab", "abaa"},
		{"three tenants alternate", "aaabbc", "abcaba"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFairSlots(1)
			ps := map[byte]*Principal{'a': {Name: "a"}, 'b': {Name: "b"}, 'c': {Name: "c"}}
			hold, err := f.acquire(context.Background(), ps['a'], time.Second)
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan byte, len(tc.arrival))
			releases := make(chan func(), len(tc.arrival))
			for i := 0; i < len(tc.arrival); i++ {
				who := tc.arrival[i]
				go func() {
					rel, err := f.acquire(context.Background(), ps[who], 10*time.Second)
					if err != nil {
						t.Error(err)
						return
					}
					got <- who
					releases <- rel
				}()
				waitQueued(t, f, i+1)
			}
			hold()
			var order []byte
			for range tc.arrival {
				order = append(order, <-got)
				(<-releases)()
			}
			if string(order) != tc.want {
				t.Fatalf("granted %q, want %q", order, tc.want)
			}
			if f.free != 1 || len(f.ring) != 0 || len(f.queues) != 0 {
				t.Fatalf("after all releases: free %d, ring %d, queues %d", f.free, len(f.ring), len(f.queues))
			}
		})
	}
}

// waitQueued waits until n waiters are queued.
func waitQueued(t *testing.T, f *fairSlots, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		f.mu.Lock()
		q := 0
		for _, ws := range f.queues {
			q += len(ws)
		}
		f.mu.Unlock()
		if q == n {
			return
		}
	}
	t.Fatalf("%d waiters never queued", n)
}

// TestFairSlotsGiveUp: a waiter gives up after the bounded wait (ErrBusy
// with a retry delay) or when its context ends, and leaves no trace.
func TestFairSlotsGiveUp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cancel bool
		want   error
	}{
		{"bounded wait", false, ErrBusy},
		{"context cancelled", true, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFairSlots(1)
			p, q := &Principal{Name: "p"}, &Principal{Name: "q"}
			hold, _ := f.acquire(context.Background(), p, time.Second)
			ctx, cancel := context.WithCancel(context.Background())
			if tc.cancel {
				time.AfterFunc(20*time.Millisecond, cancel)
			}
			defer cancel()
			wait := 50 * time.Millisecond
			if tc.cancel {
				wait = 5 * time.Second // the cancel, not the wait, ends it even on a loaded machine
			}
			start := time.Now()
			_, err := f.acquire(ctx, q, wait)
			if !errors.Is(err, tc.want) || time.Since(start) > 4*time.Second {
				t.Fatalf("err %v after %s, want %v", err, time.Since(start), tc.want)
			}
			var re *retryError
			if tc.want == ErrBusy && (!errors.As(err, &re) || re.RetryAfter() < 1) {
				t.Fatalf("no retry delay in %v", err)
			}
			hold()
			rel, err := f.acquire(context.Background(), q, 10*time.Millisecond)
			if err != nil {
				t.Fatalf("the slot was lost: %v", err)
			}
			rel()
			if f.free != 1 || len(f.ring) != 0 {
				t.Fatalf("free %d ring %d", f.free, len(f.ring))
			}
		})
	}
}

// TestFairSlotsPerTokenCap: one principal holds at most all but one slot,
// so another principal's query starts at once while the first one's heavy
// queries hold every slot it may have and more of its queries wait; a
// capped principal's waiter gets the next slot its own release frees.
func TestFairSlotsPerTokenCap(t *testing.T) {
	for _, tc := range []struct {
		slots, cap int
	}{{1, 1}, {2, 1}, {3, 2}, {4, 3}} {
		t.Run(fmt.Sprintf("%d slots", tc.slots), func(t *testing.T) {
			f := newFairSlots(tc.slots)
			if f.perToken != tc.cap {
				t.Fatalf("per-token cap %d, want %d", f.perToken, tc.cap)
			}
			heavy, other := &Principal{Name: "heavy"}, &Principal{Name: "other"}
			var held []func()
			for range tc.cap {
				rel, err := f.acquire(context.Background(), heavy, time.Second)
				if err != nil {
					t.Fatal(err)
				}
				held = append(held, rel)
			}
			queued := make(chan func(), 1)
			go func() {
				rel, err := f.acquire(context.Background(), heavy, 10*time.Second)
				if err != nil {
					t.Error(err)
				}
				queued <- rel
			}()
			waitQueued(t, f, 1)
			if tc.slots == 1 {
				held[0]()
				(<-queued)()
				return
			}
			start := time.Now()
			rel, err := f.acquire(context.Background(), other, 50*time.Millisecond)
			if err != nil || time.Since(start) > time.Second {
				t.Fatalf("the other token waited %s: %v", time.Since(start), err)
			}
			rel() // the freed slot stays free: heavy is still at its cap
			if f.free != 1 || len(f.ring) != 1 {
				t.Fatalf("after the other's release: free %d, ring %d", f.free, len(f.ring))
			}
			held[0]() // heavy's own release lets its waiter in
			(<-queued)()
			for _, r := range held[1:] {
				r()
			}
			if f.free != tc.slots || len(f.ring) != 0 || len(f.held) != 0 {
				t.Fatalf("after all releases: free %d, ring %d, held %v", f.free, len(f.ring), f.held)
			}
		})
	}
}
