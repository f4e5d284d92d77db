package sqlview

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/holiman/uint256"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The Parquet copy keeps addresses and 32-byte hashes as the segment does
// (fixed-size binary; the views format them as 0x text) and splits each
// uint256/int256 column in three: "<name>#hi" (INT64) and "<name>#lo"
// (UINT64), the two halves of the values that fit a signed 128-bit integer
// (nearly all in practice; DuckDB joins them into a HUGEINT fast), and
// "<name>#text" with the decimal text of the others. Column names cannot
// contain '#', so these names never collide.

// Suffixes of the Parquet columns of a uint256/int256 column.
const (
	HiSuffix   = "#hi"
	LoSuffix   = "#lo"
	TextSuffix = "#text"
)

// wideInt reports whether t is a 256-bit integer.
func wideInt(t datasets.Type) bool { return t == datasets.TypeUint256 || t == datasets.TypeInt256 }

// hexColumn reports whether t is kept as fixed-size binary and shown as 0x text.
func hexColumn(t datasets.Type) bool { return t == datasets.TypeAddress || t == datasets.TypeBytes32 }

// parquetSchema is the Arrow schema of a segment's Parquet copy.
func parquetSchema(s *datasets.Schema) (*arrow.Schema, error) {
	as, err := s.ArrowSchema()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	var fields []arrow.Field
	for i, f := range as.Fields() {
		f.Metadata = arrow.Metadata{}
		if wideInt(s.Columns[i].Type) {
			fields = append(fields,
				arrow.Field{Name: f.Name + HiSuffix, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
				arrow.Field{Name: f.Name + LoSuffix, Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
				arrow.Field{Name: f.Name + TextSuffix, Type: arrow.BinaryTypes.String, Nullable: true})
			continue
		}
		fields = append(fields, f)
	}
	return arrow.NewSchema(fields, nil), nil
}

// convertBatch returns rec with its columns in the Parquet copy's forms.
func convertBatch(mem memory.Allocator, s *datasets.Schema, out *arrow.Schema, rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, 0, out.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for i, c := range s.Columns {
		col := rec.Column(i)
		if !wideInt(c.Type) {
			col.Retain()
			cols = append(cols, col)
			continue
		}
		fb, ok := col.(*array.FixedSizeBinary)
		if !ok {
			return nil, fmt.Errorf("%w: column %q: want fixed-size binary, the segment has %s", ErrParquet, c.Name, col.DataType())
		}
		hi, lo, text := splitWide(mem, fb, c.Type == datasets.TypeInt256)
		cols = append(cols, hi, lo, text)
	}
	return array.NewRecordBatch(out, cols, rec.NumRows()), nil
}

// splitWide converts 32-byte big-endian integers (two's complement when
// signed) into the halves of a signed 128-bit integer and, for the values
// that do not fit, decimal text.
func splitWide(mem memory.Allocator, a *array.FixedSizeBinary, signed bool) (hi, lo, text arrow.Array) {
	hb, lb, tb := array.NewInt64Builder(mem), array.NewUint64Builder(mem), array.NewStringBuilder(mem)
	defer hb.Release()
	defer lb.Release()
	defer tb.Release()
	hb.Reserve(a.Len())
	lb.Reserve(a.Len())
	tb.Reserve(a.Len())
	var buf []byte
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			hb.UnsafeAppendBoolToBitmap(false)
			lb.UnsafeAppendBoolToBitmap(false)
			tb.AppendNull()
			continue
		}
		b := a.Value(i)
		if fits128(b, signed) {
			hb.UnsafeAppend(int64(binary.BigEndian.Uint64(b[16:24])))
			lb.UnsafeAppend(binary.BigEndian.Uint64(b[24:32]))
			tb.AppendNull()
			continue
		}
		var v uint256.Int
		v.SetBytes32(b)
		buf = appendDecimal(buf[:0], &v, signed)
		hb.UnsafeAppendBoolToBitmap(false)
		lb.UnsafeAppendBoolToBitmap(false)
		tb.BinaryBuilder.Append(buf)
	}
	return hb.NewArray(), lb.NewArray(), tb.NewArray()
}

// fits128 reports whether b is a signed 128-bit integer: its upper half
// repeats the sign bit of the lower half (zero for an unsigned value).
func fits128(b []byte, signed bool) bool {
	var fill byte
	if b[16]&0x80 != 0 {
		if !signed {
			return false
		}
		fill = 0xff
	}
	for _, x := range b[:16] {
		if x != fill {
			return false
		}
	}
	return true
}

// appendDecimal appends the decimal form of v; fast for values below 2^64.
func appendDecimal(dst []byte, v *uint256.Int, signed bool) []byte {
	if signed && v.Sign() < 0 {
		var neg uint256.Int
		neg.Neg(v)
		dst = append(dst, '-')
		return append(dst, neg.Dec()...)
	}
	return append(dst, v.Dec()...)
}
