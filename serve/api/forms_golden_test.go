package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

var update = flag.Bool("update", false, "rewrite testdata/value_forms.golden")

// extraRows are realistic values the test vectors lack (canonical forms,
// in vector schema order): a price, a small and a huge float, a timestamp
// with microseconds, a checksummed address.
var extraRows = [][]any{
	{"100", "price", true, "-5", "300", "-70000", "-9007199254740993", "7", "8", "9", "10",
		"0x403f4a3d70a3d70a", "=HYPERLINK(\"x\")", "0x", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
		"0x00000000000000000000000000000000000000000000000000000000000000ff", "1000000000000000000", "-1", "1714564800000001"},
	{"101", "tiny", false, "0", "0", "0", "0", "0", "0", "0", "0",
		"0x3e7ad7f29abcaf48", "'quoted", "0xabcd", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
		"0x0000000000000000000000000000000000000000000000000000000000000000", "0", "0", "-1"},
	{"102", "big", nil, nil, nil, nil, nil, nil, nil, nil, nil,
		"0x44b52d02c7e14af6", "", "0x00", "0x0000000000000000000000000000000000000000",
		"0x0000000000000000000000000000000000000000000000000000000000000001", "1", "1", "253402300799999999"},
}

// TestValueFormsGolden renders every test-vector row and extraRows in both
// forms as JSONL, CSV and MCP (get_rows values), compares the text with
// testdata/value_forms.golden (-update rewrites it), and checks that each
// rendering parses back to the row's leaf.
func TestValueFormsGolden(t *testing.T) {
	v := loadVectors(t)
	sch := &v.Schema
	var rows []Values
	for _, vals := range append(vectorValues(v), extraRows...) {
		row := make(Values, len(sch.Columns))
		for c, col := range sch.Columns {
			row[c] = Field{Name: col.Name, Value: vals[c]}
		}
		rows = append(rows, row)
	}
	leaves, err := Leaves(sch, rows)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Record(sch, rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	var out bytes.Buffer
	for _, f := range []Form{Readable, Canonical} {
		fmt.Fprintf(&out, "## %s\n", f)
		for i := range rows {
			jsonl := renderJSONL(f, sch, rec, i)
			csv := renderCSV(f, sch, rec, i)
			mcp, err := f.Reform(sch, rows[i])
			if err != nil {
				t.Fatalf("%s row %d: %v", f, i, err)
			}
			if direct := f.RowValues(sch, rec, i); !reflect.DeepEqual(direct, mcp) {
				t.Errorf("%s row %d: RowValues %#v differ from Reform of the canonical row %#v", f, i, direct, mcp)
			}
			mcpJSON, _ := json.Marshal(mcp)
			if !bytes.Equal(mcpJSON, jsonl) {
				t.Errorf("%s row %d: MCP values %s differ from JSONL %s", f, i, mcpJSON, jsonl)
			}
			fmt.Fprintf(&out, "jsonl %d: %s\ncsv   %d: %q\n", i, jsonl, i, csv)
			checkLeaf(t, sch, jsonl, leaves[i], fmt.Sprintf("%s JSONL row %d", f, i))
			checkCSVLeaf(t, sch, csv, leaves[i], fmt.Sprintf("%s CSV row %d", f, i))
		}
	}
	golden := filepath.Join("testdata", "value_forms.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("value forms differ from %s (run with -update after an intended change):\n%s", golden, out.String())
	}
}

func vectorValues(v *vectorFile) [][]any {
	var out [][]any
	for _, r := range v.Rows {
		out = append(out, r.Values)
	}
	return out
}

// renderJSONL is one JSONL line (without the newline) as serve writes it.
func renderJSONL(f Form, sch *datasets.Schema, rec arrow.RecordBatch, i int) []byte {
	b := []byte{'{'}
	for c, col := range sch.Columns {
		if c > 0 {
			b = append(b, ',')
		}
		b = append(AppendJSONString(b, col.Name), ':')
		b = f.AppendJSON(b, rec.Column(c), col.Type, i)
	}
	return append(b, '}')
}

// renderCSV is one CSV record's cells (escaped as serve escapes them),
// joined by tabs for the golden file.
func renderCSV(f Form, sch *datasets.Schema, rec arrow.RecordBatch, i int) string {
	cells := make([]string, len(sch.Columns))
	for c, col := range sch.Columns {
		cells[c] = CSVCell(string(f.AppendText(nil, rec.Column(c), col.Type, i)))
	}
	return strings.Join(cells, "\t")
}

func checkLeaf(t *testing.T, sch *datasets.Schema, line []byte, want datasets.Hash, what string) {
	t.Helper()
	var vals Values
	if err := json.Unmarshal(line, &vals); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	got, err := Leaves(sch, []Values{vals})
	if err != nil || got[0] != want {
		t.Errorf("%s: leaf %v (%v), want %s", what, got, err, want)
	}
}

// checkCSVLeaf parses the cells back (an empty cell is null, except in
// string columns where it is the empty string when the column is not
// nullable) and compares the leaf; rows whose strings make CSV ambiguous
// (null vs empty, tabs) are skipped.
func checkCSVLeaf(t *testing.T, sch *datasets.Schema, line string, want datasets.Hash, what string) {
	t.Helper()
	cells := strings.Split(line, "\t")
	if len(cells) != len(sch.Columns) {
		return // a string with a tab
	}
	vals := make(Values, len(cells))
	for c, col := range sch.Columns {
		var x any
		cell := UnescapeCSVCell(cells[c])
		switch {
		case cell == "" && col.Type == datasets.TypeString:
			return // null or empty: CSV cannot tell
		case cell == "":
			x = nil
		default:
			x = cell
		}
		if col.Type == datasets.TypeBool && x != nil {
			x = cell == "true"
		}
		vals[c] = Field{Name: col.Name, Value: x}
	}
	got, err := Leaves(sch, []Values{vals})
	if err != nil || got[0] != want {
		t.Errorf("%s: leaf %v (%v), want %s", what, got, err, want)
	}
}
