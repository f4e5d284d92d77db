package gaming

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"[]", nil, false},
		{`["0xab", "0xCD"]`, []string{"0xab", "0xCD"}, false},
		{"['0xc0Da', '0xc0Db']", []string{"0xc0Da", "0xc0Db"}, false},
		{"[0, 1]", []string{"0", "1"}, false},
		{`["it's", 'say "hi"', 'a\'b']`, []string{"it's", `say "hi"`, "a'b"}, false},
		{`[b'\x00\x01', b"3T"]`, []string{"\x00\x01", "3T"}, false},
		{`["\u00e9"]`, []string{"é"}, false},
		{"[1,", nil, true},
		{"['unterminated]", nil, true},
		{"[1] x", nil, true},
		{"nope", nil, true},
	}
	for _, tc := range tests {
		got, err := ParseList(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrList) {
				t.Errorf("%q: error does not wrap ErrList: %v", tc.in, err)
			}
			continue
		}
		var texts []string
		for _, e := range got {
			texts = append(texts, e.Text)
		}
		if strings.Join(texts, "|") != strings.Join(tc.want, "|") || len(texts) != len(tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, texts, tc.want)
		}
	}
}

func TestDecodeCalls(t *testing.T) {
	newOwner := strings.Repeat("ab", 20)
	tests := []struct {
		name                string
		targets, sigs, data string
		want                []Category
		arg                 string
	}{
		{"bravo python literals", "['0xc0Da02939E1441F497fd74F78cE7Decb17B66529']", "['_setPendingAdmin(address)']",
			`[b'\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00` + pyBytes(newOwner) + `']`, []Category{Ownership}, "0x" + newOwner},
		{"oz json with selector", `["0x1111111111111111111111111111111111111111"]`, `[""]`,
			`["0xf2fde38b000000000000000000000000` + newOwner + `"]`, []Category{Ownership}, "0x" + newOwner},
		{"upgrade and mint", `["0x1", "0x2"]`, `["upgradeTo(address)", "mint(address,uint256)"]`, `["0x", "0x"]`, []Category{Upgrade, Mint}, ""},
		{"benign", `["0x1"]`, `["_setReserveFactor(uint256)"]`, `["0x00"]`, []Category{NotPrivileged}, ""},
	}
	for _, tc := range tests {
		calls, err := DecodeCalls(tc.targets, tc.sigs, tc.data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i, c := range calls {
			if c.Category != tc.want[i] {
				t.Errorf("%s: call %d category %d, want %d (%s)", tc.name, i, c.Category, tc.want[i], c.Known)
			}
		}
		if tc.arg != "" && calls[0].AddressArg(0) != tc.arg {
			t.Errorf("%s: first argument %q, want %q", tc.name, calls[0].AddressArg(0), tc.arg)
		}
	}
}

func pyBytes(h string) string {
	b, _ := hex.DecodeString(h)
	var s strings.Builder
	for _, c := range b {
		s.WriteString(`\x` + hex.EncodeToString([]byte{c}))
	}
	return s.String()
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{`["0xab", "0xcd"]`, "['a', b'\\x00']", "[0, 1.5e3]", "[]", `["\u00e9\n"]`, "[b'\\xff']"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		elems, err := ParseList(s)
		if err != nil {
			if !errors.Is(err, ErrList) {
				t.Fatalf("error does not wrap ErrList: %v", err)
			}
			return
		}
		// a JSON array of strings must parse to the same strings
		var js []string
		if json.Unmarshal([]byte(s), &js) == nil && len(js) == len(elems) {
			for i := range js {
				if js[i] != elems[i].Text && !strings.ContainsRune(js[i], '\uFFFD') {
					t.Fatalf("element %d: %q, JSON says %q", i, elems[i].Text, js[i])
				}
			}
		}
	})
}

func FuzzDecodeCalls(f *testing.F) {
	f.Add(`["0x1"]`, `["transferOwnership(address)"]`, `["0x000000000000000000000000abababababababababababababababababababab"]`)
	f.Add("['0xc0Da']", "['']", `[b'\xf2\xfd\xe3\x8b']`)
	f.Fuzz(func(t *testing.T, targets, sigs, data string) {
		calls, err := DecodeCalls(targets, sigs, data)
		if err != nil {
			return
		}
		for _, c := range calls {
			if c.Category != NotPrivileged && c.Known == "" {
				t.Fatalf("privileged call without a signature: %+v", c)
			}
			_ = c.AddressArg(0)
		}
	})
}
