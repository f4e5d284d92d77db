package file

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// errFraction marks a value that has a fractional part where a whole
// number is needed.
var errFraction = errors.New("not an integer")

// maxDigits bounds the decimal digits of an integer (2^256 has 78).
const maxDigits = 80

var (
	two256    = new(big.Int).Lsh(big.NewInt(1), 256)
	two255    = new(big.Int).Lsh(big.NewInt(1), 255)
	minInt256 = new(big.Int).Neg(two255)
	minInt64  = big.NewInt(-1 << 63)
	maxInt64  = big.NewInt(1<<63 - 1)
)

// quote renders a cell value for messages, shortened when long.
func quote(s string) string {
	const max = 48
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

// parseScaled parses s as an exact number and returns s × 10^shift, which
// must be an integer. s is a decimal integer, a decimal with a fraction
// and/or exponent (pandas writes 43.0 and 1.5e+23), or 0x hex; a sign is
// allowed. Nothing goes through float64.
func parseScaled(s string, shift int) (*big.Int, error) {
	neg, body := false, s
	if body != "" && (body[0] == '-' || body[0] == '+') {
		neg, body = body[0] == '-', body[1:]
	}
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		v, err := parseHexInt(s, body[2:])
		if err != nil {
			return nil, err
		}
		if neg {
			v.Neg(v)
		}
		return scaleInt(s, v, shift)
	}
	digits, exp, err := splitDecimal(s, body)
	if err != nil {
		return nil, err
	}
	v, err := digitsToInt(s, digits, exp+shift)
	if err != nil {
		return nil, err
	}
	if neg {
		v.Neg(v)
	}
	return v, nil
}

func parseHexInt(s, hexDigits string) (*big.Int, error) {
	if hexDigits == "" || len(hexDigits) > 64 {
		return nil, fmt.Errorf("%s is not a valid hex integer (want 0x and 1 to 64 hex digits)", quote(s))
	}
	v, ok := new(big.Int).SetString(hexDigits, 16)
	if !ok {
		return nil, fmt.Errorf("%s is not a valid hex integer", quote(s))
	}
	return v, nil
}

func scaleInt(s string, v *big.Int, shift int) (*big.Int, error) {
	if shift >= 0 {
		return v.Mul(v, pow10(shift)), nil
	}
	q, r := new(big.Int).QuoRem(v, pow10(-shift), new(big.Int))
	if r.Sign() != 0 {
		return nil, fmt.Errorf("%s is %w", quote(s), errFraction)
	}
	return q, nil
}

// splitDecimal returns the significant digits of a decimal literal and the
// power of ten to apply to them.
func splitDecimal(s, body string) (string, int, error) {
	mant, expPart, hasExp := strings.Cut(strings.ToLower(body), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return "", 0, fmt.Errorf("%s is not a number", quote(s))
	}
	exp := 0
	if hasExp {
		e, err := strconv.Atoi(expPart)
		if err != nil || expPart == "" || strings.HasPrefix(expPart, "+-") {
			return "", 0, fmt.Errorf("%s is not a number (bad exponent)", quote(s))
		}
		// Clamping keeps the meaning (out of range, or not an integer)
		// while keeping the arithmetic far from overflow.
		lim := len(body) + maxDigits + 10
		exp = max(-lim, min(lim, e))
	}
	return intPart + frac, exp - len(frac), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digitsToInt returns digits × 10^exp, which must be an integer.
func digitsToInt(s, digits string, exp int) (*big.Int, error) {
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return new(big.Int), nil
	}
	if exp < 0 {
		if -exp > len(digits) || strings.TrimRight(digits[len(digits)+exp:], "0") != "" {
			return nil, fmt.Errorf("%s is %w", quote(s), errFraction)
		}
		digits, exp = digits[:len(digits)+exp], 0
	}
	if len(digits)+exp > maxDigits {
		return nil, fmt.Errorf("%s is out of range", quote(s))
	}
	v, _ := new(big.Int).SetString(digits, 10)
	return v.Mul(v, pow10(exp)), nil
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// parseInt parses an exact integer in [-2^(bits-1), 2^(bits-1)).
func parseInt(s string, bits int) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, bits); err == nil {
		return v, nil
	}
	v, err := parseScaled(s, 0)
	if err != nil {
		return 0, err
	}
	lim := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	if v.Cmp(lim) >= 0 || v.Cmp(new(big.Int).Neg(lim)) < 0 {
		return 0, fmt.Errorf("%s is out of range for int%d", quote(s), bits)
	}
	return v.Int64(), nil
}

// parseUint parses an exact integer in [0, 2^bits).
func parseUint(s string, bits int) (uint64, error) {
	if v, err := strconv.ParseUint(s, 10, bits); err == nil {
		return v, nil
	}
	v, err := parseScaled(s, 0)
	if err != nil {
		return 0, err
	}
	if v.Sign() < 0 || v.BitLen() > bits {
		return 0, fmt.Errorf("%s is out of range for uint%d", quote(s), bits)
	}
	return v.Uint64(), nil
}

// parseWord parses a uint256 (signed=false) or int256 into its 32-byte
// big-endian (two's complement) form.
func parseWord(s string, signed bool) ([32]byte, error) {
	v, err := parseScaled(s, 0)
	if err != nil {
		return [32]byte{}, err
	}
	return bigToWord(v, signed, s)
}

func bigToWord(v *big.Int, signed bool, s string) ([32]byte, error) {
	var w [32]byte
	switch {
	case !signed && (v.Sign() < 0 || v.BitLen() > 256):
		return w, fmt.Errorf("%s is out of range for uint256", quote(s))
	case signed && (v.Cmp(two255) >= 0 || v.Cmp(minInt256) < 0):
		return w, fmt.Errorf("%s is out of range for int256", quote(s))
	}
	if v.Sign() < 0 {
		v = new(big.Int).Add(v, two256)
	}
	v.FillBytes(w[:])
	return w, nil
}

// wordToBig is the inverse of bigToWord.
func wordToBig(w [32]byte, signed bool) *big.Int {
	v := new(big.Int).SetBytes(w[:])
	if signed && w[0]&0x80 != 0 {
		v.Sub(v, two256)
	}
	return v
}

// parseBool accepts true/false/1/0 in any case.
func parseBool(s string) (bool, error) {
	switch {
	case strings.EqualFold(s, "true"), s == "1":
		return true, nil
	case strings.EqualFold(s, "false"), s == "0":
		return false, nil
	}
	return false, fmt.Errorf("%s is not a boolean (want true, false, 1 or 0)", quote(s))
}

// parseFloat parses a float64; values beyond its range are errors.
func parseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a float64", quote(s))
	}
	return v, nil
}

// parseHexBytes parses 0x-prefixed hex of any even length; want > 0
// requires exactly that many bytes.
func parseHexBytes(s string, want int, what string) ([]byte, error) {
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return nil, fmt.Errorf("%s is not %s (want 0x and hex digits)", quote(s), what)
	}
	h := s[2:]
	if want > 0 && len(h) != 2*want {
		return nil, fmt.Errorf("%s is not %s (want 0x and %d hex digits, got %d)", quote(s), what, 2*want, len(h))
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("%s is not %s (bad hex)", quote(s), what)
	}
	return b, nil
}

// parseAddress parses 0x + 40 hex digits; a mixed-case address must pass
// the EIP-55 checksum.
func parseAddress(s string) ([20]byte, error) {
	var a [20]byte
	b, err := parseHexBytes(s, 20, "an address")
	if err != nil {
		return a, err
	}
	copy(a[:], b)
	h := s[2:]
	if h != strings.ToLower(h) && h != strings.ToUpper(h) {
		if want := common.Address(a).Hex(); want[2:] != h {
			return a, fmt.Errorf("%s fails the EIP-55 checksum (want %s)", quote(s), want)
		}
	}
	return a, nil
}

// parseTime parses a timestamp with format f into microseconds since the
// Unix epoch, UTC.
func parseTime(s string, f timeFormat) (int64, error) {
	switch f.kind {
	case "unix":
		v, err := parseScaled(s, f.shift)
		if errors.Is(err, errFraction) {
			return 0, fmt.Errorf("%s has more than microsecond precision", quote(s))
		}
		if err != nil {
			return 0, err
		}
		if v.Cmp(maxInt64) > 0 || v.Cmp(minInt64) < 0 {
			return 0, fmt.Errorf("%s is out of range for a timestamp", quote(s))
		}
		return v.Int64(), nil
	case "layout":
		t, err := time.Parse(f.layout, s)
		if err != nil {
			return 0, fmt.Errorf("%s does not match the layout %q", quote(s), f.layout)
		}
		return timeMicros(t, s)
	}
	return parseRFC3339(s)
}

// rfc3339Layouts are tried in order; the ones without a zone mean UTC.
var rfc3339Layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

func parseRFC3339(s string) (int64, error) {
	for _, l := range rfc3339Layouts {
		if t, err := time.Parse(l, s); err == nil {
			return timeMicros(t, s)
		}
	}
	return 0, fmt.Errorf("%s is not an RFC 3339 timestamp (like 2021-03-09T19:07:59Z; without a zone it is UTC)", quote(s))
}

// timeMicros converts t to microseconds, refusing sub-microsecond parts
// and years outside 0001..9999.
func timeMicros(t time.Time, s string) (int64, error) {
	if t.Nanosecond()%1000 != 0 {
		return 0, fmt.Errorf("%s has more than microsecond precision", quote(s))
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return 0, fmt.Errorf("%s is out of range for a timestamp", quote(s))
	}
	return t.UnixMicro(), nil
}
