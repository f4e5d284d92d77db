package poisoning

import (
	"fmt"
	"math"

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

// hampel flags run points far from the median of their centred window.
func (d *detector) hampel(pts []point, x []float64, hits map[int][]hit) {
	h, k := d.cfg.HampelHalf, d.cfg.HampelK
	floor := d.cfg.MinMove / k
	win := newSlidingWindow(x, 2*h+1)
	for j, p := range pts {
		win.slide(max(0, j-h), min(len(x), j+h+1))
		if p.row < 0 {
			continue
		}
		if win.len() < h+2 {
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
	win := newRing(c.Window)
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
		if p.row < 0 {
			win.push(r)
			last = x[j]
			continue
		}
		d.moves[p.row] = math.Abs(step)
		flagged, accept := false, true
		if win.len() >= 10 {
			med, mad := win.stats()
			z := validators.RobustZ(r, med, mad, floor)
			d.track(CodeMADOutlier, z)
			if z > c.MADK && math.Abs(r) > c.MinMove && !persistent(x, j, step, c.Persist) {
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
				accept = accept && persistent(x, j, step, c.Persist)
			}
		}
		if flagged && d.confirmed(p, math.Abs(step)) {
			accept = true
		}
		if accept {
			win.push(r)
			last = x[j]
		}
	}
}

// persistent reports whether the points after j stay at x[j]'s level: the
// median of the next n is within a third of the move step of x[j].
func persistent(x []float64, j int, step float64, n int) bool {
	if j+n >= len(x) {
		return false
	}
	return math.Abs(validators.Median(x[j+1:j+1+n])-x[j]) <= math.Abs(step)/3
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
	return n >= d.cfg.ConfirmQuorum && n > 0 && math.Abs(math.Log(p.v/med)) <= math.Max(d.cfg.Band, move/3)
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

func (r *ring) push(v float64) {
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
