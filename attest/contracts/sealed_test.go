package contracts_test

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestVerifyRecordSealedVersion attests the root of a version sealed by the
// datasets package (segment files and their leaf index) and checks rows
// on-chain with proofs the package produces from those files.
func TestVerifyRecordSealedVersion(t *testing.T) {
	dir := t.TempDir()
	const rows = 1234
	b, err := datasets.NewBuilder(dir, datasetstest.VotesSchema(), 0, datasets.BuilderOptions{SegmentRows: 500, BatchRows: 128})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < rows; off += 100 {
		rec := datasetstest.VotesBatch(nil, off, min(100, rows-off))
		if err := b.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	segs, acc, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	m := &datasets.Manifest{Segments: segs, RowCount: acc.End(), MerkleRoot: acc.Root()}
	leaves := datasets.NewVersionLeaves(dir, m)
	tree, err := datasets.NewProofTree(leaves, m.RowCount, 4)
	if err != nil {
		t.Fatal(err)
	}
	c := testchain.StartAnvil(t)
	r := deployRegistry(t, c, 3, 2)
	r.attestBy(t, statement("votes", 1, common.Hash(m.MerkleRoot), m.RowCount), 0, 2)
	for _, i := range []uint64{0, 1, 499, 500, 777, rows - 1} {
		path, err := tree.Inclusion(i)
		if err != nil {
			t.Fatal(err)
		}
		direct, err := datasets.InclusionProof(leaves, i, m.RowCount)
		if err != nil || len(direct) != len(path) {
			t.Fatalf("row %d: direct proof %v differs in length", i, err)
		}
		leaf, _ := leaves.Leaves(i, i+1)
		p := make([][32]byte, len(path))
		for j := range path {
			p[j] = path[j]
		}
		if !r.verify(t, "votes", 1, leaf[0], i, m.RowCount, p) {
			t.Errorf("row %d: verifyRecord rejected the proof of a sealed row", i)
		}
		bad := leaf[0]
		bad[0] ^= 0x80
		if r.verify(t, "votes", 1, bad, i, m.RowCount, p) {
			t.Errorf("row %d: verifyRecord accepted a tampered leaf", i)
		}
	}
}
