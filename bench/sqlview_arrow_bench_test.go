//go:build duckdb_arrow

package bench

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/holiman/uint256"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// weightReader streams (support, weight as decimal text) from a version's
// segment files: the Arrow-interface alternative to the Parquet copies,
// projected to the two columns the aggregate needs (its best case).
type weightReader struct {
	vr     *datasets.VersionReader
	schema *arrow.Schema
	rec    arrow.RecordBatch
	refs   atomic.Int64
	err    error
}

func newWeightReader(root string, m *datasets.Manifest) (*weightReader, error) {
	vr, err := datasets.NewVersionReader(root, m)
	if err != nil {
		return nil, err
	}
	r := &weightReader{vr: vr, schema: arrow.NewSchema([]arrow.Field{
		{Name: "support", Type: arrow.PrimitiveTypes.Uint8},
		{Name: "weight", Type: arrow.BinaryTypes.String},
	}, nil)}
	r.refs.Store(1)
	return r, nil
}

func (r *weightReader) Schema() *arrow.Schema { return r.schema }

func (r *weightReader) Next() bool {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	if !r.vr.Next() {
		r.err = r.vr.Err()
		return false
	}
	in := r.vr.RecordBatch()
	support := in.Column(5)
	support.Retain()
	w := in.Column(6).(*array.FixedSizeBinary)
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(w.Len())
	var v uint256.Int
	for i := 0; i < w.Len(); i++ {
		v.SetBytes32(w.Value(i))
		b.Append(v.Dec())
	}
	weights := b.NewArray()
	r.rec = array.NewRecordBatch(r.schema, []arrow.Array{support, weights}, in.NumRows())
	support.Release()
	weights.Release()
	return true
}

func (r *weightReader) RecordBatch() arrow.RecordBatch { return r.rec }
func (r *weightReader) Record() arrow.RecordBatch      { return r.rec }
func (r *weightReader) Err() error                     { return r.err }
func (r *weightReader) Retain()                        { r.refs.Add(1) }

func (r *weightReader) Release() {
	if r.refs.Add(-1) == 0 {
		if r.rec != nil {
			r.rec.Release()
		}
		r.vr.Release()
	}
}
