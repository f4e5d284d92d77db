package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// fuzzColumns covers every kind of conversion.
var fuzzColumns = []Column{
	{Name: "n", Type: "int64", Nullable: true},
	{Name: "u", Type: "uint256", Nullable: true},
	{Name: "s", Type: "string"},
	{Name: "a", Type: "address", Nullable: true},
	{Name: "b", Type: "bool", Nullable: true},
	{Name: "ts", Type: "timestamp", Nullable: true},
	{Name: "f", Type: "float64", Nullable: true},
}

// fuzzFetch reads data as a file of the given name and checks that the
// fetch either fails with ErrBadInput or emits records matching the schema.
func fuzzFetch(t *testing.T, name string, data []byte) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := baseConfig(fuzzColumns...)
	cfg.Path = name
	cfg.BatchRows = 3
	s, err := New("fuzz", cfg, sources.Deps{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	s.mem = mem
	defer mem.AssertSize(t, 0)
	rows := 0
	res, err := s.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error {
		if err := s.Schema().CheckArrow(rec.Schema()); err != nil {
			t.Fatalf("record does not match the schema: %v", err)
		}
		for i, c := range s.Schema().Columns {
			if !c.Nullable && rec.Column(i).NullN() > 0 {
				t.Fatalf("non-nullable column %s has nulls", c.Name)
			}
		}
		if rec.NumRows() == 0 || rec.NumRows() > 3 {
			t.Fatalf("record of %d rows", rec.NumRows())
		}
		rows += int(rec.NumRows())
		return nil
	})
	if err != nil {
		if !errors.Is(err, sources.ErrBadInput) {
			t.Fatalf("error is not ErrBadInput: %v", err)
		}
		return
	}
	c, err := decodeCursor(res.Cursor)
	if err != nil || c.Bytes != int64(len(data)) || c.Records != uint64(rows) {
		t.Fatalf("cursor %s after %d rows of %d bytes (%v)", res.Cursor, rows, len(data), err)
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("n,u,s,a,b,ts,f\n1,2,x,,true,2021-03-09T19:07:59,1.5\n"))
	f.Add([]byte("n,u,s,a,b,ts,f\n43.0,1.5e+23,\"multi\nline\",0xc0Da02939E1441F497fd74F78cE7Decb17B66529,0,,\n"))
	f.Add([]byte("f,ts,b,a,s,u,n\n,,,,\"\"\"\",0x10,-1\r\n"))
	f.Add([]byte("\uFEFFn,u,s,a,b,ts,f,extra\n1,1,1,,1,,1,1"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFetch(t, "d.csv", data) })
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"n": 1, "u": "2", "s": "x", "a": null, "b": true, "ts": "2021-03-09T19:07:59Z", "f": 1.5}` + "\n"))
	f.Add([]byte(`{"s": "", "u": 1e23, "n": -4.0e0}` + "\n\n" + `{"s": "é", "x": [1, {"y": 2}]}`))
	f.Add([]byte(`{"s": "a", "s": "b"}`))
	f.Add([]byte("{\"s\": \"\\ud800\"}\r\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFetch(t, "d.jsonl", data) })
}
