package console

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// Series is a value row's context: the source's values around the point
// with its peers' values, their median and the tolerated band, the
// quarantined points marked. X is Unix seconds; values are nil where a
// source has none.
type Series struct {
	Dataset     string                `json:"dataset"`
	ValueColumn string                `json:"valueColumn"`
	TimeColumn  string                `json:"timeColumn"`
	Point       int64                 `json:"point"`
	Band        float64               `json:"band"`
	X           []int64               `json:"x"`
	Values      map[string][]*float64 `json:"values"`
	Median      []*float64            `json:"median"`
	Lower       []*float64            `json:"lower"`
	Upper       []*float64            `json:"upper"`
	// Flagged are the quarantined points of the dataset in the window.
	Flagged []int64 `json:"flagged"`
}

// seriesWindow is how many of the source's points either side of the
// flagged one are drawn.
const seriesWindow = 48

// peerTolerance is how far apart in time a peer's point may be from the
// source's to be compared with it.
const peerTolerance = 45 * time.Minute

var (
	timeColumns = []string{"ts", "time", "timestamp"}
	bandRE      = regexp.MustCompile(`band ([0-9.]+)%`)
)

type point struct {
	t time.Time
	v float64
}

// series returns e's series context, or nil for a row without a time and
// a numeric value named in its reasons.
func (c *Console) series(ctx context.Context, e *store.QuarantineEntry) (*Series, error) {
	var vals map[string]any
	if err := json.Unmarshal(e.RowJSON, &vals); err != nil {
		return nil, nil
	}
	tcol, vcol := "", ""
	for _, t := range timeColumns {
		if _, ok := vals[t]; ok {
			tcol = t
			break
		}
	}
	for _, r := range e.Reasons { // "code: price 49.37 at …"
		_, rest, _ := strings.Cut(r, ": ")
		if w := strings.Fields(rest); len(w) > 1 {
			if s, ok := vals[w[0]].(string); ok {
				if _, num := parseNum(s); num {
					vcol = w[0]
					break
				}
			}
		}
	}
	at, ok := parseTime(str(vals[tcol]))
	if tcol == "" || vcol == "" || !ok {
		return nil, nil
	}
	own, err := c.points(ctx, e.Dataset, tcol, vcol)
	if err != nil {
		return nil, err
	}
	q, err := c.cfg.Store.QuarantineList(ctx, store.QuarantineFilter{Dataset: e.Dataset})
	if err != nil {
		return nil, err
	}
	var flagged []int64
	for _, x := range q {
		var v map[string]any
		if json.Unmarshal(x.RowJSON, &v) != nil {
			continue
		}
		t, ok1 := parseTime(str(v[tcol]))
		f, ok2 := parseNum(str(v[vcol]))
		if ok1 && ok2 {
			own = append(own, point{t, f})
			if x.Status == store.QuarantinePending || x.ID == e.ID {
				flagged = append(flagged, t.Unix())
			}
		}
	}
	sort.Slice(own, func(i, j int) bool { return own[i].t.Before(own[j].t) })
	own = slices.CompactFunc(own, func(a, b point) bool { return a.t.Equal(b.t) })
	i := sort.Search(len(own), func(i int) bool { return !own[i].t.Before(at) })
	lo, hi := max(i-seriesWindow, 0), min(i+seriesWindow+1, len(own))
	win := own[lo:hi]
	s := &Series{Dataset: e.Dataset, ValueColumn: vcol, TimeColumn: tcol, Point: at.Unix(), Band: 0.02, Values: map[string][]*float64{}, Flagged: []int64{}}
	for _, r := range e.Reasons {
		if m := bandRE.FindStringSubmatch(r); m != nil {
			if b, err := strconv.ParseFloat(m[1], 64); err == nil {
				s.Band = b / 100
			}
		}
	}
	srcs := [][]*float64{}
	ownVals := make([]*float64, len(win))
	for j, p := range win {
		s.X = append(s.X, p.t.Unix())
		ownVals[j] = ptr(p.v)
	}
	s.Values[e.Dataset] = ownVals
	srcs = append(srcs, ownVals)
	for _, peer := range c.peersOf(e.Dataset) {
		if !allowed(ctx, peer) {
			continue
		}
		pts, err := c.points(ctx, peer, tcol, vcol)
		if err != nil {
			return nil, err
		}
		vals := align(win, pts)
		s.Values[peer] = vals
		srcs = append(srcs, vals)
	}
	for j := range win {
		var xs []float64
		for _, src := range srcs {
			if src[j] != nil {
				xs = append(xs, *src[j])
			}
		}
		if len(xs) < 2 {
			s.Median, s.Lower, s.Upper = append(s.Median, nil), append(s.Lower, nil), append(s.Upper, nil)
			continue
		}
		m := median(xs)
		s.Median, s.Lower, s.Upper = append(s.Median, ptr(m)), append(s.Lower, ptr(m*(1-s.Band))), append(s.Upper, ptr(m*(1+s.Band)))
	}
	for _, f := range flagged {
		if len(s.X) > 0 && f >= s.X[0] && f <= s.X[len(s.X)-1] {
			s.Flagged = append(s.Flagged, f)
		}
	}
	return s, nil
}

// peersOf returns the datasets the job writing dataset compares it with.
func (c *Console) peersOf(dataset string) []string {
	for _, j := range c.cfg.Jobs {
		if j.Dataset == dataset {
			return j.Peers
		}
	}
	return nil
}

// points reads a dataset's (time, value) points, oldest first.
func (c *Console) points(ctx context.Context, dataset, tcol, vcol string) ([]point, error) {
	rows, err := c.readRows(ctx, dataset, []string{tcol, vcol}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]point, 0, len(rows))
	for _, r := range rows {
		t, ok1 := parseTime(r[tcol])
		v, ok2 := parseNum(r[vcol])
		if ok1 && ok2 {
			out = append(out, point{t, v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].t.Before(out[j].t) })
	return out, nil
}

// align returns, for each point of win, the nearest of pts within
// peerTolerance (nil when none).
func align(win, pts []point) []*float64 {
	out := make([]*float64, len(win))
	for j, p := range win {
		k := sort.Search(len(pts), func(i int) bool { return !pts[i].t.Before(p.t) })
		best, bestD := -1, peerTolerance+1
		for _, c := range []int{k - 1, k} {
			if c >= 0 && c < len(pts) {
				if d := absDur(pts[c].t.Sub(p.t)); d <= peerTolerance && d < bestD {
					best, bestD = c, d
				}
			}
		}
		if best >= 0 {
			out[j] = ptr(pts[best].v)
		}
	}
	return out
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func ptr(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
