package poisoning

import (
	"fmt"
	"math"
	"time"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// detector runs the series checks over the groups of one run.
type detector struct {
	cfg    *SeriesConfig
	name   string
	peers  []peerSeries
	out    []validators.Finding
	maxVal map[validators.Code]float64
	failed map[validators.Code]bool
	buf    []float64
	// moves holds each run row's |step| from the last accepted value
	moves []float64
}

// hit is one detection on a run point.
type hit struct {
	code             validators.Code
	value, threshold float64
	msg              string
}

func (d *detector) run(pts []point) {
	if d.failed == nil {
		d.failed = map[validators.Code]bool{}
	}
	x, useLog := transform(pts)
	hits := make(map[int][]hit)
	d.hampel(pts, x, hits)
	d.trailing(pts, x, useLog, hits)
	for j, p := range pts {
		if p.row < 0 {
			continue
		}
		d.pinned(p, hits[j])
		if hs := hits[j]; len(hs) > 0 {
			d.emit(p, hs)
		}
	}
}

// transform returns log values when every value is positive.
func transform(pts []point) ([]float64, bool) {
	x := make([]float64, len(pts))
	useLog := true
	for _, p := range pts {
		if p.v <= 0 {
			useLog = false
			break
		}
	}
	for i, p := range pts {
		if useLog {
			x[i] = math.Log(p.v)
		} else {
			x[i] = p.v
		}
	}
	return x, useLog
}

// maxHampelHalf caps the points on each side of a centred Hampel window
// measured in time: a feed denser than one point in 11m15s (6h / 32) is
// judged over its nearest 32 points each side, which keeps the check
// linear in the rows.
const maxHampelHalf = 32

// hampel flags run points far from the median of their centred window.
func (d *detector) hampel(pts []point, x []float64, hits map[int][]hit) {
	h, k := d.cfg.HampelHalf, d.cfg.HampelK
	floor := d.cfg.MinMove / k
	span, timed := d.span(d.cfg.HampelSpan)
	win := newSlidingWindow(x, 2*h+1)
	lo, hi := 0, 0
	for j, p := range pts {
		if timed {
			// hampel_span, at most maxHampelHalf points each side
			for lo < j && (pts[lo].t < p.t-span || j-lo > maxHampelHalf) {
				lo++
			}
			for hi < len(pts) && pts[hi].t <= p.t+span && hi-j <= maxHampelHalf {
				hi++
			}
		} else {
			lo, hi = max(0, j-h), min(len(x), j+h+1)
		}
		win.slide(lo, hi)
		if p.row < 0 {
			continue
		}
		if (!timed && win.len() < h+2) || (timed && (lo == j || hi <= j+1 || win.len() < 5)) {
			continue
		}
		med, mad := win.medianMAD()
		z := validators.RobustZ(x[j], med, mad, floor)
		d.track(CodeHampelOutlier, z)
		if z > k {
			hits[j] = append(hits[j], hit{CodeHampelOutlier, z, k,
				fmt.Sprintf("%s is %.1f scaled MADs from the median of its %d-point centred window (threshold %g)", d.describe(p), z, win.len(), k)})
		}
	}
}

// trailing runs the MAD check on returns and the jump guard.
func (d *detector) trailing(pts []point, x []float64, useLog bool, hits map[int][]hit) {
	c := d.cfg
	floor := c.MinMove / c.MADK
	var win returnWindow = newRing(c.Window)
	if span, ok := d.span(c.WindowSpan); ok {
		win = &timeRing{span: span}
	}
	last, have := 0.0, false
	for j, p := range pts {
		if !have {
			last, have = x[j], true
			continue
		}
		step := x[j] - last
		r := step
		if !useLog {
			r = step / math.Max(math.Abs(last), 1e-12)
		}
		win.evict(p.t)
		if p.row < 0 {
			win.push(p.t, r)
			last = x[j]
			continue
		}
		d.moves[p.row] = math.Abs(step)
		flagged, accept := false, true
		if win.len() >= 10 {
			med, mad := win.stats()
			z := validators.RobustZ(r, med, mad, floor)
			d.track(CodeMADOutlier, z)
			if z > c.MADK && math.Abs(r) > c.MinMove && !d.persistent(pts, x, j, step) {
				hits[j] = append(hits[j], hit{CodeMADOutlier, z, c.MADK,
					fmt.Sprintf("%s: return %+.4f is %.1f scaled MADs from the median of the last %d accepted returns (threshold %g) and does not persist", d.describe(p), r, z, win.len(), c.MADK)})
				flagged, accept = true, false
			}
		}
		if c.Jump > 0 {
			d.track(CodeJump, math.Abs(r))
			if math.Abs(r) > c.Jump {
				hits[j] = append(hits[j], hit{CodeJump, math.Abs(r), c.Jump,
					fmt.Sprintf("%s: |return| %.4f from the last accepted value exceeds the jump guard %g", d.describe(p), math.Abs(r), c.Jump)})
				flagged = true
				accept = accept && d.persistent(pts, x, j, step)
			}
		}
		if flagged && d.confirmed(p, math.Abs(step)) {
			accept = true
		}
		if accept {
			win.push(p.t, r)
			last = x[j]
		}
	}
}

// persistent reports whether the points after j do not revert the move
// step that reached x[j]: the median of the next persist points (or of the
// points up to persist_span later, when the series reaches that far) is at
// least two thirds of the step away from the level before it, on the
// step's side. A spike returns and fails; a level shift, or a move that
// goes on in the same direction (a real move that one sample splits in
// two), holds.
func (d *detector) persistent(pts []point, x []float64, j int, step float64) bool {
	n := d.cfg.Persist
	if span, ok := d.span(d.cfg.PersistSpan); ok {
		end := pts[j].t + span
		n = 0
		for k := j + 1; k < len(pts) && pts[k].t <= end; k++ {
			n++
		}
		if n == 0 || pts[len(pts)-1].t < end {
			return false
		}
	}
	if j+n >= len(x) {
		return false
	}
	before := x[j] - step
	return (validators.Median(x[j+1:j+1+n])-before)*math.Copysign(1, step) >= 2*math.Abs(step)/3
}

// span returns a window's length in the points' time unit (microseconds)
// and whether it applies: a time column is set and the span is positive.
func (d *detector) span(v validators.Duration) (int64, bool) {
	if d.cfg.Time == "" || v <= 0 {
		return 0, false
	}
	return int64(v.D() / time.Microsecond), true
}

func (d *detector) pinned(p point, _ []hit) {
	c := d.cfg
	switch {
	case c.Min != nil && p.v <= *c.Min:
		d.add(p, hit{CodePinnedBound, p.v, *c.Min, fmt.Sprintf("%s is at or below the minimum %g", d.describe(p), *c.Min)})
	case c.Max != nil && p.v >= *c.Max:
		d.add(p, hit{CodePinnedBound, p.v, *c.Max, fmt.Sprintf("%s is at or above the maximum %g", d.describe(p), *c.Max)})
	}
}

// emit turns the hits of one point into findings, replacing them with one
// confirmed move when the peers agree with the value.
func (d *detector) emit(p point, hs []hit) {
	if d.confirmed(p, d.moves[p.row]) {
		med, n := d.peerMedian(p)
		d.out = append(d.out, validators.Finding{Code: CodeConfirmedMove, Severity: validators.Info, Validator: d.name,
			Rows: []int{p.row}, Value: math.Abs(math.Log(p.v / med)), Threshold: d.cfg.Band,
			Message: fmt.Sprintf("%s was flagged (%s) but is within %g of the median %.6g of %d peers: a real move", d.describe(p), hs[0].code, d.cfg.Band, med, n)})
		return
	}
	for _, h := range hs {
		d.add(p, h)
	}
}

func (d *detector) add(p point, h hit) {
	d.failed[h.code] = true
	d.out = append(d.out, validators.Finding{Code: h.code, Severity: validators.Error, Validator: d.name,
		Rows: []int{p.row}, Value: h.value, Threshold: h.threshold, Message: h.msg})
}

// confirmed reports whether enough peers observed p's value: within band
// of their median, or, for a move of size move (log), within a third of
// it (peers that moved at least two thirds as far the same way confirm
// the move: sources sampled minutes apart in a fast market differ by more
// than the band, a spike of one source stays as far from its peers as it
// moved).
func (d *detector) confirmed(p point, move float64) bool {
	if len(d.peers) == 0 || p.v <= 0 {
		return false
	}
	med, n := d.peerMedian(p)
	if n >= d.cfg.ConfirmQuorum && n > 0 && math.Abs(math.Log(p.v/med)) <= math.Max(d.cfg.Band, move/3) {
		return true
	}
	// every peer saw the value between its readings around p's time
	return bracketed(d.peers, p.t, int64(d.cfg.Tolerance.D()/1000), p.v, d.cfg.Band, d.cfg.ConfirmQuorum)
}

func (d *detector) peerMedian(p point) (float64, int) {
	d.buf = peerValues(d.peers, p.t, int64(d.cfg.Tolerance.D()/1000), d.buf)
	return validators.Median(d.buf), len(d.buf)
}

func (d *detector) describe(p point) string {
	if d.cfg.Time != "" {
		return fmt.Sprintf("%s %.6g at %s", d.cfg.Value, p.v, validators.FormatTime(p.t))
	}
	return fmt.Sprintf("%s %.6g", d.cfg.Value, p.v)
}

func (d *detector) track(c validators.Code, v float64) {
	if !math.IsNaN(v) && !math.IsInf(v, 0) && v > d.maxVal[c] {
		d.maxVal[c] = v
	}
}

// finish returns the findings with a passing finding for each check that
// ran and found nothing.
func (d *detector) finish(ran bool) []validators.Finding {
	if !ran {
		return d.out
	}
	thr := map[validators.Code]float64{CodeMADOutlier: d.cfg.MADK, CodeHampelOutlier: d.cfg.HampelK, CodeJump: d.cfg.Jump}
	for _, c := range []validators.Code{CodeHampelOutlier, CodeMADOutlier, CodeJump} {
		if v, ok := d.maxVal[c]; ok && !d.failed[c] {
			d.out = append(d.out, validators.Pass(d.name, c, v, thr[c], fmt.Sprintf("largest measured value %.4g, threshold %g", v, thr[c])))
		}
	}
	return d.out
}

func midpoint(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ring is a fixed-size window of returns whose median and MAD are
// recomputed every few pushes (they move slowly).
type ring struct {
	vals           []float64
	next, n, dirty int
	med, mad       float64
	computed       bool
}

func newRing(size int) *ring { return &ring{vals: make([]float64, size)} }

// returnWindow is the trailing window of accepted returns: a count of
// points (ring) or a span of time (timeRing).
type returnWindow interface {
	push(t int64, v float64)
	evict(now int64)
	len() int
	stats() (float64, float64)
}

func (r *ring) evict(int64) {}

func (r *ring) push(_ int64, v float64) {
	r.vals[r.next] = v
	r.next = (r.next + 1) % len(r.vals)
	r.n = min(r.n+1, len(r.vals))
	r.dirty++
}

func (r *ring) len() int { return r.n }

func (r *ring) stats() (float64, float64) {
	if !r.computed || r.n < len(r.vals) || r.dirty >= max(1, len(r.vals)/8) {
		r.med, r.mad = medianMADSmall(r.vals[:r.n])
		r.dirty, r.computed = 0, true
	}
	return r.med, r.mad
}
