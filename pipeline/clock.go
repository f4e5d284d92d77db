package pipeline

import "time"

// Clock is the time source of a Scheduler: its notion of now and its
// timers. Nil means the real clock; tests pass a fake one to move time
// themselves instead of sleeping.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a timer that fires once, d from now.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer of a Clock, with the semantics of a
// time.Timer since Go 1.23 (Reset and Stop discard an expiry not yet
// received).
type Timer interface {
	// C returns the channel the expiry time is sent on.
	C() <-chan time.Time
	// Reset makes the timer fire d from now.
	Reset(d time.Duration)
	// Stop stops the timer.
	Stop()
}

// realClock is the system clock.
type realClock struct{}

func (realClock) Now() time.Time                 { return time.Now() }
func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time   { return r.t.C }
func (r realTimer) Reset(d time.Duration) { r.t.Reset(d) }
func (r realTimer) Stop()                 { r.t.Stop() }
