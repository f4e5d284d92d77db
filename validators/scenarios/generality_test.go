package scenarios

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// seriesTransform is a held-out-like variant of a real series: the same
// market path with another volatility, price level or sampling interval.
// config adapts the job configuration the way an operator configures a
// feed of that interval (the heartbeat and bucket interval follow the
// sampling interval); nil keeps it.
type seriesTransform struct {
	name   string
	apply  func([]validatorstest.Point) []validatorstest.Point
	config func(string) string
}

var seriesTransforms = []seriesTransform{
	{"vol ×0.5", scaleVolatility(0.5), nil},
	{"vol ×2", scaleVolatility(2), nil},
	{"price ÷1000", scalePrice(1e-3), nil},
	{"every 30m", upsample, strings.NewReplacer("heartbeat: 90m", "heartbeat: 45m", "interval: 1h", "interval: 30m").Replace},
}

// scaleVolatility multiplies every log return by k: v'ᵢ = v₀·(vᵢ/v₀)^k.
func scaleVolatility(k float64) func([]validatorstest.Point) []validatorstest.Point {
	return func(pts []validatorstest.Point) []validatorstest.Point {
		out := make([]validatorstest.Point, len(pts))
		for i, p := range pts {
			out[i] = validatorstest.Point{T: p.T, V: pts[0].V * math.Pow(p.V/pts[0].V, k)}
		}
		return out
	}
}

// scalePrice multiplies every price by f (a token 1/f times cheaper).
func scalePrice(f float64) func([]validatorstest.Point) []validatorstest.Point {
	return func(pts []validatorstest.Point) []validatorstest.Point {
		out := make([]validatorstest.Point, len(pts))
		for i, p := range pts {
			out[i] = validatorstest.Point{T: p.T, V: p.V * f}
		}
		return out
	}
}

// upsample inserts the midpoint (time and price) between consecutive
// points: a 30-minute series from an hourly one, whose 30-minute returns
// are the hourly ones halved (the scenarios' windows and injections keep
// their dates; a real 30-minute feed would be noisier).
func upsample(pts []validatorstest.Point) []validatorstest.Point {
	out := make([]validatorstest.Point, 0, 2*len(pts))
	for i, p := range pts {
		if i > 0 {
			q := pts[i-1]
			out = append(out, validatorstest.Point{T: q.T.Add(p.T.Sub(q.T) / 2), V: (q.V + p.V) / 2})
		}
		out = append(out, p)
	}
	return out
}

// generalityOrders are the daemon's order and its reverse.
var generalityOrders = protocolOrders[:2]

// TestPriceGenerality runs the protocol scenarios (injected faults and the
// four largest real moves as must-not-flag) on transformed copies of both
// real series with the configuration tuned on the originals, and records
// precision and recall per transform and order ("(protocol <transform>
// <order>)" families) and the real moves quarantined. It takes about
// a minute and a half on a loaded machine; -short skips it.
func TestPriceGenerality(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the generality evaluation runs the protocol scenarios on four transformed series")
	}
	for _, tr := range seriesTransforms {
		t.Run(tr.name, func(t *testing.T) {
			for _, ser := range priceSeries {
				t.Run(ser.name, func(t *testing.T) {
					base := tr.apply(loadPrices(t, ser.path))
					srcs := threeSources(base)
					real := realMoves(srcs)
					suites := generalitySuites(t, ser.prefix, tr.config)
					for _, sc := range protocolScenarios(base) {
						t.Run(sc.name, func(t *testing.T) {
							var first map[string]*observed
							for _, ord := range generalityOrders {
								l := newLabels()
								l.window = [2]int64{sc.from.UnixMicro(), sc.to.UnixMicro()}
								win, seed := map[string][]validatorstest.Point{}, map[string][]validatorstest.Point{}
								for s, pts := range srcs {
									win[s] = append([]validatorstest.Point(nil), window(pts, sc.from, sc.to)...)
									seed[s] = window(pts, sc.from.AddDate(0, 0, -30), sc.from)
								}
								sc.inject(win, l)
								obs := protocolRun(t, suites, ser.prefix, seed, win, sc.from, sc.to, ord)
								scoreProtocol(t, ser.name+" "+sc.name, tr.name+" "+ord.name, l, real, srcs, obs)
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
		})
	}
}

// generalitySuites is protocolSuites with the configuration adapted by
// adapt (nil: unchanged).
func generalitySuites(t *testing.T, prefix string, adapt func(string) string) map[string]*validators.Suite {
	if adapt == nil {
		return protocolSuites(t, prefix)
	}
	out := map[string]*validators.Suite{}
	for _, s := range sourceNames {
		var peers []string
		for _, o := range sourceNames {
			if o != s {
				peers = append(peers, o)
			}
		}
		raw := adapt(strings.ReplaceAll(fmt.Sprintf(priceConfig, s, peers[0], peers[1]), "comp_", prefix))
		cfg, err := config.Parse("prices.yaml", []byte(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		out[s] = buildSuite(t, &cfg.Jobs[0])
	}
	return out
}
