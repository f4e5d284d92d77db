package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Form selects how values are written: the readable forms (the default of
// every endpoint and MCP tool) or the canonical forms of docs/SPEC.md §10.
// Both carry the exact value: Parse reads either, so a row's leaf and proof
// verify from either form.
type Form uint8

const (
	// Readable writes 8-, 16- and 32-bit integers and finite floats as JSON
	// numbers (floats as the shortest decimal that reads back to the same
	// bits), timestamps as ISO-8601 UTC with microseconds, addresses with
	// their EIP-55 checksum; the rest as in Canonical.
	Readable Form = iota
	// Canonical writes the value forms of docs/SPEC.md §10: integers and
	// timestamps (microseconds) as decimal strings, float64 as "0x" and the
	// 16 hex digits of its bits, addresses in lowercase hex.
	Canonical
)

// FormParam is the query parameter (and MCP argument) naming a Form.
const FormParam = "values"

// ErrForm means a values parameter names no Form.
var ErrForm = errors.New("unknown value form")

// ParseForm reads the values parameter: "" or "readable" is Readable,
// "canonical" is Canonical.
func ParseForm(s string) (Form, error) {
	switch s {
	case "", "readable":
		return Readable, nil
	case "canonical":
		return Canonical, nil
	}
	return Readable, fmt.Errorf("%w: values=%q (want readable or canonical)", ErrForm, clip(s))
}

// String returns the parameter value of f.
func (f Form) String() string {
	if f == Canonical {
		return "canonical"
	}
	return "readable"
}

// timestampLayout is ISO-8601 / RFC 3339 in UTC with microseconds.
const timestampLayout = "2006-01-02T15:04:05.000000Z"

// minReadableUs and maxReadableUs bound the timestamps written in ISO-8601
// (years 0000 to 9999); others keep the decimal microseconds.
var (
	minReadableUs = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	maxReadableUs = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro() - 1
)

// numeric reports whether the readable form of type t is a JSON number
// (for a finite value).
func numeric(t datasets.Type) bool {
	switch t {
	case datasets.TypeInt8, datasets.TypeInt16, datasets.TypeInt32,
		datasets.TypeUint8, datasets.TypeUint16, datasets.TypeUint32, datasets.TypeFloat64:
		return true
	}
	return false
}

// appendFloat appends the form of v without quotes; ok reports whether it
// is a JSON number (false: a string, NaN, ±Infinity or the canonical hex).
func (f Form) appendFloat(dst []byte, v float64) (out []byte, number bool) {
	if f == Canonical {
		return appendHex16(append(dst, "0x"...), math.Float64bits(v)), false
	}
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...), false
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...), false
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...), false
	}
	return appendShortest(dst, v), true
}

// appendShortest appends the shortest decimal that reads back to v, in
// plain notation from 1e-6 up to 1e21 and in exponent notation outside (as
// JavaScript and encoding/json write numbers).
func appendShortest(dst []byte, v float64) []byte {
	abs := math.Abs(v)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, v, format, -1, 64)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1] // e-07 → e-7
		dst = dst[:n-1]
	}
	return dst
}

// appendTimestamp appends the form of us microseconds since the epoch.
func (f Form) appendTimestamp(dst []byte, us int64) []byte {
	if f == Canonical || us < minReadableUs || us > maxReadableUs {
		return strconv.AppendInt(dst, us, 10)
	}
	return time.UnixMicro(us).UTC().AppendFormat(dst, timestampLayout)
}

// appendAddress appends the form of a 20-byte address.
func (f Form) appendAddress(dst, b []byte) []byte {
	if f == Canonical || len(b) != common.AddressLength {
		return appendHex(dst, b)
	}
	return append(dst, common.BytesToAddress(b).Hex()...)
}

// Reform rewrites a row's values (in either form, as decoded by
// Values.UnmarshalJSON) in form f; columns the schema s does not name are
// an error.
func (f Form) Reform(s *datasets.Schema, vals Values) (Values, error) {
	out := make(Values, len(vals))
	for i, fl := range vals {
		c := s.Index(fl.Name)
		if c < 0 {
			return nil, fmt.Errorf("%w: %q is not a column", ErrValue, clip(fl.Name))
		}
		x, err := f.reformValue(s.Columns[c].Type, fl.Value)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", fl.Name, err)
		}
		out[i] = Field{Name: fl.Name, Value: x}
	}
	return out, nil
}

// reformValue parses a value form and writes it in form f: nil, a bool, a
// string or (readable numbers) a json.Number.
func (f Form) reformValue(t datasets.Type, v any) (any, error) {
	x, err := Parse(t, v)
	if err != nil || x == nil {
		return nil, err
	}
	var b []byte
	switch t {
	case datasets.TypeBool:
		return x, nil
	case datasets.TypeString:
		return x, nil
	case datasets.TypeFloat64:
		var number bool
		if b, number = f.appendFloat(nil, x.(float64)); number {
			return json.Number(b), nil
		}
		return string(b), nil
	case datasets.TypeTimestamp:
		return string(f.appendTimestamp(nil, x.(int64))), nil
	case datasets.TypeAddress:
		return string(f.appendAddress(nil, x.([]byte))), nil
	case datasets.TypeBytes, datasets.TypeBytes32:
		return string(appendHex(nil, x.([]byte))), nil
	case datasets.TypeUint256:
		return string(wide(t, x.([]byte), nil)), nil
	case datasets.TypeInt256:
		return string(wide(t, x.([]byte), nil)), nil
	}
	switch n := x.(type) {
	case int64:
		b = strconv.AppendInt(nil, n, 10)
	case uint64:
		b = strconv.AppendUint(nil, n, 10)
	}
	if f == Readable && numeric(t) {
		return json.Number(b), nil
	}
	return string(b), nil
}
