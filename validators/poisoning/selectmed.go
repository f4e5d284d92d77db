package poisoning

import (
	"math"
	"slices"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// medianMADSmall is validators.MedianMAD for short windows without
// allocating: the median and the median absolute deviation are order
// statistics found by selection (linear on average) instead of two sorts.
// The results are exactly those of sorting. A window holding NaN is sorted
// as MedianMAD does, so NaN places the same way.
func medianMADSmall(xs []float64) (float64, float64) {
	var a, b [64]float64
	if len(xs) > len(a) || len(xs) == 0 {
		return validators.MedianMAD(xs)
	}
	s := a[:len(xs)]
	copy(s, xs)
	for _, v := range s {
		if v != v {
			return sortedMedianMAD(s, b[:len(xs)])
		}
	}
	med := selectMedian(s)
	dev := b[:len(xs)]
	for i, v := range s {
		dev[i] = math.Abs(v - med)
	}
	return med, validators.MADScale * selectMedian(dev)
}

// sortedMedianMAD is the sorting path of medianMADSmall (s is a copy).
func sortedMedianMAD(s, dev []float64) (float64, float64) {
	slices.Sort(s)
	med := midpoint(s)
	for i, v := range s {
		dev[i] = math.Abs(v - med)
	}
	slices.Sort(dev)
	return med, validators.MADScale * midpoint(dev)
}

// selectMedian returns the median of s (no NaN), reordering s.
func selectMedian(s []float64) float64 {
	n := len(s)
	k := n / 2
	selectKth(s, k)
	if n%2 == 1 {
		return s[k]
	}
	// s[:k] holds the k smallest: the lower middle is their maximum
	lo := s[0]
	for _, v := range s[1:k] {
		lo = max(lo, v)
	}
	return (lo + s[k]) / 2
}

// selectKth reorders s so that s[k] is the value a sort would put there,
// with s[:k] <= s[k] <= s[k+1:] (Hoare's selection, median-of-three
// pivot; s holds no NaN).
func selectKth(s []float64, k int) {
	lo, hi := 0, len(s)-1
	for hi > lo {
		if hi-lo < 8 {
			insertion(s[lo : hi+1])
			return
		}
		mid := lo + (hi-lo)/2
		if s[mid] < s[lo] {
			s[mid], s[lo] = s[lo], s[mid]
		}
		if s[hi] < s[lo] {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if s[hi] < s[mid] {
			s[hi], s[mid] = s[mid], s[hi]
		}
		p := s[mid]
		i, j := lo, hi
		for i <= j {
			for s[i] < p {
				i++
			}
			for s[j] > p {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

func insertion(s []float64) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// slidingWindow keeps x[lo:hi] sorted as the window slides forward, so
// the centred Hampel window's median and MAD cost O(window) per point
// without sorting or selecting: the median is read off the sorted values
// and the sorted deviations are merged from both sides of it. Results
// equal medianMADSmall's. A series holding NaN falls back to it.
type slidingWindow struct {
	x      []float64
	lo, hi int
	sorted []float64
	dev    []float64
	nan    bool
}

func newSlidingWindow(x []float64, size int) *slidingWindow {
	w := &slidingWindow{x: x, sorted: make([]float64, 0, size), dev: make([]float64, 0, size)}
	for _, v := range x {
		if v != v {
			w.nan = true
			break
		}
	}
	return w
}

func (w *slidingWindow) len() int { return w.hi - w.lo }

// slide moves the window to x[lo:hi] (both bounds only grow).
func (w *slidingWindow) slide(lo, hi int) {
	for ; w.hi < hi; w.hi++ {
		if !w.nan {
			v := w.x[w.hi]
			i := len(w.sorted)
			w.sorted = append(w.sorted, v)
			for i > 0 && w.sorted[i-1] > v {
				w.sorted[i] = w.sorted[i-1]
				i--
			}
			w.sorted[i] = v
		}
	}
	for ; w.lo < lo; w.lo++ {
		if !w.nan {
			v := w.x[w.lo]
			i := 0
			for w.sorted[i] != v {
				i++
			}
			w.sorted = append(w.sorted[:i], w.sorted[i+1:]...)
		}
	}
}

// medianMAD returns the window's median and scaled MAD.
func (w *slidingWindow) medianMAD() (float64, float64) {
	if w.nan {
		return medianMADSmall(w.x[w.lo:w.hi])
	}
	s := w.sorted
	med := midpoint(s)
	m := 0 // the first value >= med
	for m < len(s) && s[m] < med {
		m++
	}
	// deviations left of m grow leftwards, right of m rightwards: merge
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
