package datasetstest

import (
	"encoding/binary"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// VotesSchema is a votes-like schema of ten columns keyed by
// (chain_id, tx_hash, log_index).
func VotesSchema() *datasets.Schema {
	return &datasets.Schema{
		Columns: []datasets.Column{
			{Name: "chain_id", Type: datasets.TypeUint64},
			{Name: "tx_hash", Type: datasets.TypeBytes32},
			{Name: "log_index", Type: datasets.TypeUint32},
			{Name: "voter", Type: datasets.TypeAddress},
			{Name: "proposal_id", Type: datasets.TypeUint256},
			{Name: "support", Type: datasets.TypeUint8},
			{Name: "weight", Type: datasets.TypeUint256},
			{Name: "reason", Type: datasets.TypeString, Nullable: true},
			{Name: "block_number", Type: datasets.TypeUint64},
			{Name: "block_time", Type: datasets.TypeTimestamp},
		},
		Key: []string{"chain_id", "tx_hash", "log_index"},
	}
}

var reasons = []string{
	"",
	"for",
	"Supporting this proposal: it lowers risk for suppliers.",
	"Against: the oracle change has not been audited and the timelock is too short for a change of this size.",
}

// mix is a cheap deterministic hash of a row number (splitmix64).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// VotesBatch returns rows [start, start+n) of the deterministic votes table.
// The caller releases the record.
func VotesBatch(mem memory.Allocator, start, n int) arrow.RecordBatch {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	as, err := VotesSchema().ArrowSchema()
	if err != nil {
		panic(err)
	}
	b := array.NewRecordBuilder(mem, as)
	defer b.Release()
	for i := start; i < start+n; i++ {
		appendVote(b, uint64(i))
	}
	return b.NewRecordBatch()
}

func appendVote(b *array.RecordBuilder, row uint64) {
	h := mix(row)
	var word [32]byte
	binary.BigEndian.PutUint64(word[0:], h)
	binary.BigEndian.PutUint64(word[8:], row)
	binary.BigEndian.PutUint64(word[16:], mix(h))
	binary.BigEndian.PutUint64(word[24:], ^h)
	b.Field(0).(*array.Uint64Builder).Append(1)
	b.Field(1).(*array.FixedSizeBinaryBuilder).Append(word[:])
	b.Field(2).(*array.Uint32Builder).Append(uint32(row % 300))
	b.Field(3).(*array.FixedSizeBinaryBuilder).Append(word[4:24])
	var pid [32]byte
	binary.BigEndian.PutUint64(pid[24:], 1+row/5000)
	b.Field(4).(*array.FixedSizeBinaryBuilder).Append(pid[:])
	b.Field(5).(*array.Uint8Builder).Append(uint8(h % 3))
	var w [32]byte
	binary.BigEndian.PutUint64(w[16:], h>>40)
	binary.BigEndian.PutUint64(w[24:], h)
	b.Field(6).(*array.FixedSizeBinaryBuilder).Append(w[:])
	if r := reasons[h%uint64(len(reasons))]; r == "" && h%7 == 0 {
		b.Field(7).AppendNull()
	} else {
		b.Field(7).(*array.StringBuilder).Append(r)
	}
	b.Field(8).(*array.Uint64Builder).Append(12_000_000 + row/20)
	b.Field(9).(*array.TimestampBuilder).Append(arrow.Timestamp(1_615_000_000_000_000 + int64(row)*600_000))
}

// WeightString returns the decimal weight of row, for assertions.
func WeightString(row uint64) string {
	h := mix(row)
	w := new(big.Int).Lsh(new(big.Int).SetUint64(h>>40), 64)
	return w.Or(w, new(big.Int).SetUint64(h)).String()
}
