package poisoning

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// market is a price path in continuous time: a noisy wave, a 40% one-point
// spike at hour 100, a real +15% move at hour 120 that dips back by three
// 2.5% steps within half an hour before it holds (a wobble an hourly feed
// does not see) and a persistent −20% level shift from hour 150.
func market(start time.Time, every time.Duration) ([]validatorstest.Point, int) {
	var pts []validatorstest.Point
	spike := -1
	for t := time.Duration(0); t < 200*time.Hour; t += every {
		h := t.Hours()
		v := 100 * math.Exp(0.03*math.Sin(h/1.7)+0.02*math.Cos(h*0.31)+0.004*math.Sin(h*7.3))
		if t == 100*time.Hour {
			v *= 1.4
			spike = len(pts)
		}
		if t >= 120*time.Hour {
			v *= math.Exp(wobble(t - 120*time.Hour))
		}
		if h >= 150 {
			v *= 0.8
		}
		pts = append(pts, validatorstest.Point{T: start.Add(t), V: v})
	}
	return pts, spike
}

// wobble is the log level of the move at hour 120, d after it.
func wobble(d time.Duration) float64 {
	dip := []float64{0, 1, 2, 3, 2, 1}
	if i := int(d / (5 * time.Minute)); i < len(dip) {
		return 0.1398 - 0.025*dip[i]
	}
	return 0.1398
}

// TestSeriesWindowsInTime samples one market every hour, 30 minutes and 5
// minutes: with the windows in time (the defaults) each feed flags the
// spike and nothing else (the level shift and the wobbling move included;
// with the point counts the 5-minute feed flags the wobbling move, whose
// next three points dip back).
func TestSeriesWindowsInTime(t *testing.T) {
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		every time.Duration
	}{{"1h", time.Hour}, {"30m", 30 * time.Minute}, {"5m", 5 * time.Minute}} {
		t.Run(tc.name, func(t *testing.T) {
			pts, spike := market(start, tc.every)
			rec := validatorstest.PriceRecord("a", pts)
			defer rec.Release()
			cfg := DefaultSeriesConfig()
			cfg.Value, cfg.Time = "price", "ts"
			v, err := NewSeries("", cfg)
			if err != nil {
				t.Fatal(err)
			}
			c := validatorstest.Case{Name: tc.name, Dataset: "comp_a", Schema: validatorstest.PriceSchema(), Records: []arrow.RecordBatch{rec}}
			rows := map[int][]validators.Code{}
			for _, f := range validatorstest.Run(t, v, c) {
				if !f.Passed {
					for _, r := range f.Rows {
						rows[r] = append(rows[r], f.Code)
					}
				}
			}
			if len(rows[spike]) == 0 {
				t.Errorf("spike at row %d not flagged", spike)
			}
			for r, codes := range rows {
				if r != spike {
					t.Errorf("row %d (%s) flagged %v", r, pts[r].T.Format(time.RFC3339), codes)
				}
			}
		})
	}
}

// TestSeriesSpanConfig checks that negative spans are refused.
func TestSeriesSpanConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*SeriesConfig)
	}{
		{"window_span", func(c *SeriesConfig) { c.WindowSpan = -1 }},
		{"persist_span", func(c *SeriesConfig) { c.PersistSpan = -1 }},
		{"hampel_span", func(c *SeriesConfig) { c.HampelSpan = -1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultSeriesConfig()
			cfg.Value, cfg.Time = "price", "ts"
			tc.set(&cfg)
			if _, err := NewSeries("", cfg); err == nil {
				t.Fatalf("negative %s accepted", tc.name)
			}
		})
	}
}
