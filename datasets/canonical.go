package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// wordSize is the size of one ABI word.
const wordSize = 32

// canonicalNaN is the only NaN bit pattern the canonical encoding emits.
const canonicalNaN = 0x7FF8000000000000

// RowEncoder produces the canonical bytes of rows (docs/SPEC.md): the Solidity
// ABI encoding abi.encode(uint256 nullMask, v1, ..., vn) of the typed columns.
// A RowEncoder is bound to one record at a time and is not safe for
// concurrent use; make one per goroutine.
type RowEncoder struct {
	schema  *Schema
	cols    []colEncoder
	dynamic []bool
	// nulls marks the bound record's columns holding any null: the
	// others skip the per-row validity lookup.
	nulls []bool
	// matched is the last Arrow schema found to match (Arrow schemas are
	// immutable, so the same pointer needs no second check: a server
	// binds one-row slices of the same block per request).
	matched *arrow.Schema
}

// colEncoder writes column values for one bound record.
type colEncoder interface {
	isNull(i int) bool
	// word writes the 32-byte head word of a static value.
	word(dst []byte, i int)
	// bytes returns the payload of a dynamic value (string, bytes).
	bytes(i int) []byte
}

// NewRowEncoder returns an encoder for rows of s.
func NewRowEncoder(s *Schema) (*RowEncoder, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	e := &RowEncoder{schema: s, cols: make([]colEncoder, len(s.Columns)), dynamic: make([]bool, len(s.Columns)), nulls: make([]bool, len(s.Columns))}
	for i, c := range s.Columns {
		e.dynamic[i] = c.Type == TypeString || c.Type == TypeBytes
	}
	return e, nil
}

// Bind prepares the encoder for the rows of rec, which must match the schema;
// a null in a column the schema declares non-nullable is refused.
func (e *RowEncoder) Bind(rec arrow.RecordBatch) error {
	if as := rec.Schema(); as != e.matched {
		if err := e.schema.CheckArrow(as); err != nil {
			return err
		}
		e.matched = as
	}
	for i, c := range e.schema.Columns {
		if !c.Nullable && rec.Column(i).NullN() > 0 {
			return fmt.Errorf("%w: column %q is not nullable but holds %d null(s)", ErrSchema, c.Name, rec.Column(i).NullN())
		}
		enc, err := newColEncoder(c, rec.Column(i))
		if err != nil {
			return err
		}
		e.cols[i] = enc
		e.nulls[i] = rec.Column(i).NullN() > 0
	}
	return nil
}

// AppendRow appends the canonical bytes of row i of the bound record to dst.
func (e *RowEncoder) AppendRow(dst []byte, i int) []byte {
	n := len(e.cols)
	headLen := (n + 1) * wordSize
	base := len(dst)
	dst = grow(dst, headLen)
	head := dst[base : base+headLen]
	clear(head)
	var mask [wordSize]byte
	for c, col := range e.cols {
		slot := head[(c+1)*wordSize : (c+2)*wordSize]
		null := e.nulls[c] && col.isNull(i)
		if null {
			mask[wordSize-1-c/8] |= 1 << (c % 8)
		}
		if e.dynamic[c] {
			putUint64(slot, uint64(len(dst)-base))
			var payload []byte
			if !null {
				payload = col.bytes(i)
			}
			dst = appendDynamic(dst, payload)
			head = dst[base : base+headLen]
			continue
		}
		if !null {
			col.word(slot, i)
		}
	}
	copy(head[:wordSize], mask[:])
	return dst
}

// LeafHash returns the RFC 6962 leaf hash SHA-256(0x00 ‖ row) of canonical
// row bytes; buf must start with one spare byte in front of row, i.e. the
// caller passes the whole buffer with buf[0] reserved for the prefix.
func LeafHash(prefixed []byte) Hash {
	prefixed[0] = 0x00
	return Hash(sha256.Sum256(prefixed))
}

// HashRow returns the leaf hash of canonical row bytes without requiring a
// reserved prefix byte.
func HashRow(row []byte) Hash {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(row)
	var out Hash
	h.Sum(out[:0])
	return out
}

func grow(dst []byte, n int) []byte {
	if cap(dst)-len(dst) < n {
		nd := make([]byte, len(dst), 2*cap(dst)+n)
		copy(nd, dst)
		dst = nd
	}
	return dst[:len(dst)+n]
}

func appendDynamic(dst, payload []byte) []byte {
	var lenWord [wordSize]byte
	putUint64(lenWord[:], uint64(len(payload)))
	dst = append(dst, lenWord[:]...)
	dst = append(dst, payload...)
	if pad := (wordSize - len(payload)%wordSize) % wordSize; pad > 0 {
		var zeros [wordSize]byte
		dst = append(dst, zeros[:pad]...)
	}
	return dst
}

// putUint64 writes v right-aligned into a zeroed 32-byte word.
func putUint64(word []byte, v uint64) {
	binary.BigEndian.PutUint64(word[24:32], v)
}

// putInt64 writes v sign-extended into a 32-byte word.
func putInt64(word []byte, v int64) {
	if v < 0 {
		for j := 0; j < 24; j++ {
			word[j] = 0xff
		}
	}
	binary.BigEndian.PutUint64(word[24:32], uint64(v))
}

// Float64Bits returns the canonical IEEE-754 bits of f: every NaN becomes
// 0x7FF8000000000000; all other values keep their bits.
func Float64Bits(f float64) uint64 {
	if f != f {
		return canonicalNaN
	}
	return math.Float64bits(f)
}

func newColEncoder(c Column, arr arrow.Array) (colEncoder, error) {
	switch c.Type {
	case TypeBool:
		return boolCol{arr.(*array.Boolean)}, nil
	case TypeInt8:
		return signedCol[int8]{arr, arr.(*array.Int8).Int8Values()}, nil
	case TypeInt16:
		return signedCol[int16]{arr, arr.(*array.Int16).Int16Values()}, nil
	case TypeInt32:
		return signedCol[int32]{arr, arr.(*array.Int32).Int32Values()}, nil
	case TypeInt64:
		return signedCol[int64]{arr, arr.(*array.Int64).Int64Values()}, nil
	case TypeTimestamp:
		return timestampCol{arr, arr.(*array.Timestamp).TimestampValues()}, nil
	case TypeUint8:
		return unsignedCol[uint8]{arr, arr.(*array.Uint8).Uint8Values()}, nil
	case TypeUint16:
		return unsignedCol[uint16]{arr, arr.(*array.Uint16).Uint16Values()}, nil
	case TypeUint32:
		return unsignedCol[uint32]{arr, arr.(*array.Uint32).Uint32Values()}, nil
	case TypeUint64:
		return unsignedCol[uint64]{arr, arr.(*array.Uint64).Uint64Values()}, nil
	case TypeFloat64:
		return floatCol{arr, arr.(*array.Float64).Float64Values()}, nil
	case TypeString:
		return newStringCol(arr.(*array.String)), nil
	case TypeBytes:
		return binaryCol{arr.(*array.Binary)}, nil
	case TypeAddress, TypeBytes32, TypeUint256, TypeInt256:
		return fixedCol{arr.(*array.FixedSizeBinary)}, nil
	}
	return nil, fmt.Errorf("%w: column %q has unsupported type %q", ErrSchema, c.Name, c.Type)
}

type boolCol struct{ a *array.Boolean }

func (c boolCol) isNull(i int) bool { return c.a.IsNull(i) }
func (c boolCol) word(dst []byte, i int) {
	if c.a.Value(i) {
		dst[31] = 1
	}
}
func (c boolCol) bytes(int) []byte { return nil }

type signedCol[T int8 | int16 | int32 | int64] struct {
	a arrow.Array
	v []T
}

func (c signedCol[T]) isNull(i int) bool      { return c.a.IsNull(i) }
func (c signedCol[T]) word(dst []byte, i int) { putInt64(dst, int64(c.v[i])) }
func (c signedCol[T]) bytes(int) []byte       { return nil }

type timestampCol struct {
	a arrow.Array
	v []arrow.Timestamp
}

func (c timestampCol) isNull(i int) bool      { return c.a.IsNull(i) }
func (c timestampCol) word(dst []byte, i int) { putInt64(dst, int64(c.v[i])) }
func (c timestampCol) bytes(int) []byte       { return nil }

type unsignedCol[T uint8 | uint16 | uint32 | uint64] struct {
	a arrow.Array
	v []T
}

func (c unsignedCol[T]) isNull(i int) bool      { return c.a.IsNull(i) }
func (c unsignedCol[T]) word(dst []byte, i int) { putUint64(dst, uint64(c.v[i])) }
func (c unsignedCol[T]) bytes(int) []byte       { return nil }

type floatCol struct {
	a arrow.Array
	v []float64
}

func (c floatCol) isNull(i int) bool      { return c.a.IsNull(i) }
func (c floatCol) word(dst []byte, i int) { putUint64(dst, Float64Bits(c.v[i])) }
func (c floatCol) bytes(int) []byte       { return nil }

type stringCol struct {
	a    *array.String
	offs []int32
	data []byte
}

func newStringCol(a *array.String) stringCol {
	if a.Len() == 0 {
		// An empty array may legally have no offsets buffer, and
		// ValueOffsets would panic on it; there are no rows to encode.
		return stringCol{a: a}
	}
	return stringCol{a: a, offs: a.ValueOffsets(), data: a.ValueBytes()}
}

func (c stringCol) isNull(i int) bool { return c.a.IsNull(i) }
func (c stringCol) word([]byte, int)  {}
func (c stringCol) bytes(i int) []byte {
	base := c.offs[0]
	return c.data[c.offs[i]-base : c.offs[i+1]-base]
}

type binaryCol struct{ a *array.Binary }

func (c binaryCol) isNull(i int) bool  { return c.a.IsNull(i) }
func (c binaryCol) word([]byte, int)   {}
func (c binaryCol) bytes(i int) []byte { return c.a.Value(i) }

// fixedCol covers address (right-aligned in its word, as ABI address) and the
// 32-byte types, which fill the word.
type fixedCol struct{ a *array.FixedSizeBinary }

func (c fixedCol) isNull(i int) bool { return c.a.IsNull(i) }
func (c fixedCol) word(dst []byte, i int) {
	v := c.a.Value(i)
	copy(dst[wordSize-len(v):], v)
}
func (c fixedCol) bytes(int) []byte { return nil }
