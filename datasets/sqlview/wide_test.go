package sqlview_test

import (
	"context"
	"math/big"
	"path/filepath"
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

// TestWideIntegers checks that every uint256/int256 value comes back exact,
// whether it fits a signed 128-bit integer (the #hi/#lo columns) or goes
// to the text column.
func TestWideIntegers(t *testing.T) {
	const max256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
	cases := []struct{ u, i string }{
		{"0", "0"},
		{"1", "-1"},
		{"99999999999999999999999999999999999999", "-99999999999999999999999999999999999999"},      // 39 digits: fits 128 bits
		{"100000000000000000000000000000000000000", "-100000000000000000000000000000000000000"},    // fits
		{"170141183460469231731687303715884105728", "170141183460469231731687303715884105727"},     // 2^127: text; 2^127-1: fits
		{max256, "-57896044618658097711785492504343953926634992332820282019728792003956564819968"}, // 2^256-1, -2^255: text
		{"18446744073709551616", "57896044618658097711785492504343953926634992332820282019728792003956564819967"},
		{"", ""}, // NULL
	}
	s := &datasets.Schema{Columns: []datasets.Column{
		{Name: "id", Type: datasets.TypeInt64},
		{Name: "u", Type: datasets.TypeUint256, Nullable: true},
		{Name: "i", Type: datasets.TypeInt256, Nullable: true},
	}}
	as, _ := s.ArrowSchema()
	rb := array.NewRecordBuilder(memory.DefaultAllocator, as)
	defer rb.Release()
	for n, c := range cases {
		rb.Field(0).(*array.Int64Builder).Append(int64(n))
		for f, v := range []string{c.u, c.i} {
			if v == "" {
				rb.Field(1 + f).AppendNull()
			} else {
				rb.Field(1 + f).(*array.FixedSizeBinaryBuilder).Append(word(t, v))
			}
		}
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	root := t.TempDir()
	b, err := datasets.NewBuilder(root, s, 0, datasets.BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Write(rec); err != nil {
		t.Fatal(err)
	}
	segs, _, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlview.WriteSegment(context.Background(), root, segs[0], s); err != nil {
		t.Fatal(err)
	}
	v := sqlview.Version{Dataset: "wide", Version: 1, Status: sqlview.StatusAttested, Schema: *s, Rows: segs[0].Rows,
		Segments: []sqlview.Segment{{SHA256: segs[0].SHA256, Rows: segs[0].Rows, Parquet: filepath.Join(root, sqlview.ParquetPath(segs[0].SHA256))}}}
	e := open(t, root, v)
	rows, err := queryRows(t, e, `SELECT u::VARCHAR, i::VARCHAR, typeof(u), typeof(i) FROM wide ORDER BY _row`)
	if err != nil {
		t.Fatal(err)
	}
	for n, c := range cases {
		want := []string{c.u, c.i}
		for f := range want {
			if want[f] == "" {
				want[f] = "NULL"
			}
			if rows[n][f] != want[f] {
				t.Errorf("row %d column %d = %s, want %s", n, f, rows[n][f], want[f])
			}
			if rows[n][2+f] != "BIGNUM" {
				t.Errorf("row %d column %d has type %s", n, f, rows[n][2+f])
			}
		}
	}
}
