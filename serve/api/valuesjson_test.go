package api

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestValuesJSONMatchesEncodingJSON: Values marshal to exactly the bytes
// encoding/json gives for the same keys and values (the row answer's
// bytes did not change when its encoder did), for every escaping case and
// for random byte strings, invalid UTF-8 included.
func TestValuesJSONMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", `quote " backslash \ slash /`, "<script>&amp;</script>", "\b\f\n\r\t\x00\x01\x1f\x7f",
		"é ü 漢字 😀", "\u2028\u2029", "bad \xff\xfe utf8 \xc3", "\xed\xa0\x80 surrogate", "trail \xe2\x82"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rnd.IntN(24))
		for i := range b {
			b[i] = byte(rnd.IntN(256))
		}
		strs = append(strs, string(b))
	}
	vals := []any{nil, true, false, json.Number("0"), json.Number("-12.5e3"), json.Number("123456789012345678901234567890"),
		json.Number(""), 42, 3.5, []string{"a"}, map[string]int{"b": 1}}
	for i, s := range strs {
		for j, val := range append([]any{s}, vals...) {
			v := Values{{Name: s, Value: val}, {Name: "second", Value: val}}
			got, gerr := v.MarshalJSON()
			want, werr := stdValuesJSON(v)
			if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
				t.Fatalf("string %d, value %d (%q, %#v): got %s (%v), encoding/json %s (%v)", i, j, s, val, got, gerr, want, werr)
			}
		}
	}
	for _, bad := range []json.Number{"12abc", "true", "1 2", "1 ", " 1", "-", "1\n"} {
		if _, err := (Values{{Name: "n", Value: bad}}).MarshalJSON(); err == nil {
			t.Errorf("json.Number %q: no error (encoding/json refuses it)", bad)
		}
	}
}

// stdValuesJSON is the encoder before appendValuesJSON: encoding/json per
// key and value.
func stdValuesJSON(v Values) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.Name)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		val, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
