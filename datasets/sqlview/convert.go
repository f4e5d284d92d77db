package sqlview

import (
	"fmt"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/holiman/uint256"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The Parquet copy keeps addresses and 32-byte hashes as the segment does
// (fixed-size binary; the views format them as 0x text) and splits each
// uint256/int256 column in two: "<name>" as DECIMAL(38,0) (a 16-byte
// FIXED_LEN_BYTE_ARRAY, which DuckDB reads and sums natively) holding the
// values within ±(10^38−1), nearly all in practice, and "<name>#text" with
// the decimal text of the others (NULL where the decimal column holds the
// value). Column names cannot contain '#', so the names never collide.

// TextSuffix is the suffix of the Parquet column holding the decimal text
// of the uint256/int256 values beyond DECIMAL(38,0).
const TextSuffix = "#text"

// decimalType is the Parquet copy's type of a uint256/int256 value that
// fits: DECIMAL(38,0).
var decimalType = &arrow.Decimal128Type{Precision: 38, Scale: 0}

// maxDecimal38 and minDecimal38 bound DECIMAL(38,0): ±(10^38−1).
var maxDecimal38, minDecimal38 = func() (decimal128.Num, decimal128.Num) {
	m := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil), big.NewInt(1))
	hi := decimal128.FromBigInt(m)
	return hi, hi.Negate()
}()

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
				arrow.Field{Name: f.Name, Type: decimalType, Nullable: true},
				arrow.Field{Name: f.Name + TextSuffix, Type: arrow.BinaryTypes.String, Nullable: true})
			continue
		}
		fields = append(fields, f)
	}
	return arrow.NewSchema(fields, nil), nil
}

// convertBatch returns rec with its columns in the Parquet copy's forms,
// marks in text the wide columns (by schema index) that needed text and
// raises maxAbs to the largest |value| of their DECIMAL(38,0) form.
func convertBatch(mem memory.Allocator, s *datasets.Schema, out *arrow.Schema, rec arrow.RecordBatch, text []bool, maxAbs []decimal128.Num) (arrow.RecordBatch, error) {
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
		dec, txt, any := splitWide(mem, fb, c.Type == datasets.TypeInt256, &maxAbs[i])
		text[i] = text[i] || any
		cols = append(cols, dec, txt)
	}
	return array.NewRecordBatch(out, cols, rec.NumRows()), nil
}

// splitWide converts 32-byte big-endian integers (two's complement when
// signed) into DECIMAL(38,0) and, for the values beyond it, decimal text;
// anyText reports whether a value needed text; maxAbs rises to the largest
// |value| in DECIMAL(38,0).
func splitWide(mem memory.Allocator, a *array.FixedSizeBinary, signed bool, maxAbs *decimal128.Num) (dec, text arrow.Array, anyText bool) {
	db, tb := array.NewDecimal128Builder(mem, decimalType), array.NewStringBuilder(mem)
	defer db.Release()
	defer tb.Release()
	db.Reserve(a.Len())
	var buf []byte
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			db.UnsafeAppendBoolToBitmap(false)
			tb.AppendNull()
			continue
		}
		b := a.Value(i)
		if n, ok := decimal38(b, signed); ok {
			if a := n.Abs(); a.Greater(*maxAbs) {
				*maxAbs = a
			}
			db.UnsafeAppend(n)
			tb.AppendNull()
			continue
		}
		var v uint256.Int
		v.SetBytes32(b)
		buf = appendDecimal(buf[:0], &v, signed)
		db.UnsafeAppendBoolToBitmap(false)
		tb.BinaryBuilder.Append(buf)
		anyText = true
	}
	return db.NewArray(), tb.NewArray(), anyText
}

// decimal38 returns b as a DECIMAL(38,0) value when it is one: a signed
// 128-bit integer (its upper half repeats the sign bit of the lower half,
// zero for an unsigned value) within ±(10^38−1).
func decimal38(b []byte, signed bool) (decimal128.Num, bool) {
	var fill byte
	if b[16]&0x80 != 0 {
		if !signed {
			return decimal128.Num{}, false
		}
		fill = 0xff
	}
	for _, x := range b[:16] {
		if x != fill {
			return decimal128.Num{}, false
		}
	}
	hi := int64(uint64(b[16])<<56 | uint64(b[17])<<48 | uint64(b[18])<<40 | uint64(b[19])<<32 |
		uint64(b[20])<<24 | uint64(b[21])<<16 | uint64(b[22])<<8 | uint64(b[23]))
	lo := uint64(b[24])<<56 | uint64(b[25])<<48 | uint64(b[26])<<40 | uint64(b[27])<<32 |
		uint64(b[28])<<24 | uint64(b[29])<<16 | uint64(b[30])<<8 | uint64(b[31])
	n := decimal128.New(hi, lo)
	if n.Greater(maxDecimal38) || n.Less(minDecimal38) {
		return decimal128.Num{}, false
	}
	return n, true
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
