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

// slidingWindow keeps x[lo:hi] sorted as the window slides forward
// (binary search and one block move per value in or out), so the centred
// Hampel window's median is read off the sorted values and its MAD is
// found in O(log window): the deviations left of the median, read
// leftwards, and right of it, read rightwards, are two sorted sequences,
// and their middle order statistics are found by bisection without
// merging them. Results equal medianMADSmall's. A series holding NaN
// falls back to it.
type slidingWindow struct {
	x      []float64
	lo, hi int
	sorted []float64
	nan    bool
}

func newSlidingWindow(x []float64, size int) *slidingWindow {
	w := &slidingWindow{x: x, sorted: make([]float64, 0, size)}
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
	if w.nan {
		w.lo, w.hi = max(w.lo, lo), max(w.hi, hi)
		return
	}
	for ; w.hi < hi; w.hi++ {
		v := w.x[w.hi]
		i := searchAbove(w.sorted, v)
		w.sorted = append(w.sorted, 0)
		copy(w.sorted[i+1:], w.sorted[i:])
		w.sorted[i] = v
	}
	for ; w.lo < lo; w.lo++ {
		i := searchFrom(w.sorted, w.x[w.lo]) // holds the value: no NaN
		w.sorted = append(w.sorted[:i], w.sorted[i+1:]...)
	}
}

// searchFrom returns the first index of s (sorted) whose value is >= v.
func searchFrom(s []float64, v float64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// searchAbove returns the first index of s (sorted) whose value is > v.
func searchAbove(s []float64, v float64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// medianMAD returns the window's median and scaled MAD.
func (w *slidingWindow) medianMAD() (float64, float64) {
	if w.nan {
		return medianMADSmall(w.x[w.lo:w.hi])
	}
	s := w.sorted
	n := len(s)
	med := midpoint(s)
	d := devSeqs{s: s, med: med, m: searchFrom(s, med)}
	mad := d.kth(n / 2)
	if n%2 == 0 {
		mad = (d.kth(n/2-1) + mad) / 2
	}
	return med, validators.MADScale * mad
}

// devSeqs are the absolute deviations from med of the sorted values s as
// two nondecreasing sequences: a(i) = med - s[m-1-i] for i < m and
// b(j) = s[m+j] - med for j < len(s)-m, where s[m] is the first value
// >= med. Their merge is the sorted deviations.
type devSeqs struct {
	s   []float64
	med float64
	m   int
}

func (d devSeqs) a(i int) float64 { return d.med - d.s[d.m-1-i] }
func (d devSeqs) b(j int) float64 { return d.s[d.m+j] - d.med }

// kth returns the deviation at index k (from 0) of the sorted deviations:
// it bisects on i, how many of the k+1 smallest come from a, for the
// smallest i whose complement in b does not exceed a(i).
func (d devSeqs) kth(k int) float64 {
	na, nb, c := d.m, len(d.s)-d.m, k+1
	lo, hi := max(0, c-nb), min(c, na)
	for lo < hi {
		i := int(uint(lo+hi) >> 1)
		if d.b(c-i-1) > d.a(i) { // i too small: a(i) belongs in the prefix
			lo = i + 1
		} else {
			hi = i
		}
	}
	i, j := lo, c-lo
	switch {
	case i == 0:
		return d.b(j - 1)
	case j == 0:
		return d.a(i - 1)
	default:
		return math.Max(d.a(i-1), d.b(j-1))
	}
}
