package store

import (
	"crypto/sha256"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
)

// BenchmarkKeyDigests measures the per-row cost of key enforcement: the
// key digest of each row written (votes-like rows, a three-column key).
func BenchmarkKeyDigests(b *testing.B) {
	rec := datasetstest.VotesBatch(nil, 0, 65536)
	defer rec.Release()
	k, err := newKeyHasher(datasetstest.VotesSchema(), 0x9e3779b97f4a7c15)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]uint64, 0, 65536)
	b.ResetTimer()
	for b.Loop() {
		if dst, err = k.appendDigests(dst[:0], rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/65536, "ns/row")
}

// BenchmarkKeyDigestsFloor is the SHA-256 of a 300-byte row, for scale: the
// seal hashes every row once.
func BenchmarkKeyDigestsFloor(b *testing.B) {
	row := make([]byte, 300)
	for b.Loop() {
		for range 65536 {
			_ = sha256.Sum256(row)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/65536, "ns/row")
}
