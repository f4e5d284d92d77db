package api

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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

// Value returns the canonical value form of row i of arr, a column of
// logical type t: nil, a bool or a string (see the package documentation).
func Value(arr arrow.Array, t datasets.Type, i int) any { return Canonical.Value(arr, t, i) }

// AppendJSON appends the JSON text of the canonical value form of row i of
// arr.
func AppendJSON(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	return Canonical.AppendJSON(dst, arr, t, i)
}

// AppendText appends the canonical value form of row i of arr as plain
// text (CSV): strings as they are, null as nothing.
func AppendText(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	return Canonical.AppendText(dst, arr, t, i)
}

// Value returns form f of row i of arr, a column of logical type t: nil, a
// bool, a string, or (readable numbers) a json.Number.
func (f Form) Value(arr arrow.Array, t datasets.Type, i int) any {
	if arr.IsNull(i) {
		return nil
	}
	if t == datasets.TypeBool {
		return arr.(*array.Boolean).Value(i)
	}
	if t == datasets.TypeString {
		return strings.Clone(arr.(*array.String).Value(i)) // never alias Arrow buffers
	}
	b, number := f.appendScalar(nil, arr, t, i)
	if number {
		return json.Number(b)
	}
	return string(b)
}

// AppendJSON appends the JSON text of form f of row i of arr.
func (f Form) AppendJSON(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	switch {
	case arr.IsNull(i):
		return append(dst, "null"...)
	case t == datasets.TypeBool:
		return strconv.AppendBool(dst, arr.(*array.Boolean).Value(i))
	case t == datasets.TypeString:
		return AppendJSONString(dst, arr.(*array.String).Value(i))
	}
	n := len(dst)
	dst = append(dst, '"')
	dst, number := f.appendScalar(dst, arr, t, i)
	if number {
		return append(dst[:n], dst[n+1:]...)
	}
	return append(dst, '"')
}

// AppendText appends form f of row i of arr as plain text (CSV): strings
// as they are, null as nothing.
func (f Form) AppendText(dst []byte, arr arrow.Array, t datasets.Type, i int) []byte {
	switch {
	case arr.IsNull(i):
		return dst
	case t == datasets.TypeBool:
		return strconv.AppendBool(dst, arr.(*array.Boolean).Value(i))
	case t == datasets.TypeString:
		return append(dst, arr.(*array.String).Value(i)...)
	}
	dst, _ = f.appendScalar(dst, arr, t, i)
	return dst
}

// appendScalar appends the text of a non-null value that is neither a bool
// nor a string; number reports whether it is a JSON number.
func (f Form) appendScalar(dst []byte, arr arrow.Array, t datasets.Type, i int) (out []byte, number bool) {
	small := f == Readable
	switch a := arr.(type) {
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10), small
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10), small
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10), small
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10), false
	case *array.Uint8:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10), small
	case *array.Uint16:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10), small
	case *array.Uint32:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10), small
	case *array.Uint64:
		return strconv.AppendUint(dst, a.Value(i), 10), false
	case *array.Float64:
		return f.appendFloat(dst, a.Value(i))
	case *array.Timestamp:
		return f.appendTimestamp(dst, int64(a.Value(i))), false
	case *array.Binary:
		return appendHex(dst, a.Value(i)), false
	case *array.FixedSizeBinary:
		b := a.Value(i)
		switch t {
		case datasets.TypeUint256, datasets.TypeInt256:
			return wide(t, b, dst), false
		case datasets.TypeAddress:
			return f.appendAddress(dst, b), false
		}
		return appendHex(dst, b), false
	}
	return append(dst, fmt.Sprintf("unsupported column %s", arr.DataType())...), false
}

// wide appends the decimal of a 32-byte uint256 or int256 word.
func wide(t datasets.Type, b, dst []byte) []byte {
	if t == datasets.TypeInt256 {
		return signed256(b).Append(dst, 10)
	}
	return new(big.Int).SetBytes(b).Append(dst, 10)
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
func AppendJSONString(dst []byte, s string) []byte { return appendJSONString(dst, s, false) }

// appendStdJSONString appends s as a JSON string exactly as encoding/json's
// Marshal writes it (with its default HTML escaping).
func appendStdJSONString(dst []byte, s string) []byte { return appendJSONString(dst, s, true) }

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029
// escaped. With std, byte for byte as encoding/json's Marshal writes it:
// '<', '>' and '&' escaped too (its default HTML escaping), '\b' and '\f'
// short.
func appendJSONString(dst []byte, s string, std bool) []byte {
	const digits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!std || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case std && c == '\b':
				dst = append(dst, '\\', 'b')
			case std && c == '\f':
				dst = append(dst, '\\', 'f')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			default: // control characters, and with std '<', '>', '&'
				dst = append(dst, '\\', 'u', '0', '0', digits[c>>4], digits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', digits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(dst, s[start:]...), '"')
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
