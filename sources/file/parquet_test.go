package file

import (
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/parquet"
	pqfile "github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

// pqRow is one row of the test parquet files.
type pqRow struct {
	id     int64
	who    string
	amount []byte // 32 bytes or nil
	votes  string // "" for null
	tsUS   int64
	flag   *bool
	price  float64
	small  int32 // uint8 logical type
	dec    int64 // decimal(18,2)
}

func pqSchema(t testing.TB) *schema.GroupNode {
	t.Helper()
	req, opt := parquet.Repetitions.Required, parquet.Repetitions.Optional
	must := func(n schema.Node, err error) schema.Node {
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	fields := schema.FieldList{
		schema.NewInt64Node("id", req, -1),
		must(schema.NewPrimitiveNodeLogical("who", req, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)),
		must(schema.NewPrimitiveNodeLogical("amount", opt, schema.NoLogicalType{}, parquet.Types.FixedLenByteArray, 32, -1)),
		must(schema.NewPrimitiveNodeLogical("votes", opt, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)),
		must(schema.NewPrimitiveNodeLogical("ts", req, schema.NewTimestampLogicalType(true, schema.TimeUnitMicros), parquet.Types.Int64, -1, -1)),
		schema.NewBooleanNode("flag", opt, -1),
		schema.NewFloat64Node("price", req, -1),
		must(schema.NewPrimitiveNodeLogical("small", req, schema.NewIntLogicalType(8, false), parquet.Types.Int32, -1, -1)),
		must(schema.NewPrimitiveNodeLogical("dec", req, schema.NewDecimalLogicalType(18, 2), parquet.Types.Int64, -1, -1)),
	}
	root, err := schema.NewGroupNode("schema", req, fields, -1)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// writeParquet writes the row groups to path.
func writeParquet(t testing.TB, path string, groups ...[]pqRow) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := pqfile.NewParquetWriter(f, pqSchema(t))
	for _, rows := range groups {
		rg, err := w.AppendRowGroupChecked()
		if err != nil {
			t.Fatal(err)
		}
		writers := []func(pqfile.ColumnChunkWriter){
			func(cw pqfile.ColumnChunkWriter) {
				vals := make([]int64, len(rows))
				for i, r := range rows {
					vals[i] = r.id
				}
				_, _ = cw.(*pqfile.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				vals := make([]parquet.ByteArray, len(rows))
				for i, r := range rows {
					vals[i] = []byte(r.who)
				}
				_, _ = cw.(*pqfile.ByteArrayColumnChunkWriter).WriteBatch(vals, nil, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				var vals []parquet.FixedLenByteArray
				defs := make([]int16, len(rows))
				for i, r := range rows {
					if r.amount != nil {
						vals, defs[i] = append(vals, r.amount), 1
					}
				}
				_, _ = cw.(*pqfile.FixedLenByteArrayColumnChunkWriter).WriteBatch(vals, defs, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				var vals []parquet.ByteArray
				defs := make([]int16, len(rows))
				for i, r := range rows {
					if r.votes != "" {
						vals, defs[i] = append(vals, []byte(r.votes)), 1
					}
				}
				_, _ = cw.(*pqfile.ByteArrayColumnChunkWriter).WriteBatch(vals, defs, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				vals := make([]int64, len(rows))
				for i, r := range rows {
					vals[i] = r.tsUS
				}
				_, _ = cw.(*pqfile.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				var vals []bool
				defs := make([]int16, len(rows))
				for i, r := range rows {
					if r.flag != nil {
						vals, defs[i] = append(vals, *r.flag), 1
					}
				}
				_, _ = cw.(*pqfile.BooleanColumnChunkWriter).WriteBatch(vals, defs, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				vals := make([]float64, len(rows))
				for i, r := range rows {
					vals[i] = r.price
				}
				_, _ = cw.(*pqfile.Float64ColumnChunkWriter).WriteBatch(vals, nil, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				vals := make([]int32, len(rows))
				for i, r := range rows {
					vals[i] = r.small
				}
				_, _ = cw.(*pqfile.Int32ColumnChunkWriter).WriteBatch(vals, nil, nil)
			},
			func(cw pqfile.ColumnChunkWriter) {
				vals := make([]int64, len(rows))
				for i, r := range rows {
					vals[i] = r.dec
				}
				_, _ = cw.(*pqfile.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
			},
		}
		for _, wr := range writers {
			cw, err := rg.NextColumn()
			if err != nil {
				t.Fatal(err)
			}
			wr(cw)
			if err := cw.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if err := rg.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func pqRows(from, n int) []pqRow {
	rows := make([]pqRow, n)
	yes := true
	for i := range rows {
		id := from + i
		r := pqRow{id: int64(id), who: strings.ToLower("0xc0Da02939E1441F497fd74F78cE7Decb17B66529"), tsUS: 1615316879000000 + int64(id), price: float64(id) / 4, small: 250, dec: int64(id) * 100}
		if id%2 == 0 {
			w := new(big.Int).Lsh(big.NewInt(int64(id)), 200).FillBytes(make([]byte, 32))
			r.amount, r.votes, r.flag = w, "1.5e+23", &yes
		}
		rows[i] = r
	}
	return rows
}

func pqConfig() Config {
	cfg := baseConfig(
		Column{Name: "id", Type: "uint64"},
		Column{Name: "who", Type: "address"},
		Column{Name: "amount", Type: "uint256", Nullable: true},
		Column{Name: "votes", Type: "uint256", Nullable: true},
		Column{Name: "ts", Type: "timestamp"},
		Column{Name: "flag", Type: "bool", Nullable: true},
		Column{Name: "price", Type: "float64"},
		Column{Name: "small", Type: "uint8"},
		Column{Name: "dec", Type: "int64"},
	)
	cfg.Key = []string{"id"}
	cfg.BatchRows = 3
	return cfg
}

func newParquetSource(t testing.TB, cfg Config, groups ...[]pqRow) (*Source, string) {
	t.Helper()
	s, path := testSource(t, "d.parquet", "", cfg)
	writeParquet(t, path, groups...)
	return s, path
}

func TestParquet(t *testing.T) {
	s, path := newParquetSource(t, pqConfig(), pqRows(1, 4), pqRows(5, 3))
	rows, res := mustCollect(t, s, nil)
	if len(rows) != 7 {
		t.Fatalf("%d rows, want 7", len(rows))
	}
	r := rows[5] // id 6, row 6, in the second row group
	amount := new(big.Int).Lsh(big.NewInt(6), 200).FillBytes(make([]byte, 32))
	want := []any{uint64(6), addrBytes, amount, "150000000000000000000000", "2021-03-09T19:07:59.000006Z", true, 1.5, uint8(250), int64(6), "test-src", nil, uint64(6)}
	for c, w := range want {
		switch {
		case w == nil:
		case c == 3:
			if got := new(big.Int).SetBytes(r[c].([]byte)).String(); got != w {
				t.Errorf("votes = %s, want %s", got, w)
			}
		case !equalValue(r[c], w):
			t.Errorf("column %d = %#v, want %#v", c, r[c], w)
		}
	}
	if rows[0][2] != nil || rows[0][5] != nil {
		t.Errorf("nulls not read: %v", rows[0])
	}
	again, res2 := mustCollect(t, s, res.Cursor)
	if len(again) != 0 || string(res2.Cursor) != string(res.Cursor) {
		t.Errorf("unchanged file: %d rows, cursor %s then %s", len(again), res.Cursor, res2.Cursor)
	}
	writeParquet(t, path, pqRows(1, 4), pqRows(5, 4))
	if _, _, err := collect(t, s, res.Cursor); !errors.Is(err, sources.ErrChanged) || !strings.Contains(err.Error(), "read whole") {
		t.Errorf("grown parquet file: err = %v, want ErrChanged", err)
	}
}

func TestParquetBadInput(t *testing.T) {
	rows := pqRows(1, 3)
	rows[1].dec = 4350 // 43.50
	cfg := pqConfig()
	cfg.OnBadValue = BadValueFail
	s, _ := newParquetSource(t, cfg, rows)
	_, _, err := collect(t, s, nil)
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), `d.parquet: row 2: column "dec": "4350e-2" is not an integer`) {
		t.Errorf("err = %v", err)
	}

	cfg.Columns = append(cfg.Columns, Column{Name: "missing", Type: "string"})
	s, _ = newParquetSource(t, cfg, pqRows(1, 2))
	if _, _, err := collect(t, s, nil); !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), `input column "missing" is not in the parquet file (it has: id, who,`) {
		t.Errorf("err = %v", err)
	}

	s, path := testSource(t, "x.parquet", "not parquet at all", pqConfig())
	if _, _, err := collect(t, s, nil); !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "not a readable parquet file") {
		t.Errorf("err = %v", err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := collect(t, s, nil); !errors.Is(err, sources.ErrBadInput) {
		t.Errorf("empty parquet file: err = %v", err)
	}
}

func TestConformanceParquet(t *testing.T) {
	sourcetest.Run(t, sourcetest.Harness{
		Provenance: []string{ColSource, ColSHA256, ColLine},
		New: func(t testing.TB) sourcetest.Instance {
			s, _ := newParquetSource(t, pqConfig(), pqRows(1, 4), pqRows(5, 4))
			return sourcetest.Instance{Source: s}
		},
	})
}
