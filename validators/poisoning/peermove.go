package poisoning

import (
	"math"
	"sort"
)

// timingAllowance is how far apart two honest sources can be only because
// they observed at different instants: the time between this point and
// the farthest peer observation used (at most the tolerance), times the
// slowest peer's own rate of change around t (|log change| per
// microsecond between its observations bracketing t). It is relative to
// the series' own movement at that moment, so it scales with any token's
// volatility and sampling interval and needs no constant; taking the
// slowest peer keeps one poisoned peer (whose spike is a fast "move")
// from widening the band.
func timingAllowance(peers []peerSeries, t, tol int64) float64 {
	slowest, offset, n := math.Inf(1), int64(0), 0
	for i := range peers {
		at, ok := peers[i].nearestTime(t, tol)
		if !ok {
			continue
		}
		n++
		offset = max(offset, abs64(at-t))
		slowest = math.Min(slowest, peers[i].rateAround(t))
	}
	if n == 0 || math.IsInf(slowest, 1) {
		return 0
	}
	return slowest * float64(offset)
}

// nearestTime returns the time of the observation nearest to t within tol
// (the one nearest returns).
func (p *peerSeries) nearestTime(t, tol int64) (int64, bool) {
	i := sort.Search(len(p.t), func(i int) bool { return p.t[i] >= t })
	best, bestD := int64(0), int64(math.MaxInt64)
	for _, j := range []int{i - 1, i} {
		if j >= 0 && j < len(p.t) {
			if d := abs64(p.t[j] - t); d < bestD {
				best, bestD = p.t[j], d
			}
		}
	}
	return best, bestD <= tol
}

// rateAround returns the peer's |log change| per microsecond between its
// observations bracketing t (the last two before or the first two after
// t at the edges); 0 when it has fewer than two observations.
func (p *peerSeries) rateAround(t int64) float64 {
	i := sort.Search(len(p.t), func(i int) bool { return p.t[i] >= t })
	a, b := i-1, i
	switch {
	case len(p.t) < 2:
		return 0
	case a < 0:
		a, b = 0, 1
	case b >= len(p.t):
		a, b = len(p.t)-2, len(p.t)-1
	}
	dt := p.t[b] - p.t[a]
	if dt <= 0 || p.v[a] <= 0 || p.v[b] <= 0 {
		return 0
	}
	return math.Abs(math.Log(p.v[b]/p.v[a])) / float64(dt)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// bracketed reports whether every peer that observed within tol of t (at
// least need of them) saw v between its observations just before and just
// after t, within band (log): the value lies on each peer's own path
// between its readings, so the sources disagree only in when they looked.
// A source that first observes a real move is bracketed by peers whose
// next reading shows it; a spike or a drift of one source is not (the
// peers' readings around it agree with each other, not with it). Every
// observing peer must agree, so one poisoned peer cannot vouch alone.
func bracketed(peers []peerSeries, t, tol int64, v, band float64, need int) bool {
	if v <= 0 {
		return false
	}
	n := 0
	for i := range peers {
		lo, hi, ok := peers[i].around(t, tol)
		if !ok {
			continue
		}
		if math.Log(v/hi) > band || math.Log(lo/v) > band {
			return false
		}
		n++
	}
	return n > 0 && n >= need
}

// around returns the lowest and highest of the peer's observations just
// before and just after t (those within tol; one when only one is).
func (p *peerSeries) around(t, tol int64) (lo, hi float64, ok bool) {
	i := sort.Search(len(p.t), func(i int) bool { return p.t[i] >= t })
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, j := range []int{i - 1, i} {
		if j >= 0 && j < len(p.t) && abs64(p.t[j]-t) <= tol && p.v[j] > 0 {
			lo, hi, ok = math.Min(lo, p.v[j]), math.Max(hi, p.v[j]), true
		}
	}
	return lo, hi, ok
}
