package scenarios

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// realMove is the smallest |log return| between consecutive points of the
// real series that is listed as a real large move: no source may have it
// quarantined.
const realMove = 0.05

// priceSeries are the real series the protocol scenarios are built from.
var priceSeries = []struct{ name, prefix, path string }{
	{"COMP/USD", "comp_", "prices/comp_usd.csv"},
	{"AAVE/USD", "aave_", "prices/aave_usd.csv"},
}

// loadPrices reads a real price series (ms_timestamp,usd without header).
func loadPrices(t *testing.T, path string) []validatorstest.Point {
	f, err := os.Open(shareddata.SharedData(t, path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pts := make([]validatorstest.Point, 0, len(recs))
	for i, r := range recs {
		ms, err1 := strconv.ParseInt(r[0], 10, 64)
		v, err2 := strconv.ParseFloat(r[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s line %d: %v %v", path, i+1, err1, err2)
		}
		pts = append(pts, validatorstest.Point{T: time.UnixMilli(ms).UTC(), V: v})
	}
	return pts
}

// protocolSuites decodes priceConfig for every source with the series'
// dataset prefix.
func protocolSuites(t *testing.T, prefix string) map[string]*validators.Suite {
	out := map[string]*validators.Suite{}
	for _, s := range sourceNames {
		var peers []string
		for _, o := range sourceNames {
			if o != s {
				peers = append(peers, o)
			}
		}
		raw := strings.ReplaceAll(fmt.Sprintf(priceConfig, s, peers[0], peers[1]), "comp_", prefix)
		cfg, err := config.Parse("prices.yaml", []byte(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		out[s] = buildSuite(t, &cfg.Jobs[0])
	}
	return out
}

// largeMoves returns the start times of windows around the n largest real
// moves of base (at least 30 days of history before, windows apart).
func largeMoves(base []validatorstest.Point, n int) []time.Time {
	type mv struct {
		r float64
		i int
	}
	var ms []mv
	for i := 1; i < len(base); i++ {
		ms = append(ms, mv{math.Abs(math.Log(base[i].V / base[i-1].V)), i})
	}
	slices.SortFunc(ms, func(a, b mv) int { return -cmpFloat(a.r, b.r) })
	var out []time.Time
	for _, m := range ms {
		at := base[m.i].T.Truncate(time.Hour).Add(-3 * 24 * time.Hour)
		if at.Before(base[0].T.AddDate(0, 0, 30)) {
			continue
		}
		if !slices.ContainsFunc(out, func(o time.Time) bool { return math.Abs(at.Sub(o).Hours()) < 7*24 }) {
			out = append(out, at)
		}
		if len(out) == n {
			break
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// protocolScenarios are the injected faults of the price suite and
// windows around the four largest real moves of the series.
func protocolScenarios(base []validatorstest.Point) []priceScenario {
	var out []priceScenario
	for _, sc := range priceScenarios {
		if strings.HasPrefix(sc.name, "real") {
			continue
		}
		if strings.Contains(sc.name, "frozen") {
			sc.inject = injectFreezeOnline
		}
		out = append(out, sc)
	}
	for _, at := range largeMoves(base, 4) {
		out = append(out, priceScenario{fmt.Sprintf("real moves around %s", at.Add(72*time.Hour).Format("2006-01-02")), at, at.Add(7 * 24 * time.Hour),
			func(map[string][]validatorstest.Point, *labels) {}})
	}
	return out
}

// injectFreezeOnline is injectFreeze where the repeats within max_flat (3h)
// of the freeze's start are grey: run by run, a value that has not moved
// for less than max_flat is a quiet market, not yet a frozen feed.
func injectFreezeOnline(win map[string][]validatorstest.Point, l *labels) {
	injectFreeze(win, l)
	start := win["c"][80].T
	for us := range l.bad["c"] {
		if time.UnixMicro(us).Sub(start) <= 3*time.Hour {
			delete(l.bad["c"], us)
			l.markGrey("c", time.UnixMicro(us))
		}
	}
}

// realMoves labels, per source, the observations of moves of at least
// realMove in the real series (source b and c observe the same moves).
func realMoves(srcs map[string][]validatorstest.Point) map[string]map[int64]bool {
	out := map[string]map[int64]bool{}
	base := srcs["a"]
	for _, s := range sourceNames {
		out[s] = map[int64]bool{}
		for i := 1; i < len(base); i++ {
			if math.Abs(math.Log(base[i].V/base[i-1].V)) >= realMove {
				out[s][srcs[s][i].T.UnixMicro()] = true
			}
		}
	}
	return out
}

// TestPriceProtocol runs every price scenario of both real series under
// the production protocol in every order, scores each order and requires
// the same findings in every order.
func TestPriceProtocol(t *testing.T) {
	for _, ser := range priceSeries {
		t.Run(ser.name, func(t *testing.T) {
			base := loadPrices(t, ser.path)
			srcs := threeSources(base)
			real := realMoves(srcs)
			suites := protocolSuites(t, ser.prefix)
			for _, sc := range protocolScenarios(base) {
				t.Run(sc.name, func(t *testing.T) {
					var first map[string]*observed
					for _, ord := range protocolOrders {
						l := newLabels()
						l.window = [2]int64{sc.from.UnixMicro(), sc.to.UnixMicro()}
						win, seed := map[string][]validatorstest.Point{}, map[string][]validatorstest.Point{}
						for s, pts := range srcs {
							win[s] = append([]validatorstest.Point(nil), window(pts, sc.from, sc.to)...)
							seed[s] = window(pts, sc.from.AddDate(0, 0, -30), sc.from)
						}
						sc.inject(win, l)
						obs := protocolRun(t, suites, ser.prefix, seed, win, sc.from, sc.to, ord)
						scoreProtocol(t, ser.name+" "+sc.name, ord.name, l, real, srcs, obs)
						if first == nil {
							first = obs
						} else {
							sameFindings(t, ord.name, first, obs)
						}
					}
				})
			}
		})
	}
}

// sameFindings fails when an order's findings differ from the first
// order's.
func sameFindings(t *testing.T, order string, want, got map[string]*observed) {
	for _, s := range sourceNames {
		a, b := want[s].findings, got[s].findings
		if !slices.Equal(a, b) {
			for i := range max(len(a), len(b)) {
				var x, y string
				if i < len(a) {
					x = a[i]
				}
				if i < len(b) {
					y = b[i]
				}
				if x != y {
					t.Errorf("source %s: order %s differs from %s at finding %d:\n  %s\n  %s", s, order, protocolOrders[0].name, i, x, y)
					break
				}
			}
		}
	}
}
