package datasets_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The reference functions below transcribe RFC 6962 §2.1 literally (MTH,
// PATH, PROOF/SUBPROOF) over rfc6962.DefaultHasher, so the package's
// accumulator and proofs are compared with the definitions rather than with
// themselves.

// testLeaves returns n distinct leaf hashes.
func testLeaves(n int) []datasets.Hash {
	out := make([]datasets.Hash, n)
	for i := range out {
		copy(out[i][:], rfc6962.DefaultHasher.HashLeaf([]byte(fmt.Sprintf("leaf %d", i))))
	}
	return out
}

// largestPow2Below returns the largest power of two smaller than n (n > 1).
func largestPow2Below(n int) int {
	k := 1
	for k<<1 < n {
		k <<= 1
	}
	return k
}

func toHash(b []byte) datasets.Hash {
	var h datasets.Hash
	copy(h[:], b)
	return h
}

// refMTH is MTH(D[n]) of RFC 6962 §2.1.
func refMTH(d []datasets.Hash) datasets.Hash {
	switch len(d) {
	case 0:
		return toHash(rfc6962.DefaultHasher.EmptyRoot())
	case 1:
		return d[0]
	}
	k := largestPow2Below(len(d))
	l, r := refMTH(d[:k]), refMTH(d[k:])
	return toHash(rfc6962.DefaultHasher.HashChildren(l[:], r[:]))
}

// refPath is PATH(m, D[n]) of RFC 6962 §2.1.1.
func refPath(m int, d []datasets.Hash) []datasets.Hash {
	if len(d) <= 1 {
		return nil
	}
	k := largestPow2Below(len(d))
	if m < k {
		return append(refPath(m, d[:k]), refMTH(d[k:]))
	}
	return append(refPath(m-k, d[k:]), refMTH(d[:k]))
}

// refSubproof is SUBPROOF(m, D[n], b) of RFC 6962 §2.1.2.
func refSubproof(m int, d []datasets.Hash, b bool) []datasets.Hash {
	if m == len(d) {
		if b {
			return nil
		}
		return []datasets.Hash{refMTH(d)}
	}
	k := largestPow2Below(len(d))
	if m <= k {
		return append(refSubproof(m, d[:k], b), refMTH(d[k:]))
	}
	return append(refSubproof(m-k, d[k:], false), refMTH(d[:k]))
}

// refConsistency is PROOF(m, D[n]) of RFC 6962 §2.1.2; it is empty for m = 0
// and m = n.
func refConsistency(m int, d []datasets.Hash) []datasets.Hash {
	if m == 0 || m == len(d) {
		return nil
	}
	return refSubproof(m, d, true)
}

func equalHashes(a, b []datasets.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEmptyRoot(t *testing.T) {
	if got, want := datasets.EmptyRoot(), toHash(rfc6962.DefaultHasher.EmptyRoot()); got != want {
		t.Fatalf("EmptyRoot = %s, want %s", got, want)
	}
	if got := datasets.NewAccumulator(0).Root(); got != datasets.EmptyRoot() {
		t.Fatalf("root of an empty accumulator = %s", got)
	}
	// SHA-256 of the empty string.
	if got := datasets.EmptyRoot().String(); got != "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatalf("EmptyRoot = %s", got)
	}
}

// TestAccumulatorRoot compares the accumulator with MTH for 0..70 leaves.
func TestAccumulatorRoot(t *testing.T) {
	leaves := testLeaves(70)
	acc := datasets.NewAccumulator(0)
	for n := 0; n <= len(leaves); n++ {
		if n > 0 {
			acc.Add(leaves[n-1])
		}
		want := refMTH(leaves[:n])
		if got := acc.Root(); got != want {
			t.Fatalf("root of %d leaves = %s, want %s", n, got, want)
		}
		if acc.Begin() != 0 || acc.End() != uint64(n) {
			t.Fatalf("range [%d, %d), want [0, %d)", acc.Begin(), acc.End(), n)
		}
		from, err := datasets.AccumulatorFromLeaves(datasets.MemoryLeaves(leaves), uint64(n))
		if err != nil {
			t.Fatal(err)
		}
		if got := from.Root(); got != want {
			t.Fatalf("AccumulatorFromLeaves(%d) root = %s, want %s", n, got, want)
		}
	}
	if _, err := datasets.AccumulatorFromLeaves(datasets.MemoryLeaves(leaves), 71); !errors.Is(err, datasets.ErrProof) {
		t.Fatalf("AccumulatorFromLeaves past the end: err = %v, want ErrProof", err)
	}
}

// TestAccumulatorJoin splits every tree of up to 70 leaves at every point
// (and trees up to 24 leaves at every pair of points) and joins the parts.
func TestAccumulatorJoin(t *testing.T) {
	leaves := testLeaves(70)
	build := func(begin, end int) *datasets.Accumulator {
		a := datasets.NewAccumulator(uint64(begin))
		for _, l := range leaves[begin:end] {
			a.Add(l)
		}
		return a
	}
	for n := 0; n <= len(leaves); n++ {
		want := refMTH(leaves[:n])
		for k := 0; k <= n; k++ {
			a, b := build(0, k), build(k, n)
			if err := a.Join(b); err != nil {
				t.Fatalf("join [0,%d) + [%d,%d): %v", k, k, n, err)
			}
			if got := a.Root(); got != want {
				t.Fatalf("join [0,%d) + [%d,%d): root %s, want %s", k, k, n, got, want)
			}
			if a.End() != uint64(n) {
				t.Fatalf("joined end %d, want %d", a.End(), n)
			}
		}
	}
	for n := 0; n <= 24; n++ {
		want := refMTH(leaves[:n])
		for i := 0; i <= n; i++ {
			for j := i; j <= n; j++ {
				mid, right := build(i, j), build(j, n)
				if err := mid.Join(right); err != nil {
					t.Fatal(err)
				}
				left := build(0, i)
				if err := left.Join(mid); err != nil {
					t.Fatal(err)
				}
				if got := left.Root(); got != want {
					t.Fatalf("join [0,%d)+([%d,%d)+[%d,%d)): root %s, want %s", i, i, j, j, n, got, want)
				}
			}
		}
	}
	// Ranges that are not adjacent do not join.
	a, b := build(0, 5), build(6, 9)
	if err := a.Join(b); !errors.Is(err, datasets.ErrProof) {
		t.Fatalf("joining [0,5) and [6,9): err = %v, want ErrProof", err)
	}
}

// TestAccumulatorRestore round-trips Hashes through RestoreAccumulator at
// every size up to 70 and continues the tree from there.
func TestAccumulatorRestore(t *testing.T) {
	leaves := testLeaves(70)
	full := refMTH(leaves)
	acc := datasets.NewAccumulator(0)
	for n := 0; n <= len(leaves); n++ {
		if n > 0 {
			acc.Add(leaves[n-1])
		}
		hs := acc.Hashes()
		r, err := datasets.RestoreAccumulator(uint64(n), hs)
		if err != nil {
			t.Fatalf("restore %d leaves from %d hashes: %v", n, len(hs), err)
		}
		if got, want := r.Root(), refMTH(leaves[:n]); got != want {
			t.Fatalf("restored root of %d = %s, want %s", n, got, want)
		}
		for _, l := range leaves[n:] {
			r.Add(l)
		}
		if got := r.Root(); got != full {
			t.Fatalf("restored at %d and continued: root %s, want %s", n, got, full)
		}
		// A wrong number of hashes is refused.
		if _, err := datasets.RestoreAccumulator(uint64(n), append(hs, leaves[0])); !errors.Is(err, datasets.ErrIntegrity) {
			t.Fatalf("restore %d with one hash too many: err = %v, want ErrIntegrity", n, err)
		}
		if len(hs) > 0 {
			if _, err := datasets.RestoreAccumulator(uint64(n), hs[1:]); !errors.Is(err, datasets.ErrIntegrity) {
				t.Fatalf("restore %d with one hash too few: err = %v, want ErrIntegrity", n, err)
			}
		}
	}
}

// flip returns a copy of p with one bit of element i changed.
func flip(p []datasets.Hash, i int) []datasets.Hash {
	q := append([]datasets.Hash(nil), p...)
	q[i][i%32] ^= 0x01
	return q
}

// TestInclusionProofs checks every (index, size) with size up to 40: the
// proof equals RFC 6962 PATH, verifies, and fails when anything is changed.
func TestInclusionProofs(t *testing.T) {
	const maxSize = 40
	leaves := testLeaves(maxSize)
	src := datasets.MemoryLeaves(leaves)
	for size := 1; size <= maxSize; size++ {
		root := refMTH(leaves[:size])
		for index := 0; index < size; index++ {
			p, err := datasets.InclusionProof(src, uint64(index), uint64(size))
			if err != nil {
				t.Fatalf("InclusionProof(%d, %d): %v", index, size, err)
			}
			if want := refPath(index, leaves[:size]); !equalHashes(p, want) {
				t.Fatalf("InclusionProof(%d, %d) = %v, want PATH %v", index, size, p, want)
			}
			leaf := leaves[index]
			if err := datasets.VerifyInclusion(leaf, uint64(index), uint64(size), p, root); err != nil {
				t.Fatalf("VerifyInclusion(%d, %d): %v", index, size, err)
			}
			bad := func(what string, leaf datasets.Hash, index int, p []datasets.Hash, root datasets.Hash) {
				t.Helper()
				if err := datasets.VerifyInclusion(leaf, uint64(index), uint64(size), p, root); !errors.Is(err, datasets.ErrIntegrity) {
					t.Fatalf("(%d, %d) with %s: err = %v, want ErrIntegrity", index, size, what, err)
				}
			}
			for i := range p {
				bad(fmt.Sprintf("path[%d] changed", i), leaf, index, flip(p, i), root)
			}
			if len(p) > 0 {
				bad("path truncated", leaf, index, p[:len(p)-1], root)
			}
			bad("path extended", leaf, index, append(append([]datasets.Hash(nil), p...), root), root)
			bad("another leaf", leaves[(index+1)%maxSize], index, p, root)
			bad("another root", leaf, index, p, refMTH(leaves[:size-1]))
			if size > 1 {
				bad("another index", leaf, (index+1)%size, p, root)
			}
		}
		if _, err := datasets.InclusionProof(src, uint64(size), uint64(size)); !errors.Is(err, datasets.ErrProof) {
			t.Fatalf("InclusionProof(%d, %d): err = %v, want ErrProof", size, size, err)
		}
	}
	if _, err := datasets.InclusionProof(src, 0, maxSize+1); err == nil {
		t.Fatal("InclusionProof beyond the known leaves succeeded")
	}
}

// TestConsistencyProofs checks every 0 ≤ size1 ≤ size2 ≤ 40: the proof
// equals RFC 6962 PROOF, verifies, and fails when anything is changed.
func TestConsistencyProofs(t *testing.T) {
	const maxSize = 40
	leaves := testLeaves(maxSize)
	src := datasets.MemoryLeaves(leaves)
	for size2 := 0; size2 <= maxSize; size2++ {
		root2 := refMTH(leaves[:size2])
		for size1 := 0; size1 <= size2; size1++ {
			root1 := refMTH(leaves[:size1])
			p, err := datasets.ConsistencyProof(src, uint64(size1), uint64(size2))
			if err != nil {
				t.Fatalf("ConsistencyProof(%d, %d): %v", size1, size2, err)
			}
			if want := refConsistency(size1, leaves[:size2]); !equalHashes(p, want) {
				t.Fatalf("ConsistencyProof(%d, %d) = %v, want PROOF %v", size1, size2, p, want)
			}
			if err := datasets.VerifyConsistency(uint64(size1), uint64(size2), p, root1, root2); err != nil {
				t.Fatalf("VerifyConsistency(%d, %d): %v", size1, size2, err)
			}
			bad := func(what string, p []datasets.Hash, r1, r2 datasets.Hash) {
				t.Helper()
				if err := datasets.VerifyConsistency(uint64(size1), uint64(size2), p, r1, r2); !errors.Is(err, datasets.ErrIntegrity) {
					t.Fatalf("(%d, %d) with %s: err = %v, want ErrIntegrity", size1, size2, what, err)
				}
			}
			for i := range p {
				bad(fmt.Sprintf("path[%d] changed", i), flip(p, i), root1, root2)
			}
			if len(p) > 0 {
				bad("path truncated", p[:len(p)-1], root1, root2)
			}
			bad("path extended", append(append([]datasets.Hash(nil), p...), root1), root1, root2)
			if size1 > 0 {
				// Size 0 is consistent with every tree; its root is not checked.
				bad("another old root", p, flip([]datasets.Hash{root1}, 0)[0], root2)
				bad("another new root", p, root1, flip([]datasets.Hash{root2}, 0)[0])
			}
			if size1 > 0 && size1 < size2 {
				// History rewritten: the old tree had a different leaf.
				other := append([]datasets.Hash(nil), leaves[:size2]...)
				other[size1-1] = flip([]datasets.Hash{other[size1-1]}, 0)[0]
				bad("a rewritten old tree", p, refMTH(other[:size1]), root2)
			}
		}
	}
	if _, err := datasets.ConsistencyProof(src, 5, 4); !errors.Is(err, datasets.ErrProof) {
		t.Fatalf("ConsistencyProof(5, 4): err = %v, want ErrProof", err)
	}
	if _, err := datasets.ConsistencyProof(src, 3, maxSize+1); err == nil {
		t.Fatal("ConsistencyProof beyond the known leaves succeeded")
	}
}

// TestMemoryLeaves checks the bounds of the in-memory leaf source.
func TestMemoryLeaves(t *testing.T) {
	m := datasets.MemoryLeaves(testLeaves(3))
	for _, tc := range []struct {
		begin, end uint64
		ok         bool
	}{{0, 0, true}, {0, 3, true}, {1, 2, true}, {3, 3, true}, {2, 1, false}, {0, 4, false}, {4, 4, false}} {
		got, err := m.Leaves(tc.begin, tc.end)
		if tc.ok != (err == nil) {
			t.Errorf("Leaves(%d, %d): err = %v", tc.begin, tc.end, err)
		}
		if err == nil && uint64(len(got)) != tc.end-tc.begin {
			t.Errorf("Leaves(%d, %d) returned %d leaves", tc.begin, tc.end, len(got))
		}
		if err != nil && !errors.Is(err, datasets.ErrProof) {
			t.Errorf("Leaves(%d, %d): err = %v, want ErrProof", tc.begin, tc.end, err)
		}
	}
}

// TestAccumulatorTiles checks trees large enough for the accumulator's
// tiles of 256 leaves (hashed in place as one node): sizes on and around
// tile boundaries, parts beginning inside a tile and joined, and roots,
// Hashes and ends asked for in the middle of a tile, against RFC 6962 MTH.
func TestAccumulatorTiles(t *testing.T) {
	leaves := testLeaves(1300)
	cases := []struct {
		name      string
		n         int
		splits    []int // where the parts begin (besides 0)
		peekEvery int   // ask Root/Hashes/End every so many leaves (0: never)
	}{
		{name: "one tile", n: 256},
		{name: "tile plus one", n: 257},
		{name: "one short of two tiles", n: 511},
		{name: "five tiles and some", n: 1300},
		{name: "parts inside tiles", n: 1300, splits: []int{1, 300, 512, 513, 1023}},
		{name: "part ending on a tile", n: 1024, splits: []int{768}},
		{name: "peeks mid-tile", n: 1300, peekEvery: 97},
		{name: "parts and peeks", n: 1300, splits: []int{255, 700}, peekEvery: 211},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bounds := append(append([]int{0}, c.splits...), c.n)
			var acc *datasets.Accumulator
			for p := 0; p+1 < len(bounds); p++ {
				part := datasets.NewAccumulator(uint64(bounds[p]))
				for i := bounds[p]; i < bounds[p+1]; i++ {
					part.Add(leaves[i])
					if c.peekEvery > 0 && (i+1)%c.peekEvery == 0 {
						if part.End() != uint64(i+1) {
							t.Fatalf("end %d after leaf %d", part.End(), i)
						}
						part.Hashes()
						if p == 0 {
							if got, want := part.Root(), refMTH(leaves[:i+1]); got != want {
								t.Fatalf("root of %d leaves = %s, want %s", i+1, got, want)
							}
						}
					}
				}
				if acc == nil {
					acc = part
				} else if err := acc.Join(part); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := acc.Root(), refMTH(leaves[:c.n]); got != want {
				t.Fatalf("root of %d leaves = %s, want %s", c.n, got, want)
			}
			if acc.End() != uint64(c.n) {
				t.Fatalf("end %d, want %d", acc.End(), c.n)
			}
			r, err := datasets.RestoreAccumulator(uint64(c.n), acc.Hashes())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Root(), refMTH(leaves[:c.n]); got != want {
				t.Fatalf("restored root = %s, want %s", got, want)
			}
		})
	}
}
