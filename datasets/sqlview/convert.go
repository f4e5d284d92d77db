package sqlview

import (
	"encoding/hex"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/holiman/uint256"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// textColumn reports whether a column is stored as text in the Parquet copy
// though its segment holds fixed-size binary (addresses, hashes, wide ints).
func textColumn(t datasets.Type) bool {
	switch t {
	case datasets.TypeAddress, datasets.TypeBytes32, datasets.TypeUint256, datasets.TypeInt256:
		return true
	}
	return false
}

// wideInt reports whether t is a 256-bit integer (decimal text in the copy,
// BIGNUM in the views).
func wideInt(t datasets.Type) bool { return t == datasets.TypeUint256 || t == datasets.TypeInt256 }

// parquetSchema is the Arrow schema of a segment's Parquet copy.
func parquetSchema(s *datasets.Schema) (*arrow.Schema, error) {
	as, err := s.ArrowSchema()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	fields := make([]arrow.Field, len(s.Columns))
	for i, f := range as.Fields() {
		f.Metadata = arrow.Metadata{}
		if textColumn(s.Columns[i].Type) {
			f.Type = arrow.BinaryTypes.String
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil), nil
}

// convertBatch returns rec with its columns in the Parquet copy's forms.
func convertBatch(mem memory.Allocator, s *datasets.Schema, out *arrow.Schema, rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(s.Columns))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range s.Columns {
		col := rec.Column(i)
		if !textColumn(c.Type) {
			col.Retain()
			cols[i] = col
			continue
		}
		fb, ok := col.(*array.FixedSizeBinary)
		if !ok {
			return nil, fmt.Errorf("%w: column %q: want fixed-size binary, the segment has %s", ErrParquet, c.Name, col.DataType())
		}
		if wideInt(c.Type) {
			cols[i] = decimalStrings(mem, fb, c.Type == datasets.TypeInt256)
		} else {
			cols[i] = hexStrings(mem, fb)
		}
	}
	return array.NewRecordBatch(out, cols, rec.NumRows()), nil
}

// hexStrings renders fixed-size binary values as lowercase 0x hex text.
func hexStrings(mem memory.Allocator, a *array.FixedSizeBinary) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	w := a.DataType().(*arrow.FixedSizeBinaryType).ByteWidth
	b.Reserve(a.Len())
	b.ReserveData(a.Len() * (2 + 2*w))
	buf := make([]byte, 2+2*w)
	buf[0], buf[1] = '0', 'x'
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		hex.Encode(buf[2:], a.Value(i))
		b.BinaryBuilder.Append(buf)
	}
	return b.NewArray()
}

// decimalStrings renders 32-byte big-endian integers as decimal text (two's
// complement when signed).
func decimalStrings(mem memory.Allocator, a *array.FixedSizeBinary, signed bool) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(a.Len())
	var buf []byte
	var v uint256.Int
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		v.SetBytes32(a.Value(i))
		buf = appendDecimal(buf[:0], &v, signed)
		b.BinaryBuilder.Append(buf)
	}
	return b.NewArray()
}

// appendDecimal appends the decimal form of v; fast for values below 2^64.
func appendDecimal(dst []byte, v *uint256.Int, signed bool) []byte {
	if signed && v.Sign() < 0 {
		var neg uint256.Int
		neg.Neg(v)
		dst = append(dst, '-')
		return append(dst, neg.Dec()...)
	}
	if v.IsUint64() {
		return appendUint(dst, v.Uint64())
	}
	return append(dst, v.Dec()...)
}

func appendUint(dst []byte, x uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for x >= 10 {
		i--
		tmp[i] = byte('0' + x%10)
		x /= 10
	}
	i--
	tmp[i] = byte('0' + x)
	return append(dst, tmp[i:]...)
}
