package validators

import (
	"math"
	"slices"
)

// MADScale makes the median absolute deviation a consistent estimator of
// the standard deviation of normal data.
const MADScale = 1.4826

// Median returns the median of xs without changing it (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return medianSorted(s)
}

func medianSorted(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// MedianMAD returns the median of xs and its scaled median absolute
// deviation (MADScale × median |x - median|).
func MedianMAD(xs []float64) (med, mad float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	med = medianSorted(s)
	for i, x := range s {
		s[i] = math.Abs(x - med)
	}
	slices.Sort(s)
	return med, MADScale * medianSorted(s)
}

// RobustZ returns |x - med| / mad, with mad floored at floor so that a
// perfectly flat window does not make every change infinite.
func RobustZ(x, med, mad, floor float64) float64 {
	return math.Abs(x-med) / math.Max(mad, floor)
}
