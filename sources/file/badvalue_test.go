package file

import (
	"testing"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// TestBadValuesQuarantined reads files with cells that do not parse as
// their declared type: every row is emitted, the bad cells are reported
// with their column, raw value and line, and the other rows are intact.
func TestBadValuesQuarantined(t *testing.T) {
	addr := Column{Name: "who", Type: "address", From: "voter"}
	n := Column{Name: "n", Type: "uint64"}
	opt := Column{Name: "o", Type: "uint64", Nullable: true}
	tests := []struct {
		name, file, content string
		cols                []Column
		rows                int
		want                []sources.BadValue
	}{
		{"malformed address", "d.csv", "voter,n\n0xc0Da02939E1441F497fd74F78cE7Decb17B66529,1\n0x5b9xyz,2\n0xc0Da02939E1441F497fd74F78cE7Decb17B66529,3\n",
			[]Column{addr, n}, 3, []sources.BadValue{{Row: 1, Column: "who", Raw: "0x5b9xyz", Locator: "d.csv:3"}}},
		{"not a number and empty", "d.csv", "n,o\n1,2\n2x,\n,5\n", []Column{n, opt}, 3,
			[]sources.BadValue{{Row: 1, Column: "n", Raw: "2x", Locator: "d.csv:3"}, {Row: 2, Column: "n", Raw: "", Locator: "d.csv:4"}}},
		{"nullable column gets null", "d.jsonl", `{"n": 1, "o": "x"}` + "\n" + `{"n": 2, "o": 3}` + "\n", []Column{n, opt}, 2,
			[]sources.BadValue{{Row: 0, Column: "o", Raw: "x", Locator: "d.jsonl:1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := testSource(t, tt.file, tt.content, baseConfig(tt.cols...))
			rows, res, err := collect(t, s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tt.rows || len(res.BadValues) != len(tt.want) {
				t.Fatalf("%d rows, bad values %+v; want %d rows, %+v", len(rows), res.BadValues, tt.rows, tt.want)
			}
			for i, w := range tt.want {
				g := res.BadValues[i]
				if g.Row != w.Row || g.Column != w.Column || g.Raw != w.Raw || g.Locator != w.Locator || g.Problem == "" {
					t.Errorf("bad value %d = %+v, want %+v", i, g, w)
				}
			}
			if tt.name == "nullable column gets null" && rows[0][1] != nil {
				t.Errorf("bad nullable cell stored as %v, want null", rows[0][1])
			}
		})
	}
}
