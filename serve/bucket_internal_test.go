package serve

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBucket: a full bucket admits burst requests at once, then one per
// 1/rate, and says how long to wait for the next; it refills to burst and
// no further.
func TestBucket(t *testing.T) {
	clock := time.Unix(1e9, 0)
	b := newBucket(10, 3, func() time.Time { return clock })
	for i := 0; i < 3; i++ {
		if ok, _ := b.take(); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	if ok, wait := b.take(); ok || wait != 100*time.Millisecond {
		t.Fatalf("after the burst: %v, wait %v; want refused, 100ms", ok, wait)
	}
	clock = clock.Add(40 * time.Millisecond)
	if ok, wait := b.take(); ok || wait != 60*time.Millisecond {
		t.Fatalf("40 ms later: %v, wait %v; want refused, 60ms", ok, wait)
	}
	clock = clock.Add(60 * time.Millisecond)
	if ok, _ := b.take(); !ok {
		t.Fatal("100 ms after the burst: refused")
	}
	clock = clock.Add(time.Hour) // refills to burst, no more
	n := 0
	for ok := true; ok; n++ {
		ok, _ = b.take()
	}
	if n-1 != 3 {
		t.Fatalf("after an hour: %d admitted at once, want 3", n-1)
	}
}

// TestBucketConcurrent: goroutines racing on a full bucket with a frozen
// clock get exactly burst tokens between them.
func TestBucketConcurrent(t *testing.T) {
	clock := time.Unix(1e9, 0)
	b := newBucket(1, 1000, func() time.Time { return clock })
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if ok, _ := b.take(); ok {
					admitted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if got := admitted.Load(); got != 1000 {
		t.Fatalf("%d admitted, want the burst, 1000", got)
	}
}
