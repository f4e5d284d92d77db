package demo

import (
	"math"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
)

// TestSample checks the embedded series: 300 about hourly points of a real
// shape, with no hour missing.
func TestSample(t *testing.T) {
	pts, err := loadSample()
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 300 {
		t.Fatalf("%d points, want 300", len(pts))
	}
	lo, hi := math.Inf(1), 0.0
	for i, p := range pts {
		lo, hi = min(lo, p.Price), max(hi, p.Price)
		if i == 0 {
			continue
		}
		if gap := time.Duration(p.MS-pts[i-1].MS) * time.Millisecond; gap <= 0 || gap > 90*time.Minute {
			t.Errorf("point %d comes %s after the previous one", i, gap)
		}
	}
	if hi/lo < 1.1 {
		t.Errorf("the sample barely moves: %.2f to %.2f", lo, hi)
	}
}

// TestRebase puts the last point 70 minutes before now, keeping the spacing.
func TestRebase(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	in := []fakeapi.Point{{MS: 1000, Price: 1}, {MS: 3_601_000, Price: 2}}
	out := rebase(in, now)
	if got := time.UnixMilli(out[1].MS).UTC(); !got.Equal(now.Add(-70 * time.Minute)) {
		t.Errorf("last point at %s", got)
	}
	if out[1].MS-out[0].MS != in[1].MS-in[0].MS || out[0].Price != 1 {
		t.Errorf("rebase changed the series: %+v", out)
	}
}

// TestPoison checks the poisoned feed's factors: three spikes and a drift
// over the last driftHours points, the strong part of which is listed.
func TestPoison(t *testing.T) {
	pts := make([]fakeapi.Point, 300)
	for i := range pts {
		pts[i] = fakeapi.Point{MS: int64(i) * 3_600_000, Price: 50}
	}
	factors, spikeAt, driftAt := poison(pts)
	tests := []struct {
		name string
		i    int
		want float64
	}{
		{"untouched", 10, 1},
		{"spike up", 60, 1.3},
		{"spike down", 150, 0.72},
		{"drift start", 300 - driftHours, 1 + driftTop/driftHours},
		{"drift end", 299, 1 + driftTop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := factors[pts[tt.i].MS]
			if !ok {
				f = 1
			}
			if math.Abs(f-tt.want) > 1e-12 {
				t.Errorf("factor at %d = %v, want %v", tt.i, f, tt.want)
			}
		})
	}
	if len(spikeAt) != 3 {
		t.Errorf("%d spikes", len(spikeAt))
	}
	strong := 0
	for _, p := range pts {
		if f := factors[p.MS] - 1; f >= driftFlag-1e-12 && f < 0.2 {
			strong++
		}
	}
	if len(driftAt) != strong || strong < 40 {
		t.Errorf("%d strongly drifted points listed, %d drifted by at least %v", len(driftAt), strong, driftFlag)
	}
}

// TestObserve checks another source's view: within five minutes and 0.5%.
func TestObserve(t *testing.T) {
	pts := []fakeapi.Point{{MS: 1e12, Price: 40}, {MS: 1e12 + 3_600_000, Price: 41}}
	for i, p := range observe(pts, 9) {
		if d := p.MS - pts[i].MS; d < -300_000 || d > 300_000 || math.Abs(p.Price/pts[i].Price-1) > 0.005 {
			t.Errorf("point %d observed as %+v", i, p)
		}
	}
}
