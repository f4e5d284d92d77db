package datasets_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// This file holds the reference side of the canonical encoding tests
// (canonical_test.go): the tests check the canonical row encoding of docs/SPEC.md
// against an independent reference: go-ethereum's accounts/abi packer, fed
// with the ABI types and values the specification prescribes. Values are
// given in their Go form:
//
//	bool, int8..int64, uint8..uint64, float64, string, []byte,
//	common.Address (address), [32]byte (bytes32), *big.Int (uint256,
//	int256) and int64 microseconds since the Unix epoch (timestamp).
//
// A nil value is a null.

// specABIType is the ABI type of each logical type, transcribed from
// docs/SPEC.md rather than taken from the package under test.
var specABIType = map[datasets.Type]string{
	datasets.TypeBool:      "bool",
	datasets.TypeInt8:      "int8",
	datasets.TypeInt16:     "int16",
	datasets.TypeInt32:     "int32",
	datasets.TypeInt64:     "int64",
	datasets.TypeUint8:     "uint8",
	datasets.TypeUint16:    "uint16",
	datasets.TypeUint32:    "uint32",
	datasets.TypeUint64:    "uint64",
	datasets.TypeFloat64:   "uint64",
	datasets.TypeString:    "string",
	datasets.TypeBytes:     "bytes",
	datasets.TypeAddress:   "address",
	datasets.TypeBytes32:   "bytes32",
	datasets.TypeUint256:   "uint256",
	datasets.TypeInt256:    "int256",
	datasets.TypeTimestamp: "int64",
}

// specNaN is the one NaN bit pattern of the specification.
const specNaN = 0x7FF8000000000000

// specFloatBits canonicalises a float the way docs/SPEC.md says, written
// independently of datasets.Float64Bits.
func specFloatBits(f float64) uint64 {
	b := math.Float64bits(f)
	if b&0x7FF0000000000000 == 0x7FF0000000000000 && b&0x000FFFFFFFFFFFFF != 0 {
		return specNaN
	}
	return b
}

// abiArguments returns the ABI argument list (uint256 nullMask, columns...)
// of a schema.
func abiArguments(t testing.TB, s *datasets.Schema) abi.Arguments {
	t.Helper()
	mk := func(name string) abi.Argument {
		typ, err := abi.NewType(name, "", nil)
		if err != nil {
			t.Fatalf("abi.NewType(%q): %v", name, err)
		}
		return abi.Argument{Type: typ}
	}
	args := abi.Arguments{mk("uint256")}
	for _, c := range s.Columns {
		name, ok := specABIType[c.Type]
		if !ok {
			t.Fatalf("no ABI type for %q", c.Type)
		}
		args = append(args, mk(name))
	}
	return args
}

// abiZero is the ABI value a null of type typ is encoded as.
func abiZero(typ datasets.Type) any {
	switch typ {
	case datasets.TypeBool:
		return false
	case datasets.TypeInt8:
		return int8(0)
	case datasets.TypeInt16:
		return int16(0)
	case datasets.TypeInt32:
		return int32(0)
	case datasets.TypeInt64, datasets.TypeTimestamp:
		return int64(0)
	case datasets.TypeUint8:
		return uint8(0)
	case datasets.TypeUint16:
		return uint16(0)
	case datasets.TypeUint32:
		return uint32(0)
	case datasets.TypeUint64, datasets.TypeFloat64:
		return uint64(0)
	case datasets.TypeString:
		return ""
	case datasets.TypeBytes:
		return []byte{}
	case datasets.TypeAddress:
		return common.Address{}
	case datasets.TypeBytes32:
		return [32]byte{}
	case datasets.TypeUint256, datasets.TypeInt256:
		return new(big.Int)
	}
	panic("unknown type " + string(typ))
}

// abiValue converts a Go test value into the value go-ethereum packs.
func abiValue(typ datasets.Type, v any) any {
	switch typ {
	case datasets.TypeFloat64:
		return specFloatBits(v.(float64))
	case datasets.TypeUint256, datasets.TypeInt256:
		return new(big.Int).Set(v.(*big.Int))
	}
	return v
}

// referenceRow is the reference encoding of one row: go-ethereum's
// Arguments.Pack of (nullMask, values...).
func referenceRow(t testing.TB, s *datasets.Schema, row []any) []byte {
	t.Helper()
	mask := new(big.Int)
	vals := []any{mask}
	for i, c := range s.Columns {
		if row[i] == nil {
			mask.SetBit(mask, i, 1)
			vals = append(vals, abiZero(c.Type))
			continue
		}
		vals = append(vals, abiValue(c.Type, row[i]))
	}
	b, err := abiArguments(t, s).Pack(vals...)
	if err != nil {
		t.Fatalf("abi Pack of %v: %v", row, err)
	}
	return b
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// word256 returns the 32-byte big-endian two's-complement form of x, which
// must fit in 256 bits (signed or unsigned).
func word256(x *big.Int) []byte {
	v := new(big.Int).Set(x)
	if v.Sign() < 0 {
		v.Add(v, two256)
	}
	if v.Sign() < 0 || v.BitLen() > 256 {
		panic(fmt.Sprintf("%v does not fit in 256 bits", x))
	}
	return v.FillBytes(make([]byte, 32))
}

// appendValue appends one Go test value (nil for null) to an Arrow builder.
func appendValue(b array.Builder, typ datasets.Type, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch typ {
	case datasets.TypeBool:
		b.(*array.BooleanBuilder).Append(v.(bool))
	case datasets.TypeInt8:
		b.(*array.Int8Builder).Append(v.(int8))
	case datasets.TypeInt16:
		b.(*array.Int16Builder).Append(v.(int16))
	case datasets.TypeInt32:
		b.(*array.Int32Builder).Append(v.(int32))
	case datasets.TypeInt64:
		b.(*array.Int64Builder).Append(v.(int64))
	case datasets.TypeUint8:
		b.(*array.Uint8Builder).Append(v.(uint8))
	case datasets.TypeUint16:
		b.(*array.Uint16Builder).Append(v.(uint16))
	case datasets.TypeUint32:
		b.(*array.Uint32Builder).Append(v.(uint32))
	case datasets.TypeUint64:
		b.(*array.Uint64Builder).Append(v.(uint64))
	case datasets.TypeFloat64:
		b.(*array.Float64Builder).Append(v.(float64))
	case datasets.TypeString:
		b.(*array.StringBuilder).Append(v.(string))
	case datasets.TypeBytes:
		b.(*array.BinaryBuilder).Append(v.([]byte))
	case datasets.TypeAddress:
		a := v.(common.Address)
		b.(*array.FixedSizeBinaryBuilder).Append(a[:])
	case datasets.TypeBytes32:
		w := v.([32]byte)
		b.(*array.FixedSizeBinaryBuilder).Append(w[:])
	case datasets.TypeUint256, datasets.TypeInt256:
		b.(*array.FixedSizeBinaryBuilder).Append(word256(v.(*big.Int)))
	case datasets.TypeTimestamp:
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(v.(int64)))
	default:
		panic("unknown type " + string(typ))
	}
}

// buildRecord builds an Arrow record of schema s holding rows.
func buildRecord(t testing.TB, s *datasets.Schema, rows [][]any) arrow.RecordBatch {
	t.Helper()
	as, err := s.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	rb := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer rb.Release()
	for _, row := range rows {
		if len(row) != len(s.Columns) {
			t.Fatalf("row %v has %d values, schema has %d columns", row, len(row), len(s.Columns))
		}
		for i, c := range s.Columns {
			appendValue(rb.Field(i), c.Type, row[i])
		}
	}
	return rb.NewRecordBatch()
}

// buildColumn builds one Arrow array of type typ from values.
func buildColumn(t testing.TB, typ datasets.Type, vals []any) arrow.Array {
	t.Helper()
	dt, err := typ.ArrowType()
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewBuilder(memory.DefaultAllocator, dt)
	defer b.Release()
	for _, v := range vals {
		appendValue(b, typ, v)
	}
	return b.NewArray()
}

// encodeAll returns the canonical bytes of every row of rec.
func encodeAll(t testing.TB, s *datasets.Schema, rec arrow.RecordBatch) [][]byte {
	t.Helper()
	enc, err := datasets.NewRowEncoder(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Bind(rec); err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, rec.NumRows())
	for i := range out {
		out[i] = enc.AppendRow(nil, i)
	}
	return out
}

// checkRows compares every row of rec with the reference encoding of want.
func checkRows(t *testing.T, s *datasets.Schema, rec arrow.RecordBatch, want [][]any) {
	t.Helper()
	got := encodeAll(t, s, rec)
	if len(got) != len(want) {
		t.Fatalf("encoded %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		ref := referenceRow(t, s, want[i])
		if !bytes.Equal(got[i], ref) {
			t.Errorf("row %d %v:\n got %s\nwant %s", i, want[i], hexWords(got[i]), hexWords(ref))
		}
	}
}

// hexWords renders ABI bytes one 32-byte word per line.
func hexWords(b []byte) string {
	var sb strings.Builder
	for i := 0; i < len(b); i += 32 {
		fmt.Fprintf(&sb, "\n  %04x: %x", i, b[i:min(i+32, len(b))])
	}
	return sb.String()
}

// pad0 and padF left-pad a hex string to one 64-digit ABI word with zeros
// (non-negative values) or f digits (negative values, sign extension).
func pad0(h string) string { return strings.Repeat("0", 64-len(h)) + h }
func padF(h string) string { return strings.Repeat("f", 64-len(h)) + h }

func bigInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 0)
	if !ok {
		panic("bad integer " + s)
	}
	return v
}

func micros(s string) int64 {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return tm.UnixMicro()
}

func word32(h string) [32]byte {
	var w [32]byte
	b, err := hex.DecodeString(strings.TrimPrefix(h, "0x"))
	if err != nil || len(b) != 32 {
		panic("bad bytes32 " + h)
	}
	copy(w[:], b)
	return w
}

func seqBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i + 1)
	}
	return b
}

// valueCase is one value of one type, with the expected head word written
// out by hand for static types.
