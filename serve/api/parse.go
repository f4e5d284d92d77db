package api

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Parse reads a value in either form, readable or canonical (as decoded
// from JSON with UseNumber, or the text of a query parameter), of logical
// type t and returns its Go value:
// bool, int64 (signed types and timestamp), uint64 (unsigned types),
// float64, string, or []byte (bytes, address, bytes32, and the 32-byte
// big-endian word of uint256/int256). nil stays nil.
func Parse(t datasets.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if t == datasets.TypeBool {
		switch b := v.(type) {
		case bool:
			return b, nil
		case string:
			if b == "true" || b == "false" {
				return b == "true", nil
			}
		}
		return nil, fmt.Errorf("%w: %v is not a bool (want true or false)", ErrValue, v)
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		if t == datasets.TypeString {
			return nil, fmt.Errorf("%w: %s value %s must be a string", ErrValue, t, x)
		}
		s = x.String()
	default:
		return nil, fmt.Errorf("%w: %s value %v must be a string", ErrValue, t, v)
	}
	return ParseText(t, s)
}

// ParseText reads the text of a value form of logical type t; see Parse.
func ParseText(t datasets.Type, s string) (any, error) {
	bad := func(want string) error {
		return fmt.Errorf("%w: %q is not a %s value (want %s)", ErrValue, clip(s), t, want)
	}
	switch t {
	case datasets.TypeBool:
		return Parse(t, s)
	case datasets.TypeTimestamp:
		if plainDecimal(s) {
			return parseInt(t, s, bad)
		}
		return parseTimestamp(s, bad)
	case datasets.TypeInt8, datasets.TypeInt16, datasets.TypeInt32, datasets.TypeInt64:
		return parseInt(t, s, bad)
	case datasets.TypeUint8, datasets.TypeUint16, datasets.TypeUint32, datasets.TypeUint64:
		n, err := strconv.ParseUint(s, 10, intBits(t))
		if err != nil || !plainDecimal(s) {
			return nil, bad("a decimal integer in range")
		}
		return n, nil
	case datasets.TypeFloat64:
		return parseFloat(s, bad)
	case datasets.TypeString:
		if !utf8.ValidString(s) {
			return nil, bad("valid UTF-8")
		}
		return s, nil
	case datasets.TypeBytes:
		b, err := hexBytes(s, -1)
		if err != nil {
			return nil, bad(`"0x" and an even number of hex digits`)
		}
		return b, nil
	case datasets.TypeAddress:
		return parseAddress(s, bad)
	case datasets.TypeBytes32:
		b, err := hexBytes(s, 32)
		if err != nil {
			return nil, bad(`"0x" and 64 hex digits`)
		}
		return b, nil
	case datasets.TypeUint256, datasets.TypeInt256:
		return parseWide(t, s, bad)
	}
	return nil, fmt.Errorf("%w: unknown type %q", ErrValue, t)
}

func parseWide(t datasets.Type, s string, bad func(string) error) (any, error) {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok || !plainDecimal(s) || len(s) > 80 {
		return nil, bad("a decimal integer")
	}
	if t == datasets.TypeUint256 {
		if v.Sign() < 0 || v.Cmp(two256) >= 0 {
			return nil, bad("an integer from 0 to 2^256-1")
		}
	} else {
		if v.Cmp(two255) >= 0 || v.Cmp(new(big.Int).Neg(two255)) < 0 {
			return nil, bad("an integer from -2^255 to 2^255-1")
		}
		if v.Sign() < 0 {
			v.Add(v, two256)
		}
	}
	return v.FillBytes(make([]byte, 32)), nil
}

func intBits(t datasets.Type) int {
	switch t {
	case datasets.TypeInt8, datasets.TypeUint8:
		return 8
	case datasets.TypeInt16, datasets.TypeUint16:
		return 16
	case datasets.TypeInt32, datasets.TypeUint32:
		return 32
	}
	return 64
}

// plainDecimal reports whether s is an optional minus sign and digits,
// without a plus sign, leading zeros or underscores.
func plainDecimal(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" || (len(d) > 1 && d[0] == '0') || (s[0] == '-' && d == "0") {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// hexBytes decodes "0x" + hex of n bytes (n < 0: any length).
func hexBytes(s string, n int) ([]byte, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, ErrValue
	}
	if n >= 0 && len(h) != 2*n {
		return nil, ErrValue
	}
	return hex.DecodeString(h)
}

func parseInt(t datasets.Type, s string, bad func(string) error) (any, error) {
	n, err := strconv.ParseInt(s, 10, intBits(t))
	if err != nil || !plainDecimal(s) {
		return nil, bad("a decimal integer in range")
	}
	return n, nil
}

// parseTimestamp reads ISO-8601 / RFC 3339 (any offset, at most
// microsecond precision) as microseconds since the epoch.
func parseTimestamp(s string, bad func(string) error) (any, error) {
	want := `microseconds as a decimal integer, or ISO-8601 such as "2024-05-01T12:00:00.000001Z"`
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, bad(want)
	}
	if tm.Nanosecond()%1000 != 0 {
		return nil, bad("at most 6 fractional digits (microseconds)")
	}
	us := tm.UnixMicro()
	if us < minReadableUs || us > maxReadableUs {
		return nil, bad(want)
	}
	return us, nil
}

// parseFloat reads "0x" and the 16 hex digits of the bits (canonical), a
// decimal number, NaN, Infinity or -Infinity (readable).
func parseFloat(s string, bad func(string) error) (any, error) {
	const want = `a decimal number, NaN, Infinity, -Infinity, or "0x" and 16 hex digits of the IEEE-754 bits`
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	if strings.HasPrefix(s, "0x") {
		b, err := hexBytes(s, 8)
		if err != nil {
			return nil, bad(want)
		}
		var bits uint64
		for _, c := range b {
			bits = bits<<8 | uint64(c)
		}
		return math.Float64frombits(bits), nil
	}
	if !isPlainNumber(s) || strings.HasPrefix(s, "+") {
		return nil, bad(want)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, bad("a decimal number within the float64 range")
	}
	return v, nil
}

// parseAddress reads "0x" and 40 hex digits; mixed case must be the EIP-55
// checksum.
func parseAddress(s string, bad func(string) error) (any, error) {
	b, err := hexBytes(s, 20)
	if err != nil {
		return nil, bad(`"0x" and 40 hex digits`)
	}
	h := s[2:]
	if h != strings.ToLower(h) && h != strings.ToUpper(h) && common.BytesToAddress(b).Hex() != s {
		return nil, bad("the EIP-55 checksum casing, or all lowercase (this mixed casing fails the checksum)")
	}
	return b, nil
}
