package api

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

type vectorFile struct {
	Schema datasets.Schema `json:"schema"`
	Rows   []struct {
		Note   string        `json:"note"`
		Values []any         `json:"values"`
		Leaf   datasets.Hash `json:"leaf"`
	} `json:"rows"`
}

func loadVectors(t *testing.T) *vectorFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vectors", "canonical.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// TestVectorsRoundTrip rebuilds every test-vector row from its value forms,
// checks its leaf against the vector, and renders the values back.
func TestVectorsRoundTrip(t *testing.T) {
	v := loadVectors(t)
	rows := make([]Values, len(v.Rows))
	for i, r := range v.Rows {
		for c, col := range v.Schema.Columns {
			rows[i] = append(rows[i], Field{Name: col.Name, Value: r.Values[c]})
		}
	}
	leaves, err := Leaves(&v.Schema, rows)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Record(&v.Schema, rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	for i, r := range v.Rows {
		if leaves[i] != r.Leaf {
			t.Errorf("row %d (%s): leaf %s, vector %s", i, r.Note, leaves[i], r.Leaf)
		}
		got := RowValues(&v.Schema, rec, i)
		for c := range v.Schema.Columns {
			if !reflect.DeepEqual(got[c].Value, r.Values[c]) {
				t.Errorf("row %d column %s: value form %#v, vector %#v", i, got[c].Name, got[c].Value, r.Values[c])
			}
			js := AppendJSON(nil, rec.Column(c), v.Schema.Columns[c].Type, i)
			want, _ := json.Marshal(r.Values[c])
			var a, b any
			if json.Unmarshal(js, &a) != nil || json.Unmarshal(want, &b) != nil || !reflect.DeepEqual(a, b) {
				t.Errorf("row %d column %s: JSON %s, want %s", i, got[c].Name, js, want)
			}
		}
	}
	// The ordered object keeps schema order through a JSON round trip.
	b, _ := json.Marshal(rows[0])
	var back Values
	if err := json.Unmarshal(b, &back); err != nil || back[0].Name != "id" || back[len(back)-1].Name != "ts" {
		t.Fatalf("round trip: %v %v", back, err)
	}
}

func TestParseText(t *testing.T) {
	for _, tc := range []struct {
		t    datasets.Type
		in   string
		ok   bool
		want any
	}{
		{datasets.TypeUint8, "255", true, uint64(255)},
		{datasets.TypeUint8, "256", false, nil},
		{datasets.TypeInt8, "-128", true, int64(-128)},
		{datasets.TypeInt64, "007", false, nil},
		{datasets.TypeInt64, "+7", false, nil},
		{datasets.TypeInt64, "-0", false, nil},
		{datasets.TypeUint64, "18446744073709551615", true, uint64(18446744073709551615)},
		{datasets.TypeAddress, "0xD8DA6BF26964AF9D7EED9E10C7F11A5C35F3C1A3", true, nil},
		{datasets.TypeAddress, "0xd8da", false, nil},
		{datasets.TypeBytes32, "d8da", false, nil},
		{datasets.TypeBytes, "0x", true, []byte{}},
		{datasets.TypeBytes, "0x0", false, nil},
		{datasets.TypeUint256, "115792089237316195423570985008687907853269984665640564039457584007913129639936", false, nil},
		{datasets.TypeInt256, "-1", true, nil},
		{datasets.TypeBool, "yes", false, nil},
		{datasets.TypeFloat64, "0x7ff8000000000000", true, nil},
		{datasets.TypeString, "\xff", false, nil},
	} {
		got, err := ParseText(tc.t, tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%s %q: err %v, want ok=%v", tc.t, tc.in, err, tc.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrValue) {
			t.Errorf("%s %q: %v does not wrap ErrValue", tc.t, tc.in, err)
		}
		if tc.ok && tc.want != nil && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %q = %#v, want %#v", tc.t, tc.in, got, tc.want)
		}
	}
}

// FuzzParseText checks that parsing never panics and that every accepted
// value renders back to a value the parser accepts with the same result.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"0", "-1", "0x", "0xff", "true", "12345678901234567890123", "0x7ff0000000000000"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		typ := datasets.AllTypes[int(k)%len(datasets.AllTypes)]
		v, err := ParseText(typ, s)
		if err != nil {
			return
		}
		rows := []Values{{{Name: "c", Value: s}}}
		if typ == datasets.TypeBool {
			rows[0][0].Value = v
		}
		sch := &datasets.Schema{Columns: []datasets.Column{{Name: "c", Type: typ}}, Key: []string{"c"}}
		rec, err := Record(sch, rows)
		if err != nil {
			t.Fatalf("%s %q parsed but does not build: %v", typ, s, err)
		}
		defer rec.Release()
		back := Value(rec.Column(0), typ, 0)
		v2, err := Parse(typ, back)
		if f, ok := v.(float64); ok {
			v, v2 = math.Float64bits(f), math.Float64bits(v2.(float64))
		}
		if err != nil || !reflect.DeepEqual(v, v2) {
			t.Fatalf("%s %q: renders as %#v which parses to %#v (%v), want %#v", typ, s, back, v2, err, v)
		}
	})
}
