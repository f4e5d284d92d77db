package store

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/holiman/uint256"
)

// decimalStrings renders 32-byte big-endian integers as decimal strings
// (two's complement when signed), for the catalog's BIGNUM columns.
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
