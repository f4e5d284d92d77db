package store

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortDigests compares sortDigests with slices.Sort on runs of random,
// duplicated, constant-byte and presorted digests, around the size where
// it switches to the radix passes.
func TestSortDigests(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = rng.Uint64()
		}
		return out
	}
	cases := []struct {
		name string
		ds   []uint64
	}{
		{name: "empty", ds: nil},
		{name: "one", ds: []uint64{7}},
		{name: "short random", ds: random(radixMin - 1)},
		{name: "radix random", ds: random(radixMin)},
		{name: "large random", ds: random(1 << 17)},
		{name: "duplicates", ds: func() []uint64 {
			d := random(5000)
			for i := range d {
				d[i] = d[i%37]
			}
			return d
		}()},
		{name: "high bytes equal", ds: func() []uint64 {
			d := random(5000)
			for i := range d {
				d[i] = 0xABCD<<48 | d[i]&0xFFFF
			}
			return d
		}()},
		{name: "all equal", ds: slices.Repeat([]uint64{42}, 3000)},
		{name: "presorted", ds: func() []uint64 { d := random(4000); slices.Sort(d); return d }()},
		{name: "reversed", ds: func() []uint64 { d := random(4000); slices.Sort(d); slices.Reverse(d); return d }()},
	}
	var scratch []uint64
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := slices.Clone(c.ds)
			slices.Sort(want)
			got := slices.Clone(c.ds)
			scratch = sortDigests(got, scratch)
			if !slices.Equal(got, want) {
				t.Fatalf("sortDigests of %d digests differs from slices.Sort", len(c.ds))
			}
		})
	}
}
