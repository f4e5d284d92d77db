package scenarios

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// priceConfig is the validation section of each price job; %s is the
// job's own source, the peers are the other two.
const priceConfig = `version: 1
jobs:
  - name: comp-%[1]s
    dataset: comp_%[1]s
    source: {kind: file, path: unused.csv, columns: [{name: ts, type: timestamp}]}
    validation:
      checks:
        - kind: poisoning.schema
        - kind: poisoning.duplicates
        - kind: poisoning.series
          value: price
          time: ts
          peers: [{dataset: comp_%[2]s}, {dataset: comp_%[3]s}]
        - kind: poisoning.cross_source
          value: price
          time: ts
          peers: [{dataset: comp_%[2]s}, {dataset: comp_%[3]s}]
          band: 0.02
          bias: 0.0075
        - kind: poisoning.drift
          columns: [price]
        - kind: gaps.freshness
          time: ts
          heartbeat: 90m
          value: price
          max_flat: 3h
        - kind: gaps.time_buckets
          time: ts
          interval: 1h
          min_missing: 2
`

var sourceNames = []string{"a", "b", "c"}

// priceSuite decodes priceConfig for source s.
func priceSuite(t *testing.T, s string) *validators.Suite {
	var peers []string
	for _, o := range sourceNames {
		if o != s {
			peers = append(peers, o)
		}
	}
	cfg, err := config.Parse("prices.yaml", []byte(fmt.Sprintf(priceConfig, s, peers[0], peers[1])), nil)
	if err != nil {
		t.Fatal(err)
	}
	return buildSuite(t, &cfg.Jobs[0])
}

// loadCOMP reads the real COMP/USD series.
func loadCOMP(t *testing.T) []validatorstest.Point {
	f, err := os.Open(shareddata.SharedData(t, "prices/comp_usd.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pts := make([]validatorstest.Point, 0, len(recs))
	for _, r := range recs {
		ms, _ := strconv.ParseInt(r[0], 10, 64)
		v, _ := strconv.ParseFloat(r[1], 64)
		pts = append(pts, validatorstest.Point{T: time.UnixMilli(ms).UTC(), V: v})
	}
	return pts
}

// threeSources builds sources a, b, c from the real series: a is the
// series itself; b and c observe it a few minutes earlier or later (linear
// interpolation) with 0.1% independent noise, like two other exchanges.
func threeSources(base []validatorstest.Point) map[string][]validatorstest.Point {
	out := map[string][]validatorstest.Point{"a": base}
	for i, name := range []string{"b", "c"} {
		rng := rand.New(rand.NewPCG(uint64(i+1), 42))
		pts := make([]validatorstest.Point, 0, len(base))
		for j, p := range base {
			shift := time.Duration(rng.IntN(601)-300) * time.Second
			v := interpolate(base, j, p.T.Add(shift)) * (1 + 0.001*rng.NormFloat64())
			pts = append(pts, validatorstest.Point{T: p.T.Add(shift).Truncate(time.Millisecond), V: v})
		}
		out[name] = pts
	}
	return out
}

func interpolate(pts []validatorstest.Point, j int, t time.Time) float64 {
	a, b := j, j+1
	if t.Before(pts[j].T) {
		a, b = j-1, j
	}
	if a < 0 || b >= len(pts) {
		return pts[j].V
	}
	f := float64(t.Sub(pts[a].T)) / float64(pts[b].T.Sub(pts[a].T))
	return pts[a].V + f*(pts[b].V-pts[a].V)
}

// labels say which rows of a scenario are bad: by source and time.
type labels struct {
	bad      map[string]map[int64]string // source → time (µs) → family
	grey     map[string]map[int64]bool   // neither good nor bad (excluded)
	missing  []missingSpan               // removed stretches (gaps incidents)
	wantNone bool                        // no row may be flagged
	window   [2]int64                    // the scenario's time range (µs), for real moves
}

type missingSpan struct {
	source   string
	from, to time.Time
}

func newLabels() *labels {
	return &labels{bad: map[string]map[int64]string{}, grey: map[string]map[int64]bool{}}
}

func (l *labels) markBad(src string, t time.Time, family string) {
	if l.bad[src] == nil {
		l.bad[src] = map[int64]string{}
	}
	l.bad[src][t.UnixMicro()] = family
}

func (l *labels) markGrey(src string, t time.Time) {
	if l.grey[src] == nil {
		l.grey[src] = map[int64]bool{}
	}
	l.grey[src][t.UnixMicro()] = true
}

// priceScenario injects faults into the window's points of the sources.
type priceScenario struct {
	name     string
	from, to time.Time
	inject   func(win map[string][]validatorstest.Point, l *labels)
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var priceScenarios = []priceScenario{
	{"spikes in one source (quarantined)", day("2021-08-01"), day("2021-08-15"), injectSpikes},
	{"real crash in all three (2021-05-19)", day("2021-05-16"), day("2021-05-24"), func(_ map[string][]validatorstest.Point, l *labels) { l.wantNone = true }},
	{"real +23% hour in all three (2023-01-14)", day("2023-01-10"), day("2023-01-18"), func(_ map[string][]validatorstest.Point, l *labels) { l.wantNone = true }},
	{"one source frozen for 8 hours", day("2021-10-01"), day("2021-10-08"), injectFreeze},
	{"missing hours in one source", day("2021-11-01"), day("2021-11-15"), injectMissing},
	{"slow drift of one source over days", day("2022-03-01"), day("2022-03-15"), injectDrift},
}

// injectSpikes multiplies single points (and one pair) of source b.
func injectSpikes(win map[string][]validatorstest.Point, l *labels) {
	for _, s := range []struct {
		at     int
		factor float64
	}{{30, 1.40}, {90, 0.75}, {150, 1.12}, {151, 1.12}, {220, 1.06}, {290, 0.93}} {
		p := &win["b"][s.at]
		p.V *= s.factor
		l.markBad("b", p.T, "poisoning")
	}
}

// injectFreeze repeats source c's value for 8 hours.
func injectFreeze(win map[string][]validatorstest.Point, l *labels) {
	pts := win["c"]
	start := 80
	for i := start + 1; i < len(pts) && pts[i].T.Sub(pts[start].T) <= 8*time.Hour; i++ {
		pts[i].V = pts[start].V
		l.markBad("c", pts[i].T, "gaps")
	}
}

// injectMissing removes three stretches (3, 6 and 24 hours) of source a.
func injectMissing(win map[string][]validatorstest.Point, l *labels) {
	pts := win["a"]
	var keep []validatorstest.Point
	spans := []missingSpan{
		{"a", pts[40].T.Truncate(time.Hour).Add(time.Hour), pts[40].T.Truncate(time.Hour).Add(4 * time.Hour)},
		{"a", pts[120].T.Truncate(time.Hour).Add(time.Hour), pts[120].T.Truncate(time.Hour).Add(7 * time.Hour)},
		{"a", pts[220].T.Truncate(time.Hour).Add(time.Hour), pts[220].T.Truncate(time.Hour).Add(25 * time.Hour)},
	}
	for _, p := range pts {
		in := false
		for _, s := range spans {
			in = in || !p.T.Before(s.from) && p.T.Before(s.to)
		}
		if !in {
			keep = append(keep, p)
		}
	}
	win["a"] = keep
	l.missing = spans
}

// injectDrift adds to source b an offset rising from 0 to 5% over four
// days, held for a day. Rows offset by less than 1% are grey: within the
// sources' normal disagreement, not labelled either way.
func injectDrift(win map[string][]validatorstest.Point, l *labels) {
	pts := win["b"]
	start := pts[48].T
	for i := range pts {
		h := pts[i].T.Sub(start).Hours()
		off := 0.0
		switch {
		case h < 0 || h > 120:
			continue
		case h <= 96:
			off = 0.05 * h / 96
		default:
			off = 0.05
		}
		pts[i].V *= 1 + off
		if off >= 0.01 {
			l.markBad("b", pts[i].T, "poisoning")
		} else if off > 0 {
			l.markGrey("b", pts[i].T)
		}
	}
}

func window(pts []validatorstest.Point, from, to time.Time) []validatorstest.Point {
	var out []validatorstest.Point
	for _, p := range pts {
		if !p.T.Before(from) && p.T.Before(to) {
			out = append(out, p)
		}
	}
	return out
}

// TestPriceScenarios runs every price scenario and scores it.
func TestPriceScenarios(t *testing.T) {
	srcs := threeSources(loadCOMP(t))
	suites := map[string]*validators.Suite{}
	for _, s := range sourceNames {
		suites[s] = priceSuite(t, s)
	}
	for _, sc := range priceScenarios {
		t.Run(sc.name, func(t *testing.T) {
			clean := runPrices(t, srcs, suites, sc, nil)
			l := newLabels()
			dirty := runPrices(t, srcs, suites, sc, func(w map[string][]validatorstest.Point) { sc.inject(w, l) })
			scorePrices(t, sc.name, l, clean, dirty)
		})
	}
}

// priceRun is the outcome of validating each source's window.
type priceRun map[string]*validators.Outcome

// runPrices validates each source's window (after inject) against 30 days
// of history and its peers' windows.
func runPrices(t *testing.T, srcs map[string][]validatorstest.Point, suites map[string]*validators.Suite, sc priceScenario, inject func(map[string][]validatorstest.Point)) priceRun {
	win := map[string][]validatorstest.Point{}
	for s, pts := range srcs {
		win[s] = append([]validatorstest.Point(nil), window(pts, sc.from, sc.to)...)
	}
	if inject != nil {
		inject(win)
	}
	out := priceRun{}
	for _, s := range sourceNames {
		h := validators.NewMemHistory()
		for _, o := range sourceNames {
			recs := []arrow.RecordBatch{validatorstest.PriceRecord(o, window(srcs[o], sc.from.AddDate(0, 0, -30), sc.from))}
			if o != s {
				recs = append(recs, validatorstest.PriceRecord(o, win[o]))
			}
			h.Add("comp_"+o, validatorstest.PriceSchema(), recs...)
			releaseAll(recs)
		}
		rec := validatorstest.PriceRecord(s, win[s])
		out[s] = run(t, suites[s], "comp_"+s, validatorstest.PriceSchema(), []arrow.RecordBatch{rec}, h, sc.to.Add(10*time.Minute))
		rec.Release()
		t.Cleanup(h.Release)
	}
	return out
}
