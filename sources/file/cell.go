package file

import (
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

// cellKind says what an input cell holds.
type cellKind uint8

const (
	cellNull   cellKind = iota
	cellText            // a CSV field or a JSON string: s
	cellNumber          // a JSON number or a decimal from parquet: s
	cellBool            // b
	cellInt             // a parquet signed integer: i
	cellUint            // a parquet unsigned integer: u
	cellFloat           // a parquet float: f
	cellBytes           // parquet binary: raw
	cellTime            // a parquet timestamp in microseconds: i
)

// cell is one input value before conversion.
type cell struct {
	kind cellKind
	s    string
	raw  []byte
	i    int64
	u    uint64
	f    float64
	b    bool
}

func (c cell) describe() string {
	switch c.kind {
	case cellText:
		return "a string"
	case cellNumber:
		return "a number"
	case cellBool:
		return "a boolean"
	case cellInt, cellUint:
		return "an integer"
	case cellFloat:
		return "a float"
	case cellBytes:
		return "binary data"
	case cellTime:
		return "a timestamp"
	}
	return "null"
}

// maxRawText bounds the raw value kept in a bad-value report.
const maxRawText = 200

// text renders the cell's value as read, shortened to maxRawText bytes.
func (c cell) text() string {
	var s string
	switch c.kind {
	case cellText, cellNumber:
		s = c.s
	case cellBool:
		s = strconv.FormatBool(c.b)
	case cellInt, cellTime:
		s = strconv.FormatInt(c.i, 10)
	case cellUint:
		s = strconv.FormatUint(c.u, 10)
	case cellFloat:
		s = strconv.FormatFloat(c.f, 'g', -1, 64)
	case cellBytes:
		s = fmt.Sprintf("%x", c.raw)
	}
	if len(s) > maxRawText {
		s = strings.ToValidUTF8(s[:maxRawText], "") + "…"
	}
	return s
}

func wrongKind(c cell, t datasets.Type) error {
	return fmt.Errorf("want %s, got %s", t, c.describe())
}

// number returns the cell as a numeric literal, when it is one.
func (c cell) number() (string, bool) {
	switch c.kind {
	case cellText, cellNumber:
		return c.s, true
	case cellInt:
		return strconv.FormatInt(c.i, 10), true
	case cellUint:
		return strconv.FormatUint(c.u, 10), true
	case cellFloat:
		if math.IsInf(c.f, 0) || math.IsNaN(c.f) {
			return "", false
		}
		bf := new(big.Float).SetFloat64(c.f)
		if !bf.IsInt() {
			return strconv.FormatFloat(c.f, 'g', -1, 64), true
		}
		i, _ := bf.Int(nil)
		return i.String(), true
	}
	return "", false
}

// appender converts a non-null cell and appends it to a column builder.
type appender func(c cell) error

// newAppender returns the conversion of col into builder b.
func newAppender(col Column, tf timeFormat, b array.Builder) appender {
	switch col.Type {
	case datasets.TypeBool:
		return boolAppender(b.(*array.BooleanBuilder))
	case datasets.TypeInt8:
		return intAppender(b.(*array.Int8Builder), 8)
	case datasets.TypeInt16:
		return intAppender(b.(*array.Int16Builder), 16)
	case datasets.TypeInt32:
		return intAppender(b.(*array.Int32Builder), 32)
	case datasets.TypeInt64:
		return intAppender(b.(*array.Int64Builder), 64)
	case datasets.TypeUint8:
		return uintAppender(b.(*array.Uint8Builder), 8)
	case datasets.TypeUint16:
		return uintAppender(b.(*array.Uint16Builder), 16)
	case datasets.TypeUint32:
		return uintAppender(b.(*array.Uint32Builder), 32)
	case datasets.TypeUint64:
		return uintAppender(b.(*array.Uint64Builder), 64)
	case datasets.TypeFloat64:
		return floatAppender(b.(*array.Float64Builder))
	case datasets.TypeString:
		return stringAppender(b.(*array.StringBuilder))
	case datasets.TypeBytes:
		return bytesAppender(b.(*array.BinaryBuilder))
	case datasets.TypeAddress, datasets.TypeBytes32:
		return fixedAppender(b.(*array.FixedSizeBinaryBuilder), col.Type)
	case datasets.TypeUint256, datasets.TypeInt256:
		return wordAppender(b.(*array.FixedSizeBinaryBuilder), col.Type == datasets.TypeInt256)
	case datasets.TypeTimestamp:
		return timeAppender(b.(*array.TimestampBuilder), tf)
	}
	panic("file: unhandled column type " + string(col.Type)) // Validate rejects unknown types
}

func boolAppender(b *array.BooleanBuilder) appender {
	return func(c cell) error {
		switch c.kind {
		case cellBool:
			b.Append(c.b)
			return nil
		case cellText:
			v, err := parseBool(c.s)
			if err == nil {
				b.Append(v)
			}
			return err
		}
		return wrongKind(c, datasets.TypeBool)
	}
}

func intAppender[T int8 | int16 | int32 | int64](b interface{ Append(T) }, bits int) appender {
	return func(c cell) error {
		s, ok := c.number()
		if !ok {
			return wrongKind(c, datasets.Type(fmt.Sprintf("int%d", bits)))
		}
		v, err := parseInt(s, bits)
		if err == nil {
			b.Append(T(v))
		}
		return err
	}
}

func uintAppender[T uint8 | uint16 | uint32 | uint64](b interface{ Append(T) }, bits int) appender {
	return func(c cell) error {
		s, ok := c.number()
		if !ok {
			return wrongKind(c, datasets.Type(fmt.Sprintf("uint%d", bits)))
		}
		v, err := parseUint(s, bits)
		if err == nil {
			b.Append(T(v))
		}
		return err
	}
}

func floatAppender(b *array.Float64Builder) appender {
	return func(c cell) error {
		switch c.kind {
		case cellFloat:
			b.Append(c.f)
			return nil
		case cellInt, cellUint:
			s, _ := c.number()
			v, _ := strconv.ParseFloat(s, 64)
			if exact, _ := new(big.Float).SetFloat64(v).Int(nil); exact.String() != s {
				return fmt.Errorf("%s cannot be represented exactly as a float64", quote(s))
			}
			b.Append(v)
			return nil
		case cellText, cellNumber:
			v, err := parseFloat(c.s)
			if err == nil {
				b.Append(v)
			}
			return err
		}
		return wrongKind(c, datasets.TypeFloat64)
	}
}

func stringAppender(b *array.StringBuilder) appender {
	return func(c cell) error {
		s := c.s
		switch c.kind {
		case cellText:
		case cellBytes:
			s = string(c.raw)
		default:
			return wrongKind(c, datasets.TypeString)
		}
		if !utf8.ValidString(s) {
			return fmt.Errorf("invalid UTF-8 at byte %d of the value", invalidUTF8At(s))
		}
		b.Append(s)
		return nil
	}
}

func invalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(s)
}

func bytesAppender(b *array.BinaryBuilder) appender {
	return func(c cell) error {
		switch c.kind {
		case cellBytes:
			b.Append(c.raw)
			return nil
		case cellText:
			v, err := parseHexBytes(c.s, 0, "hex bytes")
			if err == nil {
				b.Append(v)
			}
			return err
		}
		return wrongKind(c, datasets.TypeBytes)
	}
}

func fixedAppender(b *array.FixedSizeBinaryBuilder, t datasets.Type) appender {
	size := 32
	if t == datasets.TypeAddress {
		size = 20
	}
	return func(c cell) error {
		switch c.kind {
		case cellBytes:
			if len(c.raw) != size {
				return fmt.Errorf("want %s (%d bytes), got %d bytes", t, size, len(c.raw))
			}
			b.Append(c.raw)
			return nil
		case cellText:
			if t == datasets.TypeAddress {
				a, err := parseAddress(c.s)
				if err == nil {
					b.Append(a[:])
				}
				return err
			}
			v, err := parseHexBytes(c.s, size, "a bytes32")
			if err == nil {
				b.Append(v)
			}
			return err
		}
		return wrongKind(c, t)
	}
}

func wordAppender(b *array.FixedSizeBinaryBuilder, signed bool) appender {
	t := datasets.TypeUint256
	if signed {
		t = datasets.TypeInt256
	}
	return func(c cell) error {
		if c.kind == cellBytes && len(c.raw) == 32 {
			b.Append(c.raw)
			return nil
		}
		s, ok := c.number()
		if !ok {
			return wrongKind(c, t)
		}
		w, err := parseWord(s, signed)
		if err == nil {
			b.Append(w[:])
		}
		return err
	}
}

func timeAppender(b *array.TimestampBuilder, tf timeFormat) appender {
	return func(c cell) error {
		if c.kind == cellTime {
			b.Append(arrowTimestamp(c.i))
			return nil
		}
		s, ok := c.number()
		if !ok || (c.kind != cellText && tf.kind != "unix") {
			return wrongKind(c, datasets.TypeTimestamp)
		}
		v, err := parseTime(s, tf)
		if err == nil {
			b.Append(arrowTimestamp(v))
		}
		return err
	}
}

func arrowTimestamp(us int64) arrow.Timestamp { return arrow.Timestamp(us) }
