package gaming

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// washSeries is 120 hours of one market sampled every step: calm prices
// with volume following the moves, a real move with its volume at hours
// 40-46, ten times the volume on a calm price at hours 70-78 (wash
// trading) and, when burst, ten times the volume for one calm hour at
// hour 90 (too short to be a surge of six hours).
func washSeries(t *testing.T, step time.Duration, burst bool) (vt.Case, func(int) float64) {
	t0 := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	dh := step.Hours()
	var pts []vt.VolumePoint
	price := 100.0
	for k := 0; float64(k)*dh < 120; k++ {
		h := float64(k) * dh
		ret := 0.002 * math.Sqrt(dh) * math.Sin(float64(k)*1.7)
		if h >= 40 && h < 46 {
			ret = 0.04 * math.Sqrt(dh) * float64(1-2*(k%2))
		}
		price *= math.Exp(ret)
		vol := 1000 * dh * (1 + 0.2*math.Cos(float64(k)*0.9)) * (1 + math.Abs(ret)/(0.002*math.Sqrt(dh)))
		if (h >= 70 && h < 78) || (burst && h >= 90 && h < 91) {
			vol *= 10
		}
		pts = append(pts, vt.VolumePoint{T: t0.Add(time.Duration(k) * step), Price: price, Volume: vol})
	}
	rec := vt.PriceVolumeRecord("venue", pts)
	t.Cleanup(rec.Release)
	hour := func(row int) float64 { return float64(row) * dh }
	return vt.Case{Name: "volume", Dataset: "comp_venue", Schema: vt.PriceVolumeSchema(), Records: []arrow.RecordBatch{rec}}, hour
}

// TestWashSpans runs gaming.wash_volume with its default spans on the
// same market sampled every hour, 30 minutes and 5 minutes: the wash
// trading of hours 70-78 is found at every interval and the one-hour
// burst is not. With point counts (spans 0s) the 5-minute feed's burst
// (12 points) is reported as a surge: the spans make the check scale-free.
func TestWashSpans(t *testing.T) {
	counts := DefaultWashConfig()
	counts.WindowSpan, counts.PersistSpan = 0, 0
	for _, tc := range []struct {
		name      string
		step      time.Duration
		cfg       WashConfig
		wantBurst bool
	}{
		{"spans, hourly", time.Hour, DefaultWashConfig(), false},
		{"spans, 30 minutes", 30 * time.Minute, DefaultWashConfig(), false},
		{"spans, 5 minutes", 5 * time.Minute, DefaultWashConfig(), false},
		{"point counts, hourly", time.Hour, counts, false},
		{"point counts, 5 minutes", 5 * time.Minute, counts, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Repeats = 0
			v, err := NewWash("", tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			c, hour := washSeries(t, tc.step, true)
			var wash, burst, other int
			for _, f := range vt.Run(t, v, c) {
				if f.Passed || f.Code != CodeWashVolume {
					continue
				}
				for _, r := range f.Rows {
					switch h := hour(r); {
					case h >= 70 && h < 78:
						wash++
					case h >= 90 && h < 91:
						burst++
					default:
						other++
						t.Errorf("row %d (hour %.2f) reported: %s", r, h, f.Message)
					}
				}
			}
			if want := int(8 * time.Hour / tc.step); wash != want {
				t.Errorf("%d wash rows reported, want %d", wash, want)
			}
			if (burst > 0) != tc.wantBurst {
				t.Errorf("burst rows reported: %d, want reported %v", burst, tc.wantBurst)
			}
		})
	}
}
