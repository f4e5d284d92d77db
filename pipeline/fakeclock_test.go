package pipeline_test

import (
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// fakeClock is a pipeline.Clock whose time moves only when a test calls
// advance; its timers fire then, with the clock's time.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	arms   int // timers armed so far (NewTimer and Reset)
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) pipeline.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, ch: make(chan time.Time, 1)}
	t.arm(c.now.Add(d))
	c.timers = append(c.timers, t)
	return t
}

// advance sets the clock to at and fires the timers due by then.
func (c *fakeClock) advance(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = at
	for _, t := range c.timers {
		if t.armed && !t.when.After(at) {
			t.armed = false
			t.ch <- at // buffered, emptied by arm: never blocks
		}
	}
}

// armCount returns how many times a timer was armed (NewTimer or Reset).
// A scheduler loop re-arms its timer as the last step of handling each
// event, so a test that knows how many events it caused waits for this
// count to know every loop is idle again.
func (c *fakeClock) armCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.arms
}

// armedAt reports whether a timer is armed to fire at when.
func (c *fakeClock) armedAt(when time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.timers {
		if t.armed && t.when.Equal(when) {
			return true
		}
	}
	return false
}

type fakeTimer struct {
	c     *fakeClock
	ch    chan time.Time
	when  time.Time
	armed bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Reset(d time.Duration) {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.arm(t.c.now.Add(d))
}

func (t *fakeTimer) Stop() {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.armed = false
	t.drain()
}

// arm sets the expiry, dropping one not yet received (as time.Timer does
// since Go 1.23); the clock's lock is held.
func (t *fakeTimer) arm(when time.Time) {
	t.drain()
	t.when, t.armed = when, true
	t.c.arms++
}

func (t *fakeTimer) drain() {
	select {
	case <-t.ch:
	default:
	}
}

// TestFakeClock checks the test clock itself: a timer fires only when the
// clock reaches it, with the clock's time, and Reset drops an expiry that
// was not received.
func TestFakeClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newFakeClock(t0)
	tm := c.NewTimer(time.Second)
	c.advance(t0.Add(999 * time.Millisecond))
	select {
	case v := <-tm.C():
		t.Fatalf("fired early at %v", v)
	default:
	}
	if !c.armedAt(t0.Add(time.Second)) {
		t.Fatal("the timer is not armed at t0+1s")
	}
	c.advance(t0.Add(1500 * time.Millisecond))
	if v := <-tm.C(); !v.Equal(t0.Add(1500 * time.Millisecond)) {
		t.Fatalf("fired with %v", v)
	}
	c.advance(t0.Add(3 * time.Second))
	tm.Reset(time.Second) // the expiry is at t0+4s, nothing pending
	c.advance(t0.Add(3500 * time.Millisecond))
	select {
	case v := <-tm.C():
		t.Fatalf("a stale or early expiry was delivered: %v", v)
	default:
	}
	if n := c.armCount(); n != 2 {
		t.Fatalf("armed %d times, want 2 (NewTimer and Reset)", n)
	}
}
