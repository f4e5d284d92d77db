package sqlview_test

import (
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/sqlview"
)

// word is the 32-byte two's complement form of the decimal s.
func word(t *testing.T, s string) []byte {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("bad number %s", s)
	}
	if v.Sign() < 0 {
		v.Add(v, new(big.Int).Lsh(big.NewInt(1), 256))
	}
	return v.FillBytes(make([]byte, 32))
}

const (
	max256  = "115792089237316195423570985008687907853269984665640564039457584007913129639935" // 2^256-1
	min255  = "-57896044618658097711785492504343953926634992332820282019728792003956564819968" // -2^255
	max255  = "57896044618658097711785492504343953926634992332820282019728792003956564819967"  // 2^255-1
	max38   = "99999999999999999999999999999999999999"                                         // 10^38-1
	pow38   = "100000000000000000000000000000000000000"                                        // 10^38
	pow127  = "170141183460469231731687303715884105728"                                        // 2^127
	pow127m = "170141183460469231731687303715884105727"                                        // 2^127-1
)

var wideSchema = &datasets.Schema{Columns: []datasets.Column{
	{Name: "id", Type: datasets.TypeInt64},
	{Name: "u", Type: datasets.TypeUint256, Nullable: true},
	{Name: "i", Type: datasets.TypeInt256, Nullable: true},
}}

// wideVersion seals one segment per list of (u, i) pairs ("" is NULL),
// writes the Parquet copies inside the seal (BuilderOptions.Copy, as the
// store does) and opens an engine over the version.
func wideVersion(t *testing.T, segments ...[][2]string) *sqlview.Engine {
	t.Helper()
	root := t.TempDir()
	as, _ := wideSchema.ArrowSchema()
	b, err := datasets.NewBuilder(root, wideSchema, 0, datasets.BuilderOptions{SegmentRows: len(segments[0]), Copy: sqlview.CopyFactory(root, wideSchema)})
	if err != nil {
		t.Fatal(err)
	}
	id := 0
	for _, seg := range segments {
		if len(seg) != len(segments[0]) {
			t.Fatal("segments of one length only")
		}
		rb := array.NewRecordBuilder(memory.DefaultAllocator, as)
		for _, c := range seg {
			rb.Field(0).(*array.Int64Builder).Append(int64(id))
			id++
			for f, v := range c {
				if v == "" {
					rb.Field(1 + f).AppendNull()
				} else {
					rb.Field(1 + f).(*array.FixedSizeBinaryBuilder).Append(word(t, v))
				}
			}
		}
		rec := rb.NewRecordBatch()
		rb.Release()
		err := b.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	segs, _, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	v := version(root, "wide", 1, sqlview.StatusAttested, segs)
	v.Schema = *wideSchema
	return open(t, root, v)
}

// TestWideIntegers checks that every uint256/int256 value comes back exact,
// whether it fits DECIMAL(38,0) or goes to the text column, and that a
// version with a value beyond DECIMAL(38,0) in any segment makes the
// column BIGNUM in every segment.
func TestWideIntegers(t *testing.T) {
	small := [][2]string{{"0", "0"}, {"1", "-1"}, {max38, "-" + max38}, {"", ""}}
	huge := [][2]string{{pow38, "-" + pow38}, {pow127, pow127m}, {max256, min255}, {"18446744073709551616", max255}}
	e := wideVersion(t, small, huge)
	rows, err := queryRows(t, e, `SELECT u::VARCHAR, i::VARCHAR, typeof(u), typeof(i) FROM wide ORDER BY _row`)
	if err != nil {
		t.Fatal(err)
	}
	for n, c := range append(append([][2]string{}, small...), huge...) {
		for f := range c {
			want := c[f]
			if want == "" {
				want = "NULL"
			}
			if rows[n][f] != want {
				t.Errorf("row %d column %d = %s, want %s", n, f, rows[n][f], want)
			}
			if rows[n][2+f] != "BIGNUM" {
				t.Errorf("row %d column %d has type %s, want BIGNUM (a value of the version is beyond DECIMAL(38,0))", n, f, rows[n][2+f])
			}
		}
	}
	wantSum := func(col int) string {
		s := new(big.Int)
		for _, c := range append(append([][2]string{}, small...), huge...) {
			if v, ok := new(big.Int).SetString(c[col], 10); ok {
				s.Add(s, v)
			}
		}
		return s.String()
	}
	if got := one(t, e, `SELECT sum(u)::VARCHAR FROM wide`); got != wantSum(0) {
		t.Errorf("sum(u) = %s, want %s", got, wantSum(0))
	}
	if got := one(t, e, `SELECT sum(i)::VARCHAR FROM wide`); got != wantSum(1) {
		t.Errorf("sum(i) = %s, want %s", got, wantSum(1))
	}
}

// TestWideIntegersDecimal: a version whose rows × largest |value| stays
// below 2^127 (so no sum can overflow a signed 128-bit integer) is
// DECIMAL(38,0), exact, negative int256 included; one whose values fit
// DECIMAL(38,0) but whose sum could overflow is BIGNUM, and its sum is
// exact (DuckDB 1.5 wraps an overflowing DECIMAL(38,0) sum silently when it
// combines partial sums: this test caught it).
func TestWideIntegersDecimal(t *testing.T) {
	const big30 = "999999999999999999999999999999" // 10^30-1: 4 rows × it < 2^127
	for _, tc := range []struct {
		name, value, typ, sum string
	}{
		{"no sum can overflow", big30, "DECIMAL(38,0)", "2000000000000000000000000000005"},
		{"a sum could overflow", max38, "BIGNUM", "200000000000000000000000000000000000005"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.value
			e := wideVersion(t, [][2]string{{v, "-" + v}, {"7", "-7"}}, [][2]string{{v, "-" + v}, {"", ""}})
			for q, want := range map[string]string{
				`SELECT typeof(u) || ',' || typeof(i) FROM wide LIMIT 1`:          tc.typ + "," + tc.typ,
				`SELECT u::VARCHAR || ',' || i::VARCHAR FROM wide WHERE _row = 2`: v + ",-" + v,
				`SELECT sum(u)::VARCHAR FROM wide`:                                tc.sum,
				`SELECT sum(i)::VARCHAR FROM wide`:                                "-" + tc.sum,
			} {
				if got := one(t, e, q); got != want {
					t.Errorf("%s = %s, want %s", q, got, want)
				}
			}
		})
	}
}
