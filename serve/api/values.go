package api

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// ErrValue means a value is not in its column's value form.
var ErrValue = errors.New("invalid value")

// Value returns the value form of row i of arr, a column of logical type t:
// nil, a bool or a string (see the package documentation).
func Value(arr arrow.Array, t datasets.Type, i int) any {
	if arr.IsNull(i) {
		return nil
	}
	if t == datasets.TypeBool {
		return arr.(*array.Boolean).Value(i)
	}
	if t == datasets.TypeString {
		return strings.Clone(arr.(*array.String).Value(i)) // never alias Arrow buffers
	}
	return string(appendScalar(nil, arr, t, i))
}

// AppendJSON appends the JSON text of the value form of row i of arr.
func AppendJSON(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	switch {
	case arr.IsNull(i):
		return append(dst, "null"...)
	case t == datasets.TypeBool:
		return strconv.AppendBool(dst, arr.(*array.Boolean).Value(i))
	case t == datasets.TypeString:
		return AppendJSONString(dst, arr.(*array.String).Value(i))
	}
	dst = append(dst, '"')
	dst = appendScalar(dst, arr, t, i)
	return append(dst, '"')
}

// AppendText appends the value form of row i of arr as plain text (CSV):
// strings as they are, null as nothing.
func AppendText(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	switch {
	case arr.IsNull(i):
		return dst
	case t == datasets.TypeBool:
		return strconv.AppendBool(dst, arr.(*array.Boolean).Value(i))
	case t == datasets.TypeString:
		return append(dst, arr.(*array.String).Value(i)...)
	}
	return appendScalar(dst, arr, t, i)
}

// appendScalar appends the text of a non-null value that is neither a bool
// nor a string.
func appendScalar(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	switch a := arr.(type) {
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10)
	case *array.Uint8:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint16:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(dst, a.Value(i), 10)
	case *array.Float64:
		dst = append(dst, "0x"...)
		return appendHex16(dst, math.Float64bits(a.Value(i)))
	case *array.Timestamp:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Binary:
		return appendHex(dst, a.Value(i))
	case *array.FixedSizeBinary:
		b := a.Value(i)
		switch t {
		case datasets.TypeUint256:
			return new(big.Int).SetBytes(b).Append(dst, 10)
		case datasets.TypeInt256:
			return signed256(b).Append(dst, 10)
		}
		return appendHex(dst, b)
	}
	return append(dst, fmt.Sprintf("unsupported column %s", arr.DataType())...)
}

func appendHex(dst, b []byte) []byte {
	dst = append(dst, "0x"...)
	return hex.AppendEncode(dst, b)
}

func appendHex16(dst []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	for s := 60; s >= 0; s -= 4 {
		dst = append(dst, digits[(v>>uint(s))&0xf])
	}
	return dst
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)
var two255 = new(big.Int).Lsh(big.NewInt(1), 255)

// signed256 reads 32 big-endian two's complement bytes.
func signed256(b []byte) *big.Int {
	v := new(big.Int).SetBytes(b)
	if len(b) == 32 && b[0]&0x80 != 0 {
		v.Sub(v, two256)
	}
	return v
}

// AppendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, other characters as they are (invalid UTF-8
// becomes U+FFFD).
func AppendJSONString(dst []byte, s string) []byte {
	const digits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', digits[c>>4], digits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			dst = append(dst, '\\', 'u', '2', '0', '2', digits[r&0xf])
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// Parse reads a value form (as decoded from JSON with UseNumber, or the
// text of a query parameter) of logical type t and returns its Go value:
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
		if t == datasets.TypeFloat64 || t == datasets.TypeString {
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
	case datasets.TypeInt8, datasets.TypeInt16, datasets.TypeInt32, datasets.TypeInt64, datasets.TypeTimestamp:
		n, err := strconv.ParseInt(s, 10, intBits(t))
		if err != nil || !plainDecimal(s) {
			return nil, bad("a decimal integer in range")
		}
		return n, nil
	case datasets.TypeUint8, datasets.TypeUint16, datasets.TypeUint32, datasets.TypeUint64:
		n, err := strconv.ParseUint(s, 10, intBits(t))
		if err != nil || !plainDecimal(s) {
			return nil, bad("a decimal integer in range")
		}
		return n, nil
	case datasets.TypeFloat64:
		b, err := hexBytes(s, 8)
		if err != nil {
			return nil, bad(`"0x" and 16 hex digits of the IEEE-754 bits`)
		}
		var bits uint64
		for _, c := range b {
			bits = bits<<8 | uint64(c)
		}
		return math.Float64frombits(bits), nil
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
	case datasets.TypeAddress, datasets.TypeBytes32:
		n := map[datasets.Type]int{datasets.TypeAddress: 20, datasets.TypeBytes32: 32}[t]
		b, err := hexBytes(s, n)
		if err != nil {
			return nil, bad(fmt.Sprintf(`"0x" and %d hex digits`, 2*n))
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

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// AppendValue appends a value form v (see Parse) of logical type t to b,
// a builder of the column's Arrow type.
func AppendValue(b array.Builder, t datasets.Type, v any) error {
	x, err := Parse(t, v)
	if err != nil {
		return err
	}
	if x == nil {
		b.AppendNull()
		return nil
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		bb.Append(x.(bool))
	case *array.Int8Builder:
		bb.Append(int8(x.(int64)))
	case *array.Int16Builder:
		bb.Append(int16(x.(int64)))
	case *array.Int32Builder:
		bb.Append(int32(x.(int64)))
	case *array.Int64Builder:
		bb.Append(x.(int64))
	case *array.Uint8Builder:
		bb.Append(uint8(x.(uint64)))
	case *array.Uint16Builder:
		bb.Append(uint16(x.(uint64)))
	case *array.Uint32Builder:
		bb.Append(uint32(x.(uint64)))
	case *array.Uint64Builder:
		bb.Append(x.(uint64))
	case *array.Float64Builder:
		bb.Append(x.(float64))
	case *array.TimestampBuilder:
		bb.Append(arrow.Timestamp(x.(int64)))
	case *array.StringBuilder:
		bb.Append(x.(string))
	case *array.BinaryBuilder:
		bb.Append(x.([]byte))
	case *array.FixedSizeBinaryBuilder:
		bb.Append(x.([]byte))
	default:
		return fmt.Errorf("%w: no builder for %s", ErrValue, t)
	}
	return nil
}
