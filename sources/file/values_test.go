package file

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		bits int
		want int64
		err  string
	}{
		{"43", 64, 43, ""},
		{"43.0", 64, 43, ""},
		{"4.3e1", 64, 43, ""},
		{"430e-1", 64, 43, ""},
		{"+43", 64, 43, ""},
		{"-128", 8, -128, ""},
		{"0x2b", 64, 43, ""},
		{"-0x2b", 64, -43, ""},
		{"1E3", 16, 1000, ""},
		{"0.0e5", 8, 0, ""},
		{"-0", 8, 0, ""},
		{"9223372036854775807", 64, 1<<63 - 1, ""},
		{"9.223372036854775807e18", 64, 1<<63 - 1, ""},
		{"43.5", 64, 0, `"43.5" is not an integer`},
		{"4.35e1", 64, 0, "is not an integer"},
		{"128", 8, 0, `"128" is out of range for int8`},
		{"-129.0", 8, 0, "out of range for int8"},
		{"9223372036854775808", 64, 0, "out of range for int64"},
		{"1e99999999999999999999", 64, 0, "bad exponent"},
		{"1e-999999999", 64, 0, "not an integer"},
		{"1e999999999", 64, 0, "out of range"},
		{"", 64, 0, "is not a number"},
		{" 43", 64, 0, "is not a number"},
		{"43 ", 64, 0, "is not a number"},
		{"4_3", 64, 0, "is not a number"},
		{"abc", 64, 0, "is not a number"},
		{".", 64, 0, "is not a number"},
		{"1e", 64, 0, "bad exponent"},
		{"1e+-3", 64, 0, "bad exponent"},
		{"0x", 64, 0, "not a valid hex integer"},
		{"0xzz", 64, 0, "not a valid hex integer"},
		{"NaN", 64, 0, "is not a number"},
		{"Inf", 64, 0, "is not a number"},
	}
	for _, tt := range tests {
		got, err := parseInt(tt.in, tt.bits)
		checkParse(t, fmt.Sprintf("parseInt(%q, %d)", tt.in, tt.bits), got, err, tt.want, tt.err)
	}
}

func checkParse[T comparable](t *testing.T, call string, got T, err error, want T, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("%s: %v", call, err)
	case wantErr == "" && got != want:
		t.Errorf("%s = %v, want %v", call, got, want)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Errorf("%s = %v, %v; want an error containing %q", call, got, err, wantErr)
	}
}

func TestParseUint(t *testing.T) {
	tests := []struct {
		in   string
		bits int
		want uint64
		err  string
	}{
		{"255", 8, 255, ""},
		{"2.55e2", 8, 255, ""},
		{"18446744073709551615", 64, 1<<64 - 1, ""},
		{"1.8446744073709551615e19", 64, 1<<64 - 1, ""},
		{"0xffffffffffffffff", 64, 1<<64 - 1, ""},
		{"256", 8, 0, "out of range for uint8"},
		{"18446744073709551616", 64, 0, "out of range for uint64"},
		{"-1", 64, 0, "out of range for uint64"},
		{"1.5", 64, 0, "not an integer"},
	}
	for _, tt := range tests {
		got, err := parseUint(tt.in, tt.bits)
		checkParse(t, fmt.Sprintf("parseUint(%q, %d)", tt.in, tt.bits), got, err, tt.want, tt.err)
	}
}

func TestParseWord(t *testing.T) {
	max256 := new(big.Int).Sub(two256, big.NewInt(1))
	tests := []struct {
		in     string
		signed bool
		want   string // decimal
		err    string
	}{
		{"1.5e+23", false, "150000000000000000000000", ""},
		{"123456789000000000000.0", false, "123456789000000000000", ""},
		{"64126463650272834603", false, "64126463650272834603", ""},
		{"0x" + strings.Repeat("f", 64), false, max256.String(), ""},
		{max256.String(), false, max256.String(), ""},
		{"1e77", false, "1" + strings.Repeat("0", 77), ""},
		{"0", false, "0", ""},
		{"-1", true, "-1", ""},
		{"-" + two255.String(), true, "-" + two255.String(), ""},
		{new(big.Int).Sub(two255, big.NewInt(1)).String(), true, new(big.Int).Sub(two255, big.NewInt(1)).String(), ""},
		{two256.String(), false, "", "out of range for uint256"},
		{"1e78", false, "", "out of range for uint256"},
		{"-1", false, "", "out of range for uint256"},
		{two255.String(), true, "", "out of range for int256"},
		{"0x1" + strings.Repeat("0", 64), false, "", "not a valid hex integer"},
		{"1.5e-1", false, "", "not an integer"},
		{"1.25e1", false, "", "not an integer"},
	}
	for _, tt := range tests {
		w, err := parseWord(tt.in, tt.signed)
		got := ""
		if err == nil {
			got = wordToBig(w, tt.signed).String()
		}
		checkParse(t, fmt.Sprintf("parseWord(%q, %v)", tt.in, tt.signed), got, err, tt.want, tt.err)
	}
	// int256 is stored in two's complement.
	w, _ := parseWord("-1", true)
	if w != [32]byte(bytesOf(0xff, 32)) {
		t.Errorf("int256 -1 = %x, want all ones", w)
	}
}

func bytesOf(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}

func TestParseOthers(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "TRUE": true, "True": true, "1": true, "false": false, "FALSE": false, "0": false} {
		got, err := parseBool(in)
		checkParse(t, fmt.Sprintf("parseBool(%q)", in), got, err, want, "")
	}
	for _, in := range []string{"yes", "t", "2", ""} {
		got, err := parseBool(in)
		checkParse(t, fmt.Sprintf("parseBool(%q)", in), got, err, false, "is not a boolean")
	}
	f, err := parseFloat("1.5e3")
	checkParse(t, "parseFloat(1.5e3)", f, err, 1500, "")
	f, err = parseFloat("1e400")
	checkParse(t, "parseFloat(1e400)", f, err, 0, "is not a float64")
}

func TestParseAddress(t *testing.T) {
	const good = "0xc0Da02939E1441F497fd74F78cE7Decb17B66529"
	tests := []struct{ in, err string }{
		{good, ""},
		{strings.ToLower(good), ""},
		{"0x" + strings.ToUpper(good[2:]), ""},
		{"0xc0da02939E1441F497fd74F78cE7Decb17B66529", "fails the EIP-55 checksum (want " + good + ")"},
		{good[2:], "want 0x and hex digits"},
		{good[:41], "want 0x and 40 hex digits, got 39"},
		{"0x" + strings.Repeat("g", 40), "bad hex"},
	}
	for _, tt := range tests {
		a, err := parseAddress(tt.in)
		checkParse(t, fmt.Sprintf("parseAddress(%q)", tt.in), fmt.Sprintf("%x", a), err, strings.ToLower(good[2:]), tt.err)
	}
}

func TestParseTime(t *testing.T) {
	us := func(s string) int64 {
		v, _ := time.Parse(time.RFC3339Nano, s)
		return v.UnixMicro()
	}
	tests := []struct {
		in, format string
		want       int64
		err        string
	}{
		{"2021-03-09T19:07:59", "", us("2021-03-09T19:07:59Z"), ""},
		{"2021-03-09T19:07:59Z", "rfc3339", us("2021-03-09T19:07:59Z"), ""},
		{"2021-03-09T21:07:59+02:00", "", us("2021-03-09T19:07:59Z"), ""},
		{"2021-03-09 19:07:59.123456", "", us("2021-03-09T19:07:59.123456Z"), ""},
		{"2021-03-09", "", us("2021-03-09T00:00:00Z"), ""},
		{"1618779737.0", "unix", 1618779737000000, ""},
		{"1618779737.5", "unix", 1618779737500000, ""},
		{"1618779737123", "unix_ms", 1618779737123000, ""},
		{"1618779737123456", "unix_us", 1618779737123456, ""},
		{"1618779737123456000", "unix_ns", 1618779737123456, ""},
		{"09/03/2021 19:07", "02/01/2006 15:04", us("2021-03-09T19:07:00Z"), ""},
		{"1618779737123456789", "unix_ns", 0, "more than microsecond precision"},
		{"1.0000001", "unix", 0, "more than microsecond precision"},
		{"1.5", "rfc3339", 0, "is not an RFC 3339 timestamp"},
		{"2021-03-09T19:07:59.1234567Z", "", 0, "more than microsecond precision"},
		{"09.03.2021", "", 0, "is not an RFC 3339 timestamp"},
		{"2021-13-09", "02/01/2006 15:04", 0, "does not match the layout"},
		{"1e30", "unix", 0, "out of range for a timestamp"},
	}
	for _, tt := range tests {
		tf, err := parseTimeFormat(tt.format)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseTime(tt.in, tf)
		checkParse(t, fmt.Sprintf("parseTime(%q, %q)", tt.in, tt.format), got, err, tt.want, tt.err)
	}
	if _, err := parseTimeFormat("daily"); err == nil {
		t.Error("parseTimeFormat accepted a format without layout elements")
	}
}

// FuzzParseWord checks that formatting a 256-bit value in any accepted
// notation and parsing it back gives the same value.
func FuzzParseWord(f *testing.F) {
	f.Add(make([]byte, 32), uint8(0), false)
	f.Add(bytesOf(0xff, 32), uint8(5), true)
	f.Add([]byte{1, 2, 3}, uint8(30), false)
	f.Fuzz(func(t *testing.T, raw []byte, zeros uint8, signed bool) {
		var w [32]byte
		copy(w[32-min(32, len(raw)):], raw)
		v := wordToBig(w, signed)
		dec := v.String()
		forms := []string{dec, dec + ".0", fmt.Sprintf("%#x", v), scientific(dec, int(zeros%40))}
		for _, s := range forms {
			got, err := parseWord(s, signed)
			if err != nil {
				t.Fatalf("parseWord(%q): %v", s, err)
			}
			if got != w {
				t.Fatalf("parseWord(%q) = %x, want %x", s, got, w)
			}
		}
	})
}

// scientific writes a decimal integer as d.ddd e+N with extra trailing
// zeros in the mantissa, the way pandas writes large floats.
func scientific(dec string, zeros int) string {
	sign := ""
	if strings.HasPrefix(dec, "-") {
		sign, dec = "-", dec[1:]
	}
	mant := dec[:1] + "." + dec[1:] + strings.Repeat("0", zeros)
	return fmt.Sprintf("%s%se+%02d", sign, mant, len(dec)-1)
}

// FuzzParseScaled checks that the exact parser never panics and agrees
// with math/big on values it accepts.
func FuzzParseScaled(f *testing.F) {
	for _, s := range []string{"43", "43.0", "4.3e1", "1.5e+23", "0x2b", "-1e-3", "1e99999", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseScaled(s, 0)
		if err != nil {
			return
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok || !r.IsInt() {
			if strings.ContainsAny(s, "xX") {
				return // hex: big.Rat does not read 0x
			}
			t.Fatalf("parseScaled(%q) = %v, but big.Rat reads %v, %v", s, v, r, ok)
		}
		if r.Num().Cmp(v) != 0 {
			t.Fatalf("parseScaled(%q) = %v, big.Rat says %v", s, v, r.Num())
		}
	})
}
