package datasets_test

import (
	"crypto/sha256"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

func leavesN(n int) datasets.MemoryLeaves {
	out := make(datasets.MemoryLeaves, n)
	for i := range out {
		out[i] = datasets.Hash(sha256.Sum256([]byte{byte(i), byte(i >> 8), byte(i >> 16)}))
	}
	return out
}

// TestProofTreeMatchesDirectProofs compares cached-tree proofs with proofs
// computed from the leaves alone, across sizes around tile boundaries.
func TestProofTreeMatchesDirectProofs(t *testing.T) {
	for _, size := range []uint64{1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257} {
		leaves := leavesN(int(size))
		acc := datasets.NewAccumulator(0)
		for _, l := range leaves {
			acc.Add(l)
		}
		root := acc.Root()
		for _, level := range []uint{0, 1, 2, 4} {
			tree, err := datasets.NewProofTree(leaves, size, level)
			if err != nil {
				t.Fatal(err)
			}
			for i := uint64(0); i < size; i++ {
				got, err := tree.Inclusion(i)
				if err != nil {
					t.Fatal(err)
				}
				if err := datasets.VerifyInclusion(leaves[i], i, size, got, root); err != nil {
					t.Fatalf("size %d level %d leaf %d: %v", size, level, i, err)
				}
			}
			for s1 := uint64(1); s1 <= size; s1++ {
				got, err := tree.Consistency(s1)
				if err != nil {
					t.Fatal(err)
				}
				a1 := datasets.NewAccumulator(0)
				for _, l := range leaves[:s1] {
					a1.Add(l)
				}
				if err := datasets.VerifyConsistency(s1, size, got, a1.Root(), root); err != nil {
					t.Fatalf("size %d level %d from %d: %v", size, level, s1, err)
				}
			}
		}
	}
}

func BenchmarkProofTreeInclusion(b *testing.B) {
	const size = 1 << 20
	leaves := leavesN(size)
	tree, err := datasets.NewProofTree(leaves, size, datasets.DefaultTileLevel)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tree.Inclusion(uint64(i*7919) % size); err != nil {
			b.Fatal(err)
		}
	}
}
