package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
)

var addrBytes = []byte{0xc0, 0xda, 0x02, 0x93, 0x9e, 0x14, 0x41, 0xf4, 0x97, 0xfd, 0x74, 0xf7, 0x8c, 0xe7, 0xde, 0xcb, 0x17, 0xb6, 0x65, 0x29}

func TestConversions(t *testing.T) {
	cols := []Column{
		{Name: "b", Type: "bool", Nullable: true},
		{Name: "i8", Type: "int8", Nullable: true},
		{Name: "u16", Type: "uint16", Nullable: true},
		{Name: "f", Type: "float64", Nullable: true},
		{Name: "s", Type: "string", Nullable: true},
		{Name: "raw", Type: "bytes", Nullable: true},
		{Name: "a", Type: "address", Nullable: true},
		{Name: "h", Type: "bytes32", Nullable: true},
		{Name: "u", Type: "uint256", Nullable: true},
		{Name: "n", Type: "int256", Nullable: true},
		{Name: "ts", Type: "timestamp", Nullable: true},
		{Name: "eta", Type: "timestamp", Format: "unix", Nullable: true},
	}
	csv := "b,i8,u16,f,s,raw,a,h,u,n,ts,eta\n" +
		"True,-5.0,6.5e1,0.25,\"héllo, \"\"world\"\"\",0x00ff,0xc0Da02939E1441F497fd74F78cE7Decb17B66529,0x" + strings.Repeat("ab", 32) + ",1.5e+23,-0x10,2021-03-09T19:07:59,1618779737.0\n" +
		",,,,,,,,,,,\n"
	jsonl := `{"b": false, "i8": 127, "u16": "65535", "f": 1e3, "s": "x", "raw": "0x", "a": "0xc0da02939e1441f497fd74f78ce7decb17b66529", "h": null, "u": 5, "n": "-7", "ts": "2021-03-09T19:07:59Z", "eta": 1618779737}` + "\n" +
		`{}` + "\n"
	tests := []struct {
		name, file, content string
		want                [][]any
	}{
		{"csv", "d.csv", csv, [][]any{
			{true, int8(-5), uint16(65), 0.25, `héllo, "world"`, []byte{0, 0xff}, addrBytes, nil, nil, nil, "2021-03-09T19:07:59Z", "2021-04-18T21:02:17Z"},
			make([]any, 12),
		}},
		{"jsonl", "d.jsonl", jsonl, [][]any{
			{false, int8(127), uint16(65535), 1000.0, "x", []byte{}, addrBytes, nil, nil, nil, "2021-03-09T19:07:59Z", "2021-04-18T21:02:17Z"},
			make([]any, 12),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := testSource(t, tt.file, tt.content, baseConfig(cols...))
			rows, _ := mustCollect(t, s, nil)
			if len(rows) != len(tt.want) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.want))
			}
			for r, want := range tt.want {
				for c, w := range want {
					if w == nil {
						continue // checked by the null test below or fixed-size values
					}
					if got := rows[r][c]; !equalValue(got, w) {
						t.Errorf("row %d column %s = %#v, want %#v", r, cols[c].Name, got, w)
					}
				}
			}
			for c := range cols {
				if rows[1][c] != nil {
					t.Errorf("row 2 column %s = %v, want null", cols[c].Name, rows[1][c])
				}
			}
		})
	}
}

func equalValue(got, want any) bool {
	if g, ok := got.([]byte); ok {
		w, _ := want.([]byte)
		return string(g) == string(w)
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

func TestWordValues(t *testing.T) {
	cfg := baseConfig(Column{Name: "u", Type: "uint256"}, Column{Name: "n", Type: "int256"})
	s, _ := testSource(t, "d.csv", "u,n\n1.5e+23,-1\n123456789000000000000.0,0x7f\n", cfg)
	var got []string
	_, err := s.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error {
		for r := range int(rec.NumRows()) {
			for c := range 2 {
				w := [32]byte(rec.Column(c).(interface{ Value(int) []byte }).Value(r))
				got = append(got, wordToBig(w, c == 1).String())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"150000000000000000000000", "-1", "123456789000000000000", "127"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestBadInput(t *testing.T) {
	n := Column{Name: "n", Type: "uint64"}
	str := Column{Name: "s", Type: "string"}
	addr := Column{Name: "who", Type: "address", From: "voter"}
	tests := []struct {
		name, file, content string
		cols                []Column
		want                string
	}{
		{"fraction into integer", "d.csv", "n\n1\n43.5\n", []Column{n}, `d.csv:3: column "n": "43.5" is not an integer`},
		{"overflow", "d.csv", "n\n18446744073709551616\n", []Column{n}, `d.csv:2: column "n": "18446744073709551616" is out of range for uint64`},
		{"wrong type in a cell", "d.csv", "n,s\n1,a\nx,b\n", []Column{n, str}, `d.csv:3: column "n": "x" is not a number`},
		{"bad UTF-8", "d.csv", "s\nok\nbad\xff\n", []Column{str}, `d.csv:3: column "s": invalid UTF-8 at byte 3 of the value`},
		{"checksum", "d.csv", "voter\n0xc0da02939E1441F497fd74F78cE7Decb17B66529\n", []Column{addr}, `d.csv:2: column "who" (input "voter"): "0xc0da02939E1441F497fd74F78cE7Decb17B66529" fails the EIP-55 checksum`},
		{"missing column", "d.csv", "a,b\n1,2\n", []Column{n}, `d.csv:1: column "n": input column "n" is not in the header (it has: a, b)`},
		{"duplicate header", "d.csv", "n,n\n1,2\n", []Column{n}, `input column "n" appears more than once`},
		{"empty csv", "d.csv", "", []Column{n}, `d.csv: the file is empty, but a header line is required`},
		{"not nullable", "d.csv", "n,s\n1,\n", []Column{n, str}, `d.csv:2: column "s": empty value, but the column is not nullable`},
		{"field count", "d.csv", "n,s\n1,a\n2\n", []Column{n, str}, `d.csv:3: CSV: wrong number of fields`},
		{"bad quote", "d.csv", "n,s\n1,\"a\n", []Column{n, str}, `d.csv:2: CSV: extraneous or missing " in quoted-field`},
		{"multi-line record line", "d.csv", "n,s\n1,\"a\nb\"\n2x,c\n", []Column{n, str}, `d.csv:4: column "n": "2x" is not a number`},
		{"json wrong type", "d.jsonl", `{"s": 5}` + "\n", []Column{str}, `d.jsonl:1: column "s": want string, got a number`},
		{"json bool into int", "d.jsonl", `{"n": true}` + "\n", []Column{n}, `want uint64, got a boolean`},
		{"json object", "d.jsonl", `{"n": {"a": 1}}` + "\n", []Column{n}, `got a JSON object, want a single value`},
		{"json syntax", "d.jsonl", `{"n": 1}` + "\n" + `{"n": 2,, }` + "\n", []Column{n}, `d.jsonl:2 (byte 17): invalid JSON: invalid character ','`},
		{"json not object", "d.jsonl", "[1]\n", []Column{n}, `d.jsonl:1 (byte 0): want a JSON object on each line`},
		{"json trailing", "d.jsonl", `{"n": 1} {"n": 2}` + "\n", []Column{n}, `d.jsonl:1 (byte 9): unexpected data after the JSON object`},
		{"json duplicate key", "d.jsonl", `{"n": 1, "n": 2}` + "\n", []Column{n}, `key "n" appears twice`},
		{"json bad UTF-8", "d.jsonl", "{\"s\": \"a\xffb\"}\n", []Column{str}, `d.jsonl:1 (byte 8): invalid UTF-8`},
		{"json unclosed", "d.jsonl", `{"n": 1`, []Column{n}, `d.jsonl:1 (byte 7): invalid JSON: the object is not closed`},
		{"json missing", "d.jsonl", `{"s": "x"}` + "\n", []Column{n}, `d.jsonl:1: column "n": empty value, but the column is not nullable`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := baseConfig(tt.cols...)
			cfg.OnBadValue = BadValueFail
			s, _ := testSource(t, tt.file, tt.content, cfg)
			emitted := 0
			_, err := s.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error {
				emitted++
				return nil
			})
			if !errors.Is(err, sources.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `file source "test-src"`) {
				t.Errorf("err = %v\nwant it to contain %s", err, tt.want)
			}
			if emitted != 0 {
				t.Errorf("emitted %d records before failing on a small file", emitted)
			}
		})
	}
}

func TestLines(t *testing.T) {
	cfg := baseConfig(Column{Name: "n", Type: "uint64"}, Column{Name: "s", Type: "string", Nullable: true})
	s, _ := testSource(t, "d.csv", "\uFEFFn,s\n1,\"multi\nline\"\n\n2,\n3,\"a\r\nb\"\r\n4,x", cfg)
	rows, _ := mustCollect(t, s, nil)
	var lines []uint64
	for _, r := range rows {
		lines = append(lines, r[len(r)-1].(uint64))
	}
	if want := []uint64{2, 5, 6, 8}; !equalSlices(lines, want) {
		t.Errorf("_line = %v, want %v", lines, want)
	}
	if rows[0][1] != "multi\nline" || rows[2][1] != "a\nb" {
		t.Errorf("multi-line values = %q, %q", rows[0][1], rows[2][1])
	}
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestProvenanceAndBatches(t *testing.T) {
	cfg := baseConfig(Column{Name: "n", Type: "uint64"})
	cfg.BatchRows = 2
	content := "n\n1\n2\n3\n4\n5\n"
	s, _ := testSource(t, "d.csv", content, cfg)
	var sizes []int64
	var digests []string
	res, err := s.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error {
		sizes = append(sizes, rec.NumRows())
		for r := range int(rec.NumRows()) {
			digests = append(digests, string(rec.Column(2).(interface{ Value(int) []byte }).Value(r)))
			if rec.Column(1).ValueStr(r) != "test-src" {
				t.Errorf("_source = %q", rec.Column(1).ValueStr(r))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !equalSlices(sizes, []int64{2, 2, 1}) {
		t.Errorf("record sizes = %v, want [2 2 1]", sizes)
	}
	sum := datasets.Hash(sha256Sum(content))
	if len(res.Provenance.Inputs) != 1 || res.Provenance.Inputs[0] != sum || !equalSlices(res.Provenance.Sources, []string{"test-src"}) {
		t.Errorf("provenance = %+v, want input %s", res.Provenance, sum)
	}
	for _, d := range digests {
		if d != string(sum[:]) {
			t.Fatalf("_file_sha256 = %x, want %s", d, sum)
		}
	}
	want := `{"bytes":12,"sha256":"` + sum.String() + `","records":5}`
	if string(res.Cursor) != want {
		t.Errorf("cursor = %s, want %s", res.Cursor, want)
	}
}

func TestEmptyFiles(t *testing.T) {
	cfg := baseConfig(Column{Name: "n", Type: "uint64"})
	for _, tt := range []struct{ file, content string }{
		{"d.jsonl", ""}, {"d.jsonl", "\n\n  \n"}, {"d.csv", "n\n"}, {"d.csv", "n"},
	} {
		s, path := testSource(t, tt.file, tt.content, cfg)
		rows, res := mustCollect(t, s, nil)
		if len(rows) != 0 {
			t.Errorf("%s %q: %d rows", tt.file, tt.content, len(rows))
		}
		again, res2 := mustCollect(t, s, res.Cursor)
		if len(again) != 0 || string(res2.Cursor) != string(res.Cursor) {
			t.Errorf("%s %q: second fetch %d rows, cursor %s then %s", tt.file, tt.content, len(again), res.Cursor, res2.Cursor)
		}
		if tt.file == "d.jsonl" {
			appendFile(t, path, `{"n": 8}`+"\n")
		} else {
			appendFile(t, path, "\n7\n")
		}
		rows, _ = mustCollect(t, s, res.Cursor)
		if len(rows) != 1 {
			t.Errorf("%s %q: %d rows after appending, want 1", tt.file, tt.content, len(rows))
		}
	}
	noHeader := cfg
	noHeader.Header = false
	s, _ := testSource(t, "d.csv", "", noHeader)
	if rows, _ := mustCollect(t, s, nil); len(rows) != 0 {
		t.Errorf("empty headerless CSV: %d rows", len(rows))
	}
}

func TestMissingFile(t *testing.T) {
	s, path := testSource(t, "d.csv", "n\n", baseConfig(Column{Name: "n", Type: "uint64"}))
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, _, err := collect(t, s, nil)
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "d.csv does not exist") {
		t.Errorf("err = %v", err)
	}
}

func TestHeaderless(t *testing.T) {
	cfg := baseConfig(
		Column{Name: "ts", Type: "timestamp", Format: "unix_ms"},
		Column{Name: "usd", Type: "float64"},
		Column{Name: "again", Type: "float64", From: "2"},
	)
	cfg.Header = false
	cfg.Delimiter = "\t"
	s, _ := testSource(t, "p.tsv", "1609459200000\t2.5\n1609462800000\t3\n", cfg)
	rows, _ := mustCollect(t, s, nil)
	if len(rows) != 2 || rows[1][1] != 3.0 || rows[1][2] != 3.0 || rows[0][3] != "test-src" {
		t.Errorf("rows = %v", rows)
	}
}
