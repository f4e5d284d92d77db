package poisoning

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// oldSlidingWindow is the sliding window before the bisection rewrite
// (insertion by shifting, linear search, deviations merged in full): the
// reference the rewrite must equal bit for bit.
type oldSlidingWindow struct {
	x      []float64
	lo, hi int
	sorted []float64
	dev    []float64
}

func (w *oldSlidingWindow) slide(lo, hi int) {
	for ; w.hi < hi; w.hi++ {
		v := w.x[w.hi]
		i := len(w.sorted)
		w.sorted = append(w.sorted, v)
		for i > 0 && w.sorted[i-1] > v {
			w.sorted[i] = w.sorted[i-1]
			i--
		}
		w.sorted[i] = v
	}
	for ; w.lo < lo; w.lo++ {
		v := w.x[w.lo]
		i := 0
		for w.sorted[i] != v {
			i++
		}
		w.sorted = append(w.sorted[:i], w.sorted[i+1:]...)
	}
}

func (w *oldSlidingWindow) medianMAD() (float64, float64) {
	s := w.sorted
	med := midpoint(s)
	m := 0
	for m < len(s) && s[m] < med {
		m++
	}
	dev := w.dev[:0]
	l, r := m-1, m
	for len(dev) < len(s) {
		if r >= len(s) || (l >= 0 && med-s[l] <= s[r]-med) {
			dev = append(dev, med-s[l])
			l--
		} else {
			dev = append(dev, s[r]-med)
			r++
		}
	}
	w.dev = dev
	return med, validators.MADScale * midpoint(dev)
}

// goldenSeries are random series (normal, heavy ties, constant, sorted,
// reversed, tiny and huge magnitudes, signed zeros) and the log returns
// of the real price files in shared/data.
func goldenSeries(t *testing.T) map[string][]float64 {
	rng := rand.New(rand.NewPCG(21, 22))
	out := map[string][]float64{}
	gen := map[string]func(i int) float64{
		"normal":    func(int) float64 { return rng.NormFloat64() },
		"ties":      func(int) float64 { return float64(rng.IntN(3)) },
		"constant":  func(int) float64 { return 4.25 },
		"sorted":    func(i int) float64 { return float64(i) },
		"reversed":  func(i int) float64 { return -float64(i) },
		"tiny":      func(int) float64 { return 1e-300 * rng.NormFloat64() },
		"huge":      func(int) float64 { return 1e300 * rng.NormFloat64() },
		"zeros":     func(i int) float64 { return math.Copysign(0, float64(i%2)-0.5) },
		"tiesfloat": func(int) float64 { return 0.1 * float64(rng.IntN(5)) },
	}
	for name, f := range gen {
		for _, n := range []int{1, 2, 3, 5, 400} {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = f(i)
			}
			out[name+"/"+strconv.Itoa(n)] = xs
		}
	}
	for _, file := range []string{"aave_usd.csv", "comp_usd.csv"} {
		out["real/"+file] = realReturns(t, filepath.Join("..", "..", "..", "shared", "data", "prices", file))
	}
	return out
}

// realReturns reads a "ms,price" file and returns its log returns.
func realReturns(t *testing.T, path string) []float64 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("real price series: %v", err)
	}
	defer f.Close()
	var out []float64
	last := 0.0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		_, v, ok := strings.Cut(sc.Text(), ",")
		p, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || p <= 0 {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		if last > 0 {
			out = append(out, math.Log(p/last))
		}
		last = p
	}
	if len(out) < 1000 {
		t.Fatalf("%s: only %d returns", path, len(out))
	}
	return out
}

// TestSlidingWindowGolden slides windows of every half-width from 0 (one
// point) to 32 (65 points, the Hampel cap), centred and trailing, over
// the golden series and requires the rewritten window's sorted values,
// median and MAD to equal the old implementation's bit for bit.
func TestSlidingWindowGolden(t *testing.T) {
	for name, x := range goldenSeries(t) {
		for _, h := range []int{0, 1, 2, 3, 7, 16, 31, 32} {
			for _, trailing := range []bool{false, true} {
				nw := newSlidingWindow(x, 2*h+1)
				ow := &oldSlidingWindow{x: x}
				for j := range x {
					lo, hi := max(0, j-h), min(len(x), j+h+1)
					if trailing {
						lo, hi = max(0, j-2*h), j+1
					}
					nw.slide(lo, hi)
					ow.slide(lo, hi)
					gm, gd := nw.medianMAD()
					wm, wd := ow.medianMAD()
					if math.Float64bits(gm) != math.Float64bits(wm) || math.Float64bits(gd) != math.Float64bits(wd) {
						t.Fatalf("%s h=%d trailing=%v window %d:%d: got (%v, %v), the old window gives (%v, %v)", name, h, trailing, lo, hi, gm, gd, wm, wd)
					}
					if s, ws := midpoint(nw.sorted), midpoint(ow.sorted); math.Float64bits(s) != math.Float64bits(ws) || len(nw.sorted) != len(ow.sorted) {
						t.Fatalf("%s h=%d window %d:%d: sorted values differ", name, h, lo, hi)
					}
				}
			}
		}
	}
}

// TestDevSeqsKth checks the bisection against the merged deviations for
// every order statistic of random sorted windows of 1 to 70 values.
func TestDevSeqsKth(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 1; n <= 70; n++ {
		for trial := range 50 {
			x := make([]float64, n)
			for i := range x {
				if trial%2 == 0 {
					x[i] = float64(rng.IntN(4))
				} else {
					x[i] = rng.NormFloat64()
				}
			}
			w := newSlidingWindow(x, n)
			w.slide(0, n)
			ow := &oldSlidingWindow{x: x}
			ow.slide(0, n)
			ow.medianMAD() // fills ow.dev: the merged deviations
			med := midpoint(w.sorted)
			d := devSeqs{s: w.sorted, med: med, m: searchFrom(w.sorted, med)}
			for k := range n {
				if got, want := d.kth(k), ow.dev[k]; math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("n=%d trial=%d k=%d: got %v, merged gives %v (values %v)", n, trial, k, got, want, x)
				}
			}
		}
	}
}
