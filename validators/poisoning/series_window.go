package poisoning

import (
	"math"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// timeRing is the trailing window of accepted returns of the last span
// (microseconds): the MAD check of a feed sampled every 5 minutes, 30
// minutes or an hour compares a return with the same stretch of market.
// Its median and MAD are recomputed after a quarter of the window changed
// (pushes and evictions; they move slowly).
type timeRing struct {
	span     int64
	ts       []int64
	vals     []float64
	head     int
	dirty    int
	med, mad float64
	computed bool
	buf      []float64
}

func (r *timeRing) push(t int64, v float64) {
	r.ts = append(r.ts, t)
	r.vals = append(r.vals, v)
	r.dirty++
}

// evict drops the returns older than now minus the span.
func (r *timeRing) evict(now int64) {
	for r.head < len(r.ts) && r.ts[r.head] < now-r.span {
		r.head++
		r.dirty++
	}
	if r.head > 1024 && r.head > len(r.ts)/2 {
		n := copy(r.ts, r.ts[r.head:])
		copy(r.vals, r.vals[r.head:])
		r.ts, r.vals, r.head = r.ts[:n], r.vals[:n], 0
	}
}

func (r *timeRing) len() int { return len(r.ts) - r.head }

func (r *timeRing) stats() (float64, float64) {
	n := r.len()
	if !r.computed || r.dirty >= max(1, n/4) {
		r.med, r.mad = r.medianMAD()
		r.dirty, r.computed = 0, true
	}
	return r.med, r.mad
}

// medianMAD is medianMADSmall for windows of any length: selection in
// reused buffers, linear on average (returns are never NaN: they are
// differences of finite logs).
func (r *timeRing) medianMAD() (float64, float64) {
	vals := r.vals[r.head:]
	if len(vals) <= 64 {
		return medianMADSmall(vals)
	}
	r.buf = append(r.buf[:0], vals...)
	med := selectMedian(r.buf)
	for i, v := range vals {
		r.buf[i] = math.Abs(v - med)
	}
	return med, validators.MADScale * selectMedian(r.buf)
}
