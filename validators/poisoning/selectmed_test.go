package poisoning

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// TestMedianMADSmallMatchesSort compares the selection path with sorting
// on random windows of every size up to 64, with ties and NaN.
func TestMedianMADSmallMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 1; n <= 64; n++ {
		for trial := 0; trial < 200; trial++ {
			xs := make([]float64, n)
			for i := range xs {
				switch trial % 4 {
				case 0:
					xs[i] = rng.NormFloat64()
				case 1:
					xs[i] = float64(rng.IntN(3)) // many ties
				case 2:
					xs[i] = float64(i) // sorted
				default:
					xs[i] = float64(n - i) // reversed
				}
			}
			if trial == 199 {
				xs[rng.IntN(n)] = math.NaN()
			}
			orig := append([]float64(nil), xs...)
			gm, gd := medianMADSmall(xs)
			wm, wd := validators.MedianMAD(xs)
			same := func(a, b float64) bool { return a == b || (a != a && b != b) }
			if !same(gm, wm) || !same(gd, wd) {
				t.Fatalf("n=%d trial=%d: got (%v, %v), sorting gives (%v, %v) for %v", n, trial, gm, gd, wm, wd, orig)
			}
			for i := range xs {
				if !same(xs[i], orig[i]) {
					t.Fatalf("n=%d: the input was modified", n)
				}
			}
		}
	}
}

// TestSlidingWindowMatchesSmall slides centred windows over random series
// (with ties, and one with NaN) and compares every window's median and
// MAD with medianMADSmall.
func TestSlidingWindowMatchesSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 11))
	for trial := 0; trial < 60; trial++ {
		n, h := 1+rng.IntN(200), 2+rng.IntN(8)
		x := make([]float64, n)
		for i := range x {
			if trial%3 == 0 {
				x[i] = float64(rng.IntN(4))
			} else {
				x[i] = rng.NormFloat64()
			}
		}
		if trial == 59 {
			x[rng.IntN(n)] = math.NaN()
		}
		w := newSlidingWindow(x, 2*h+1)
		for j := range x {
			lo, hi := max(0, j-h), min(n, j+h+1)
			w.slide(lo, hi)
			gm, gd := w.medianMAD()
			wm, wd := medianMADSmall(x[lo:hi])
			same := func(a, b float64) bool { return a == b || (a != a && b != b) }
			if !same(gm, wm) || !same(gd, wd) || w.len() != hi-lo {
				t.Fatalf("trial %d, window %d:%d: got (%v, %v), want (%v, %v)", trial, lo, hi, gm, gd, wm, wd)
			}
		}
	}
}
