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

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

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
		// The encoder remembers the last schema that matched, never one
		// that did not: after a good bind the bad one is refused again.
		if err := enc.Bind(nonNullSlice); err != nil {
			t.Errorf("Bind of the good slice again: %v", err)
		}
		if err := enc.Bind(rec); !errors.Is(err, datasets.ErrSchema) {
			t.Errorf("Bind(%v) again: err = %v, want ErrSchema", o.Columns, err)
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
