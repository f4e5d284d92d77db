package poisoning

import (
	"testing"
)

// TestBracketed checks the peers' path test: a value between a peer's
// readings around t (within band) is on its path; a value off every peer's
// path, or off one peer's, is not; peers without a reading within the
// tolerance do not count.
func TestBracketed(t *testing.T) {
	const hour = int64(3600e6)
	// moving reads 100 until 12:00 and 120 from 13:00 (a real move)
	moving := func(off int64) peerSeries {
		ps := flat(off, hour)
		for i := range ps.v {
			if ps.t[i] >= 13*hour {
				ps.v[i] = 120
			}
		}
		return ps
	}
	for _, tc := range []struct {
		name  string
		peers []peerSeries
		at    int64
		v     float64
		need  int
		want  bool
	}{
		{"first to see a real move", []peerSeries{moving(0), moving(60e6)}, 12*hour + 40*60e6, 117, 1, true},
		{"spike of one source", []peerSeries{flat(0, hour), flat(60e6, hour)}, 12*hour + 40*60e6, 117, 1, false},
		{"within band of flat peers", []peerSeries{flat(0, hour), flat(60e6, hour)}, 12*hour + 40*60e6, 101.5, 1, true},
		{"one peer disagrees", []peerSeries{moving(0), flat(60e6, hour)}, 12*hour + 40*60e6, 117, 1, false},
		{"no reading within the tolerance", []peerSeries{flat(0, hour)}, 30 * hour, 117, 1, false},
		{"fewer peers than needed", []peerSeries{moving(0)}, 12*hour + 40*60e6, 117, 2, false},
		{"not positive", []peerSeries{moving(0)}, 12*hour + 40*60e6, 0, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bracketed(tc.peers, tc.at, hour, tc.v, 0.02, tc.need); got != tc.want {
				t.Fatalf("bracketed = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestBiasWindow checks the bias window in time and in points: an hourly
// and a 30-minute feed judge the same 6 hours, and the window is judged
// only once it holds three values reaching back half the span.
func TestBiasWindow(t *testing.T) {
	const hour = int64(3600e6)
	for _, tc := range []struct {
		name    string
		span    int64
		n       int
		every   int64
		points  int
		wantLen int
		wantOK  bool
	}{
		{"hourly, 6h", 6 * hour, 6, hour, 20, 6, true},
		{"30 minutes, 6h", 6 * hour, 6, hour / 2, 40, 12, true},
		{"5 minutes, 6h", 6 * hour, 6, hour / 12, 200, 72, true},
		{"hourly, too short", 6 * hour, 6, hour, 3, 0, false},
		{"hourly, reaches back 3h", 6 * hour, 6, hour, 4, 4, true},
		{"points", 0, 6, hour / 2, 40, 6, true},
		{"points, too few", 0, 6, hour, 5, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := biasWindow{span: tc.span, n: tc.n}
			var bias []float64
			lo, ok := 0, false
			for i := range tc.points {
				bias = append(bias, float64(i))
				w.t = append(w.t, int64(i)*tc.every)
				lo, ok = w.window(bias, int64(i)*tc.every)
			}
			if n := len(bias) - lo; ok != tc.wantOK || (ok && n != tc.wantLen) {
				t.Fatalf("window of %d values, ok %v; want %d, %v", n, ok, tc.wantLen, tc.wantOK)
			}
		})
	}
}
