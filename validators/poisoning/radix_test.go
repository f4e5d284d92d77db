package poisoning

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRadixSortByIsStableSort compares radixSortBy with a stable
// comparison sort on small and large inputs, with repeated keys and keys
// sharing digits.
func TestRadixSortByIsStableSort(t *testing.T) {
	type item struct {
		k   uint64
		pos int
	}
	rng := rand.New(rand.NewPCG(1, 9))
	var scratch []item // reused dirty across inputs, as the duplicate check does
	for _, n := range []int{0, 1, 2, 255, 256, 1000, 70_000, 300} {
		for _, mask := range []uint64{^uint64(0), 0xff, 0xff00ff0000, 0} {
			xs := make([]item, n)
			for i := range xs {
				xs[i] = item{rng.Uint64() & mask, i}
			}
			want := slices.Clone(xs)
			slices.SortStableFunc(want, func(a, b item) int { return cmp.Compare(a.k, b.k) })
			ys := slices.Clone(xs)
			radixSortBy(xs, func(x *item) uint64 { return x.k })
			if !slices.Equal(xs, want) {
				t.Fatalf("n=%d mask=%x: the radix sort differs from a stable sort", n, mask)
			}
			scratch = radixSortWith(ys, scratch, func(x *item) uint64 { return x.k })
			if !slices.Equal(ys, want) {
				t.Fatalf("n=%d mask=%x: the radix sort with a reused scratch differs from a stable sort", n, mask)
			}
		}
	}
}
