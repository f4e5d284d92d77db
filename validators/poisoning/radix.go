package poisoning

// radixSortBy sorts xs by key, stably (equal keys keep their order), with
// a least-significant-digit radix sort: eight passes of one byte each over
// a scratch copy. It is several times faster than a comparison sort on the
// million-row hash arrays of the duplicate checks; small inputs use the
// comparison sort's insertion path instead.
func radixSortBy[T any](xs []T, key func(*T) uint64) {
	if len(xs) < 256 {
		for i := 1; i < len(xs); i++ {
			for j := i; j > 0 && key(&xs[j]) < key(&xs[j-1]); j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		return
	}
	var counts [8][256]int
	for i := range xs {
		k := key(&xs[i])
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	src, dst := xs, make([]T, len(xs))
	for d := range 8 {
		c := &counts[d]
		if c[byte(key(&src[0])>>(8*d))] == len(src) {
			continue // every key has this digit
		}
		pos := 0
		for b := range 256 {
			c[b], pos = pos, pos+c[b]
		}
		for i := range src {
			b := byte(key(&src[i]) >> (8 * d))
			dst[c[b]] = src[i]
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &xs[0] {
		copy(xs, src)
	}
}
