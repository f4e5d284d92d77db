package store

import "slices"

// radixMin is the smallest run sortDigests sorts by radix; shorter ones go
// to slices.Sort, whose comparisons are cheaper than 8 counting passes.
const radixMin = 1 << 10

// sortDigests sorts ds in place, using scratch (grown as needed and
// returned for reuse) as the second buffer of an LSD radix sort of eight
// 8-bit passes: a key digest is a uniformly spread 64-bit hash, and the
// passes cost about a third of a comparison sort's time on a full run.
func sortDigests(ds, scratch []uint64) []uint64 {
	if len(ds) < radixMin {
		slices.Sort(ds)
		return scratch
	}
	if cap(scratch) < len(ds) {
		scratch = make([]uint64, len(ds))
	}
	src, dst := ds, scratch[:len(ds)]
	for shift := uint(0); shift < 64; shift += 8 {
		var count [256]int
		for _, d := range src {
			count[byte(d>>shift)]++
		}
		if count[byte(src[0]>>shift)] == len(src) {
			continue // every digest has this byte: the pass would move nothing
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, d := range src {
			b := byte(d >> shift)
			dst[count[b]] = d
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ds[0] {
		copy(ds, src)
	}
	return scratch
}
