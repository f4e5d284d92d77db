package serve

import (
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

// BenchmarkRowLeaf measures the check F3 adds to every served row: the
// canonical encoding and leaf hash of one row of a 256-row block.
func BenchmarkRowLeaf(b *testing.B) {
	sch := datasetstest.VotesSchema()
	rec := datasetstest.VotesBatch(nil, 0, blockRows)
	defer rec.Release()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := rowLeaf(sch, rec, i%blockRows); err != nil {
			b.Fatal(err)
		}
	}
}
