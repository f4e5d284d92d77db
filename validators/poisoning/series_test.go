package poisoning

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// synthetic returns n hourly points of a gently noisy series.
func synthetic(n int, start time.Time) []validatorstest.Point {
	pts := make([]validatorstest.Point, n)
	v := 100.0
	for i := range pts {
		v *= 1 + 0.004*math.Sin(float64(i)*1.7) + 0.002*math.Cos(float64(i)*0.31)
		pts[i] = validatorstest.Point{T: start.Add(time.Duration(i) * time.Hour), V: v}
	}
	return pts
}

func TestSeriesFlagsSpikeNotLevelShift(t *testing.T) {
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	pts := synthetic(200, start)
	pts[100].V *= 1.4 // spike
	for i := 150; i < 200; i++ {
		pts[i].V *= 0.8 // level shift that persists
	}
	rec := validatorstest.PriceRecord("a", pts)
	defer rec.Release()
	v, err := NewSeries("", func() SeriesConfig { c := DefaultSeriesConfig(); c.Value, c.Time = "price", "ts"; return c }())
	if err != nil {
		t.Fatal(err)
	}
	c := validatorstest.Case{Name: "spike", Dataset: "comp_a", Schema: validatorstest.PriceSchema(), Records: []arrow.RecordBatch{rec}}
	fs := validatorstest.Run(t, v, c)
	rows := map[int][]validators.Code{}
	for _, f := range fs {
		if !f.Passed {
			for _, r := range f.Rows {
				rows[r] = append(rows[r], f.Code)
			}
		}
	}
	t.Logf("flagged: %v", rows)
	if len(rows[100]) == 0 {
		t.Errorf("spike at row 100 not flagged: %v", fs)
	}
	for r, codes := range rows {
		if r != 100 {
			t.Errorf("row %d flagged %v", r, codes)
		}
	}
	validatorstest.Conformance(t, v, c)
}
