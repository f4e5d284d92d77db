package api

import "testing"

func TestCSVCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1+2", "'+1+2"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"-", "'-"},
		{"-inf", "'-inf"},
		{"'quoted", "''quoted"},
		{"-5", "-5"},
		{"+3", "+3"},
		{"-1.5e3", "-1.5e3"},
		{"-.5", "-.5"},
		{"-1e", "'-1e"},
		{"-0x10", "'-0x10"},
		{"12", "12"},
		{"a=b", "a=b"},
	} {
		got := CSVCell(c.in)
		if got != c.want {
			t.Errorf("CSVCell(%q) = %q, want %q", c.in, got, c.want)
		}
		if back := UnescapeCSVCell(got); back != c.in {
			t.Errorf("UnescapeCSVCell(%q) = %q, want %q", got, back, c.in)
		}
	}
}
