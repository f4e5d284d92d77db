package serve

import (
	"math"
	"sync/atomic"
	"time"
)

// bucket is a token bucket of rate tokens a second holding at most burst,
// kept as the generic cell rate algorithm (GCRA): one atomic "theoretical
// arrival time" that each admitted request moves forward by 1/rate. It
// takes no lock: every request of a token passes through its bucket, and
// a lock there is one a descheduled goroutine could hold up all the
// token's other requests with.
type bucket struct {
	rate float64 // named in refusals
	now  func() time.Time
	base time.Time
	// step is 1/rate and tolerance (burst−1)/rate, in nanoseconds.
	step, tolerance int64
	// tat is when, in nanoseconds since base, the bucket is full again.
	tat atomic.Int64
}

func newBucket(rate, burst float64, now func() time.Time) *bucket {
	step := max(1, int64(math.Round(float64(time.Second)/rate)))
	return &bucket{rate: rate, now: now, base: now(), step: step,
		tolerance: int64(math.Round(max(0, burst-1) * float64(time.Second) / rate))}
}

// take takes one token, or says how long to wait for one.
func (b *bucket) take() (bool, time.Duration) {
	now := int64(b.now().Sub(b.base))
	for {
		old := b.tat.Load()
		tat := max(old, now)
		if late := tat - now - b.tolerance; late > 0 {
			return false, time.Duration(late)
		}
		if b.tat.CompareAndSwap(old, tat+b.step) {
			return true, 0
		}
	}
}
