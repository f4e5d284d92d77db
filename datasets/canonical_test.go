package datasets_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// The tests in this file check the canonical row encoding of docs/SPEC.md
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
type valueCase struct {
	name string
	typ  datasets.Type
	val  any
	word string // expected 32-byte head word (hex), static types only
}

var valueCases = []valueCase{
	{"true", datasets.TypeBool, true, pad0("01")},
	{"false", datasets.TypeBool, false, pad0("")},

	{"int8 zero", datasets.TypeInt8, int8(0), pad0("")},
	{"int8 -1", datasets.TypeInt8, int8(-1), padF("")},
	{"int8 max", datasets.TypeInt8, int8(127), pad0("7f")},
	{"int8 min", datasets.TypeInt8, int8(-128), padF("80")},
	{"int16 min", datasets.TypeInt16, int16(math.MinInt16), padF("8000")},
	{"int16 max", datasets.TypeInt16, int16(math.MaxInt16), pad0("7fff")},
	{"int16 -2", datasets.TypeInt16, int16(-2), padF("fe")},
	{"int32 min", datasets.TypeInt32, int32(math.MinInt32), padF("80000000")},
	{"int32 max", datasets.TypeInt32, int32(math.MaxInt32), pad0("7fffffff")},
	{"int64 min", datasets.TypeInt64, int64(math.MinInt64), padF("8000000000000000")},
	{"int64 max", datasets.TypeInt64, int64(math.MaxInt64), pad0("7fffffffffffffff")},
	{"int64 -256", datasets.TypeInt64, int64(-256), padF("00")},

	{"uint8 max", datasets.TypeUint8, uint8(math.MaxUint8), pad0("ff")},
	{"uint16 max", datasets.TypeUint16, uint16(math.MaxUint16), pad0("ffff")},
	{"uint32 max", datasets.TypeUint32, uint32(math.MaxUint32), pad0("ffffffff")},
	{"uint64 max", datasets.TypeUint64, uint64(math.MaxUint64), pad0("ffffffffffffffff")},
	{"uint64 one", datasets.TypeUint64, uint64(1), pad0("1")},

	{"float +0", datasets.TypeFloat64, 0.0, pad0("")},
	{"float -0", datasets.TypeFloat64, math.Copysign(0, -1), pad0("8000000000000000")},
	{"float 1", datasets.TypeFloat64, 1.0, pad0("3ff0000000000000")},
	{"float 0.1", datasets.TypeFloat64, 0.1, pad0("3fb999999999999a")},
	{"float -2.5", datasets.TypeFloat64, -2.5, pad0("c004000000000000")},
	{"float +Inf", datasets.TypeFloat64, math.Inf(1), pad0("7ff0000000000000")},
	{"float -Inf", datasets.TypeFloat64, math.Inf(-1), pad0("fff0000000000000")},
	{"float NaN", datasets.TypeFloat64, math.NaN(), pad0("7ff8000000000000")},
	{"float negative NaN", datasets.TypeFloat64, math.Float64frombits(0xFFF8000000000000), pad0("7ff8000000000000")},
	{"float signalling NaN", datasets.TypeFloat64, math.Float64frombits(0x7FF0000000000001), pad0("7ff8000000000000")},
	{"float NaN all payload bits", datasets.TypeFloat64, math.Float64frombits(0xFFFFFFFFFFFFFFFF), pad0("7ff8000000000000")},
	{"float smallest subnormal", datasets.TypeFloat64, math.SmallestNonzeroFloat64, pad0("1")},
	{"float max", datasets.TypeFloat64, math.MaxFloat64, pad0("7fefffffffffffff")},

	{"string empty", datasets.TypeString, "", ""},
	{"string one byte", datasets.TypeString, "a", ""},
	{"string 31 bytes", datasets.TypeString, strings.Repeat("x", 31), ""},
	{"string 32 bytes", datasets.TypeString, strings.Repeat("y", 32), ""},
	{"string 33 bytes", datasets.TypeString, strings.Repeat("z", 33), ""},
	{"string 64 bytes", datasets.TypeString, strings.Repeat("w", 64), ""},
	{"string 65 bytes", datasets.TypeString, strings.Repeat("v", 65), ""},
	{"string multi-byte UTF-8", datasets.TypeString, "grüße, 世界 🌍", ""},
	{"string 32 bytes of 2-byte runes", datasets.TypeString, strings.Repeat("é", 16), ""},
	{"string 33 bytes ending in a 4-byte rune", datasets.TypeString, strings.Repeat("a", 29) + "🌍", ""},
	{"string NUL and controls", datasets.TypeString, "a\x00b\n\t\x7f", ""},

	{"bytes empty", datasets.TypeBytes, []byte{}, ""},
	{"bytes one", datasets.TypeBytes, []byte{0xab}, ""},
	{"bytes 32", datasets.TypeBytes, seqBytes(32), ""},
	{"bytes 33", datasets.TypeBytes, seqBytes(33), ""},
	{"bytes 100", datasets.TypeBytes, seqBytes(100), ""},

	{"address zero", datasets.TypeAddress, common.Address{}, pad0("")},
	{"address", datasets.TypeAddress, common.HexToAddress("0xd8dA6BF26964aF9D7eEd9e10C7f11A5c35F3c1a3"), pad0("d8da6bf26964af9d7eed9e10c7f11a5c35f3c1a3")},
	{"address max", datasets.TypeAddress, common.HexToAddress("0xffffffffffffffffffffffffffffffffffffffff"), pad0(strings.Repeat("f", 40))},

	{"bytes32 zero", datasets.TypeBytes32, [32]byte{}, pad0("")},
	{"bytes32", datasets.TypeBytes32, word32("0x0102030405060708091011121314151617181920212223242526272829303132"), "0102030405060708091011121314151617181920212223242526272829303132"},
	{"bytes32 leading byte only", datasets.TypeBytes32, word32("0xff00000000000000000000000000000000000000000000000000000000000000"), "ff" + strings.Repeat("0", 62)},

	{"uint256 zero", datasets.TypeUint256, big.NewInt(0), pad0("")},
	{"uint256 one", datasets.TypeUint256, big.NewInt(1), pad0("1")},
	{"uint256 2^255", datasets.TypeUint256, new(big.Int).Lsh(big.NewInt(1), 255), "8" + strings.Repeat("0", 63)},
	{"uint256 max", datasets.TypeUint256, new(big.Int).Sub(two256, big.NewInt(1)), padF("")},
	{"uint256 1e18", datasets.TypeUint256, bigInt("1000000000000000000"), pad0("de0b6b3a7640000")},

	{"int256 zero", datasets.TypeInt256, big.NewInt(0), pad0("")},
	{"int256 -1", datasets.TypeInt256, big.NewInt(-1), padF("")},
	{"int256 -2^64", datasets.TypeInt256, bigInt("-18446744073709551616"), padF("0000000000000000")},
	{"int256 min", datasets.TypeInt256, new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 255)), "8" + strings.Repeat("0", 63)},
	{"int256 max", datasets.TypeInt256, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(1)), "7" + strings.Repeat("f", 63)},

	{"timestamp epoch", datasets.TypeTimestamp, int64(0), pad0("")},
	{"timestamp -1µs", datasets.TypeTimestamp, micros("1969-12-31T23:59:59.999999Z"), padF("")},
	{"timestamp 1969 moon landing", datasets.TypeTimestamp, micros("1969-07-20T20:17:40Z"), padF("f319c6e64100")},
	{"timestamp 1900", datasets.TypeTimestamp, micros("1900-01-01T00:00:00Z"), padF("826efb7436000")},
	{"timestamp 2024", datasets.TypeTimestamp, micros("2024-02-29T12:34:56.789012Z"), pad0("612847caa6614")},
	{"timestamp max", datasets.TypeTimestamp, int64(math.MaxInt64), pad0("7fffffffffffffff")},
	{"timestamp min", datasets.TypeTimestamp, int64(math.MinInt64), padF("8000000000000000")},
}

// TestCanonicalValues encodes each value case, and a null of its type,
// between a string column and an int8 column, and compares the row with
// go-ethereum's packing and the head word with the hand-written one.
func TestCanonicalValues(t *testing.T) {
	for _, tc := range valueCases {
		t.Run(tc.name, func(t *testing.T) {
			s := &datasets.Schema{Columns: []datasets.Column{
				{Name: "pre", Type: datasets.TypeString, Nullable: true},
				{Name: "v", Type: tc.typ, Nullable: true},
				{Name: "post", Type: datasets.TypeInt8, Nullable: true},
			}}
			rows := [][]any{
				{"before", tc.val, int8(-3)},
				{"before", nil, int8(-3)},
				{nil, tc.val, nil},
			}
			rec := buildRecord(t, s, rows)
			defer rec.Release()
			checkRows(t, s, rec, rows)
			got := encodeAll(t, s, rec)
			if tc.word != "" {
				if w := hex.EncodeToString(got[0][64:96]); w != tc.word {
					t.Errorf("head word of %s:\n got %s\nwant %s", tc.name, w, tc.word)
				}
			}
			// A null sets bit 1 of the mask and encodes the zero value.
			if got[1][31] != 0b010 {
				t.Errorf("null mask byte = %08b, want 00000010", got[1][31])
			}
			if got[2][31] != 0b101 {
				t.Errorf("null mask byte = %08b, want 00000101", got[2][31])
			}
		})
	}
}

// TestCanonicalDynamicLayout checks the tail layout of strings and bytes by
// hand: the head holds the offset from the start of the encoding, the tail a
// length word and the payload right-padded with zeros to whole words.
func TestCanonicalDynamicLayout(t *testing.T) {
	s := &datasets.Schema{Columns: []datasets.Column{
		{Name: "a", Type: datasets.TypeString, Nullable: true},
		{Name: "b", Type: datasets.TypeBytes, Nullable: true},
		{Name: "c", Type: datasets.TypeString, Nullable: true},
	}}
	a := strings.Repeat("y", 32) + "z" // 33 bytes: two payload words
	rows := [][]any{{a, nil, ""}}
	rec := buildRecord(t, s, rows)
	defer rec.Release()
	got := encodeAll(t, s, rec)[0]
	want := pad0("2") + // null mask: column 1 (b) is null
		pad0("80") + // a at 0x80
		pad0("e0") + // b at 0xe0 (after a's length word and 2 payload words)
		pad0("100") + // c at 0x100 (after b's length word)
		pad0("21") + hex.EncodeToString([]byte(a)) + strings.Repeat("0", 62) + // a: length 33, 2 words
		pad0("") + // b: null, length 0, no payload words
		pad0("") // c: empty string, length 0
	if h := hex.EncodeToString(got); h != want {
		t.Fatalf("layout:\n got %s\nwant %s", hexWords(got), hexWords(mustHex(want)))
	}
	checkRows(t, s, rec, rows)
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		panic(err)
	}
	return b
}

// TestCanonicalEmptyVersusNull checks that an empty string and a null string
// differ only in the null mask.
func TestCanonicalEmptyVersusNull(t *testing.T) {
	s := &datasets.Schema{Columns: []datasets.Column{{Name: "s", Type: datasets.TypeString, Nullable: true}}}
	rec := buildRecord(t, s, [][]any{{""}, {nil}})
	defer rec.Release()
	got := encodeAll(t, s, rec)
	if bytes.Equal(got[0], got[1]) {
		t.Fatal("empty string and null encode the same")
	}
	if !bytes.Equal(got[0][32:], got[1][32:]) || got[1][31] != 1 || got[0][31] != 0 {
		t.Fatalf("empty vs null should differ only in the mask:%s\nvs%s", hexWords(got[0]), hexWords(got[1]))
	}
}

// allTypesSchema has one nullable column of every type after a non-null key.
func allTypesSchema() *datasets.Schema {
	s := &datasets.Schema{Columns: []datasets.Column{{Name: "id", Type: datasets.TypeUint64}}, Key: []string{"id"}}
	for _, typ := range datasets.AllTypes {
		s.Columns = append(s.Columns, datasets.Column{Name: "c_" + string(typ), Type: typ, Nullable: true})
	}
	return s
}

// mixedRows builds n rows over allTypesSchema from the value cases, with a
// varying pattern of nulls.
func mixedRows(n int) [][]any {
	byType := map[datasets.Type][]any{}
	for _, c := range valueCases {
		byType[c.typ] = append(byType[c.typ], c.val)
	}
	rows := make([][]any, n)
	for r := range rows {
		row := []any{uint64(r)}
		for i, typ := range datasets.AllTypes {
			vals := byType[typ]
			if (r*7+i*3)%5 == 0 {
				row = append(row, nil)
				continue
			}
			row = append(row, vals[(r+i)%len(vals)])
		}
		rows[r] = row
	}
	return rows
}

// TestCanonicalMixedAndSliced encodes rows of every type from a plain
// record, from a sliced record (rec.NewSlice) and from a record assembled of
// arrays sliced at different offsets (array.NewSlice), so null bitmaps and
// value buffers start in the middle of a byte or a buffer.
func TestCanonicalMixedAndSliced(t *testing.T) {
	s := allTypesSchema()
	rows := mixedRows(23)

	t.Run("plain", func(t *testing.T) {
		rec := buildRecord(t, s, rows)
		defer rec.Release()
		checkRows(t, s, rec, rows)
	})

	t.Run("record slice", func(t *testing.T) {
		padded := append(append(mixedRows(5), rows...), mixedRows(3)...)
		rec := buildRecord(t, s, padded)
		defer rec.Release()
		for _, off := range []int64{5} {
			sl := rec.NewSlice(off, off+int64(len(rows)))
			checkRows(t, s, sl, rows)
			sl.Release()
		}
		// Every window of the padded record matches its rows.
		for lo := 0; lo < len(padded); lo += 3 {
			for hi := lo; hi <= len(padded); hi += 4 {
				sl := rec.NewSlice(int64(lo), int64(hi))
				checkRows(t, s, sl, padded[lo:hi])
				sl.Release()
			}
		}
	})

	t.Run("array slices with different offsets", func(t *testing.T) {
		as, err := s.ArrowSchema()
		if err != nil {
			t.Fatal(err)
		}
		cols := make([]arrow.Array, len(s.Columns))
		for c, col := range s.Columns {
			pad := c%9 + 1 // offsets 1..9, crossing bitmap byte boundaries
			vals := make([]any, 0, pad+len(rows)+2)
			for p := 0; p < pad; p++ {
				if p%2 == 0 && col.Nullable {
					vals = append(vals, nil)
				} else {
					vals = append(vals, mixedRows(pad)[p][c])
				}
			}
			for _, r := range rows {
				vals = append(vals, r[c])
			}
			vals = append(vals, mixedRows(2)[1][c], mixedRows(2)[0][c])
			full := buildColumn(t, col.Type, vals)
			cols[c] = array.NewSlice(full, int64(pad), int64(pad+len(rows)))
			full.Release()
			if cols[c].Data().Offset() != pad {
				t.Fatalf("column %d offset %d, want %d", c, cols[c].Data().Offset(), pad)
			}
		}
		rec := array.NewRecordBatch(as, cols, int64(len(rows)))
		for _, a := range cols {
			a.Release()
		}
		defer rec.Release()
		checkRows(t, s, rec, rows)
	})
}

// TestCanonicalNullMaskWide checks the null mask of schemas up to the
// 256-column limit, including the top bit, and that 257 columns are refused.
func TestCanonicalNullMaskWide(t *testing.T) {
	for _, n := range []int{8, 9, 16, 17, 255, 256} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := &datasets.Schema{}
			for i := 0; i < n; i++ {
				typ := datasets.AllTypes[i%len(datasets.AllTypes)]
				s.Columns = append(s.Columns, datasets.Column{Name: fmt.Sprintf("c%d", i), Type: typ, Nullable: true})
			}
			byType := map[datasets.Type]any{}
			for _, c := range valueCases {
				if _, ok := byType[c.typ]; !ok {
					byType[c.typ] = c.val
				}
			}
			allNull := make([]any, n)
			lastNull := make([]any, n)
			alternate := make([]any, n)
			for i, c := range s.Columns {
				lastNull[i] = byType[c.Type]
				if i%2 == 0 {
					alternate[i] = byType[c.Type]
				}
			}
			lastNull[n-1] = nil
			rows := [][]any{allNull, lastNull, alternate}
			rec := buildRecord(t, s, rows)
			defer rec.Release()
			checkRows(t, s, rec, rows)
			got := encodeAll(t, s, rec)
			mask := new(big.Int).SetBytes(got[0][:32])
			want := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(n)), big.NewInt(1))
			if mask.Cmp(want) != 0 {
				t.Errorf("all-null mask = %x, want %x", mask, want)
			}
			if m := new(big.Int).SetBytes(got[1][:32]); m.Cmp(new(big.Int).Lsh(big.NewInt(1), uint(n-1))) != 0 {
				t.Errorf("last-null mask = %x", m)
			}
		})
	}
	s := &datasets.Schema{}
	for i := 0; i < datasets.MaxColumns+1; i++ {
		s.Columns = append(s.Columns, datasets.Column{Name: fmt.Sprintf("c%d", i), Type: datasets.TypeBool})
	}
	if _, err := datasets.NewRowEncoder(s); !errors.Is(err, datasets.ErrSchema) {
		t.Fatalf("NewRowEncoder with %d columns: err = %v, want ErrSchema", len(s.Columns), err)
	}
}

// TestCanonicalAppendRowPrefix checks that AppendRow appends after existing
// bytes, with dynamic offsets relative to the row, and that the leaf hash
// helpers agree with SHA-256(0x00 ‖ row).
func TestCanonicalAppendRowPrefix(t *testing.T) {
	s := allTypesSchema()
	rows := mixedRows(6)
	rec := buildRecord(t, s, rows)
	defer rec.Release()
	enc, err := datasets.NewRowEncoder(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Bind(rec); err != nil {
		t.Fatal(err)
	}
	var buf []byte
	for i := range rows {
		ref := referenceRow(t, s, rows[i])
		start := len(buf)
		buf = enc.AppendRow(buf, i)
		if !bytes.Equal(buf[start:], ref) {
			t.Fatalf("row %d appended after %d bytes differs from the reference", i, start)
		}
		want := sha256.Sum256(append([]byte{0}, ref...))
		if got := datasets.HashRow(ref); got != datasets.Hash(want) {
			t.Fatalf("HashRow = %s, want %x", got, want)
		}
		prefixed := enc.AppendRow([]byte{0xEE}, i)
		if got := datasets.LeafHash(prefixed); got != datasets.Hash(want) {
			t.Fatalf("LeafHash = %s, want %x", got, want)
		}
	}
}

// TestCanonicalBindErrors checks that a record of another shape is refused.
func TestCanonicalBindErrors(t *testing.T) {
	s := &datasets.Schema{Columns: []datasets.Column{{Name: "a", Type: datasets.TypeInt64}}}
	other := &datasets.Schema{Columns: []datasets.Column{{Name: "a", Type: datasets.TypeUint64}}}
	renamed := &datasets.Schema{Columns: []datasets.Column{{Name: "b", Type: datasets.TypeInt64}}}
	wider := &datasets.Schema{Columns: []datasets.Column{{Name: "a", Type: datasets.TypeInt64}, {Name: "b", Type: datasets.TypeBool}}}
	enc, err := datasets.NewRowEncoder(s)
	if err != nil {
		t.Fatal(err)
	}
	// A null in a non-nullable column does not match the schema; the same
	// column declared nullable is fine.
	nullable := &datasets.Schema{Columns: []datasets.Column{{Name: "a", Type: datasets.TypeInt64, Nullable: true}}}
	withNull := buildRecord(t, nullable, [][]any{{int64(1)}, {nil}})
	defer withNull.Release()
	if err := enc.Bind(withNull); !errors.Is(err, datasets.ErrSchema) {
		t.Errorf("Bind of a null in a non-nullable column: err = %v, want ErrSchema", err)
	}
	nonNullSlice := withNull.NewSlice(0, 1)
	defer nonNullSlice.Release()
	if err := enc.Bind(nonNullSlice); err != nil {
		t.Errorf("Bind of a slice without the null: %v", err)
	}
	for _, o := range []*datasets.Schema{other, renamed, wider} {
		row := make([]any, len(o.Columns))
		rec := buildRecord(t, o, [][]any{row})
		if err := enc.Bind(rec); !errors.Is(err, datasets.ErrSchema) {
			t.Errorf("Bind(%v): err = %v, want ErrSchema", o.Columns, err)
		}
		rec.Release()
	}
}

// TestCanonicalEmptyRecords binds records without rows, built in memory and
// read back from an Arrow IPC file, where buffers of empty arrays may be
// absent.
func TestCanonicalEmptyRecords(t *testing.T) {
	s := allTypesSchema()
	as, err := s.ArrowSchema()
	if err != nil {
		t.Fatal(err)
	}
	built := buildRecord(t, s, nil)
	defer built.Release()

	var file bytes.Buffer
	w, err := ipc.NewFileWriter(&file, ipc.WithSchema(as), ipc.WithZstd())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(built); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := ipc.NewFileReader(bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read, err := r.RecordBatch(0)
	if err != nil {
		t.Fatal(err)
	}

	cols := make([]arrow.Array, len(s.Columns))
	for i, f := range as.Fields() {
		cols[i] = array.MakeArrayOfNull(memory.DefaultAllocator, f.Type, 0)
	}
	nulls := array.NewRecordBatch(as, cols, 0)
	for _, c := range cols {
		c.Release()
	}
	defer nulls.Release()

	// Arrays with no buffers at all (a legal empty array).
	bare := make([]arrow.Array, len(s.Columns))
	for i, f := range as.Fields() {
		nbuf := 2
		if f.Type.ID() == arrow.STRING || f.Type.ID() == arrow.BINARY {
			nbuf = 3
		}
		bare[i] = array.MakeFromData(array.NewData(f.Type, 0, make([]*memory.Buffer, nbuf), nil, 0, 0))
	}
	bareRec := array.NewRecordBatch(as, bare, 0)
	for _, c := range bare {
		c.Release()
	}
	defer bareRec.Release()

	enc, err := datasets.NewRowEncoder(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		rec  arrow.RecordBatch
	}{{"built", built}, {"ipc", read}, {"nulls", nulls}, {"bare", bareRec}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := enc.Bind(tc.rec); err != nil {
				t.Errorf("Bind of an empty record: %v", err)
			}
		})
	}
}

// TestCanonicalIPCRoundTrip checks that rows read back from an Arrow IPC
// file with zstd buffers (the segment format) encode as before.
func TestCanonicalIPCRoundTrip(t *testing.T) {
	s := allTypesSchema()
	rows := mixedRows(17)
	rec := buildRecord(t, s, rows)
	defer rec.Release()
	var file bytes.Buffer
	w, err := ipc.NewFileWriter(&file, ipc.WithSchema(rec.Schema()), ipc.WithZstd())
	if err != nil {
		t.Fatal(err)
	}
	sl := rec.NewSlice(3, 17)
	defer sl.Release()
	if err := w.Write(sl); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := ipc.NewFileReader(bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read, err := r.RecordBatch(0)
	if err != nil {
		t.Fatal(err)
	}
	back, err := datasets.SchemaFromArrow(read.Schema())
	if err != nil {
		t.Fatal(err)
	}
	back.Key = s.Key
	if !back.Equal(s) {
		t.Fatalf("schema from IPC differs: %s", s.Diff(back))
	}
	checkRows(t, s, read, rows[3:])
}

// TestFloat64Bits checks the exported float canonicalisation.
func TestFloat64Bits(t *testing.T) {
	for _, tc := range valueCases {
		if tc.typ != datasets.TypeFloat64 {
			continue
		}
		f := tc.val.(float64)
		if got, want := datasets.Float64Bits(f), specFloatBits(f); got != want {
			t.Errorf("%s: Float64Bits = %#x, want %#x", tc.name, got, want)
		}
	}
}
