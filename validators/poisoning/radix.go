package poisoning

// radixSortBy sorts xs by key, stably (equal keys keep their order), with
// a least-significant-digit radix sort: eight passes of one byte each over
// a scratch copy. It is several times faster than a comparison sort on the
// million-row hash arrays of the duplicate checks; small inputs use the
// comparison sort's insertion path instead.
func radixSortBy[T any](xs []T, key func(*T) uint64) {
	radixSortWith(xs, nil, key)
}

// radixSortWith is radixSortBy with a scratch buffer: it uses scratch
// when it holds len(xs) elements (else it allocates one) and returns the
// buffer it used, so callers sorting several arrays allocate it once.
func radixSortWith[T any](xs, scratch []T, key func(*T) uint64) []T {
	if len(xs) < 256 {
		for i := 1; i < len(xs); i++ {
			for j := i; j > 0 && key(&xs[j]) < key(&xs[j-1]); j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		return scratch
	}
	var counts [8][256]int
	for i := range xs {
		k := key(&xs[i])
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	if cap(scratch) < len(xs) {
		scratch = make([]T, len(xs))
	}
	scratch = scratch[:len(xs)]
	src, dst := xs, scratch
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
	return scratch
}
