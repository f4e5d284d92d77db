package validators

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

func isInteger(t datasets.Type) bool {
	switch t {
	case datasets.TypeInt8, datasets.TypeInt16, datasets.TypeInt32, datasets.TypeInt64,
		datasets.TypeUint8, datasets.TypeUint16, datasets.TypeUint32, datasets.TypeUint64,
		datasets.TypeUint256, datasets.TypeInt256, datasets.TypeTimestamp, datasets.TypeBool:
		return true
	}
	return false
}

func isNumeric(t datasets.Type) bool { return isInteger(t) || t == datasets.TypeFloat64 }

func isWordable(t datasets.Type) bool {
	return isInteger(t) || t == datasets.TypeBytes32 || t == datasets.TypeAddress
}

// intAt reads an integer cell as int64.
func intAt(a arrow.Array, t datasets.Type, i int) int64 {
	switch v := a.(type) {
	case *array.Int8:
		return int64(v.Value(i))
	case *array.Int16:
		return int64(v.Value(i))
	case *array.Int32:
		return int64(v.Value(i))
	case *array.Int64:
		return v.Value(i)
	case *array.Uint8:
		return int64(v.Value(i))
	case *array.Uint16:
		return int64(v.Value(i))
	case *array.Uint32:
		return int64(v.Value(i))
	case *array.Uint64:
		return int64(min(v.Value(i), math.MaxInt64))
	case *array.Timestamp:
		return int64(v.Value(i))
	case *array.Boolean:
		if v.Value(i) {
			return 1
		}
		return 0
	case *array.FixedSizeBinary:
		w := v.Value(i)
		if t == datasets.TypeInt256 && w[0]&0x80 != 0 {
			return int64(binary.BigEndian.Uint64(w[24:]))
		}
		for _, b := range w[:24] {
			if b != 0 {
				return math.MaxInt64
			}
		}
		return int64(min(binary.BigEndian.Uint64(w[24:]), math.MaxInt64))
	}
	return 0
}

// floatAt reads a numeric cell as float64.
func floatAt(a arrow.Array, t datasets.Type, i int) float64 {
	switch v := a.(type) {
	case *array.Float64:
		return v.Value(i)
	case *array.Uint64:
		return float64(v.Value(i))
	case *array.Timestamp:
		return float64(v.Value(i)) / 1e6
	case *array.FixedSizeBinary:
		return WordToFloat(v.Value(i), t == datasets.TypeInt256)
	}
	return float64(intAt(a, t, i))
}

// WordToFloat converts a 32-byte big-endian integer (two's complement when
// signed) to the nearest float64.
func WordToFloat(w []byte, signed bool) float64 {
	if signed && len(w) > 0 && w[0]&0x80 != 0 {
		var neg [32]byte
		carry := 1
		for i := len(w) - 1; i >= 0; i-- {
			s := int(^w[i]) + carry
			neg[i], carry = byte(s), s>>8
		}
		return -WordToFloat(neg[:len(w)], false)
	}
	i := 0
	for i < len(w) && w[i] == 0 {
		i++
	}
	if i == len(w) {
		return 0
	}
	var buf [8]byte
	n := copy(buf[:], w[i:])
	hi := binary.BigEndian.Uint64(buf[:])
	rest := len(w) - i - n
	return math.Ldexp(float64(hi), 8*(rest-(8-n)))
}

// wordAt reads a cell as a 32-byte big-endian word.
func wordAt(a arrow.Array, t datasets.Type, i int) [32]byte {
	var w [32]byte
	switch v := a.(type) {
	case *array.FixedSizeBinary:
		b := v.Value(i)
		copy(w[32-len(b):], b)
	default:
		x := intAt(a, t, i)
		binary.BigEndian.PutUint64(w[24:], uint64(x))
		if x < 0 {
			for j := 0; j < 24; j++ {
				w[j] = 0xff
			}
		}
	}
	return w
}

func addressAt(a arrow.Array, _ datasets.Type, i int) [20]byte {
	var w [20]byte
	copy(w[:], a.(*array.FixedSizeBinary).Value(i))
	return w
}

// FormatValue renders one non-null cell as text: decimal integers (uint256
// and int256 exactly), floats in the shortest form that reads back the same,
// 0x-prefixed lowercase hex for bytes, addresses and bytes32, RFC 3339 UTC
// with microseconds for timestamps, strings as they are.
func FormatValue(a arrow.Array, t datasets.Type, i int) string {
	switch v := a.(type) {
	case *array.String:
		return v.Value(i)
	case *array.Binary:
		return "0x" + hex.EncodeToString(v.Value(i))
	case *array.Float64:
		return strconv.FormatFloat(v.Value(i), 'g', -1, 64)
	case *array.Boolean:
		return strconv.FormatBool(v.Value(i))
	case *array.Timestamp:
		return time.UnixMicro(int64(v.Value(i))).UTC().Format("2006-01-02T15:04:05.000000Z")
	case *array.Uint64:
		return strconv.FormatUint(v.Value(i), 10)
	case *array.FixedSizeBinary:
		return formatFixed(v.Value(i), t)
	}
	return strconv.FormatInt(intAt(a, t, i), 10)
}

func formatFixed(b []byte, t datasets.Type) string {
	switch t {
	case datasets.TypeUint256:
		return new(big.Int).SetBytes(b).String()
	case datasets.TypeInt256:
		x := new(big.Int).SetBytes(b)
		if b[0]&0x80 != 0 {
			x.Sub(x, new(big.Int).Lsh(big.NewInt(1), 256))
		}
		return x.String()
	}
	return "0x" + hex.EncodeToString(b)
}

// HexAddress renders an address as 0x-prefixed lowercase hex.
func HexAddress(a [20]byte) string { return "0x" + hex.EncodeToString(a[:]) }

// WordString renders a 32-byte word as a decimal integer when it is below
// 2^64 and as 0x hex otherwise (proposal ids of OpenZeppelin governors are
// hashes).
func WordString(w [32]byte) string {
	for _, b := range w[:24] {
		if b != 0 {
			return "0x" + hex.EncodeToString(w[:])
		}
	}
	return strconv.FormatUint(binary.BigEndian.Uint64(w[24:]), 10)
}

// FormatTime renders Unix microseconds as RFC 3339 UTC (seconds precision).
func FormatTime(us int64) string {
	return time.UnixMicro(us).UTC().Format(time.RFC3339)
}

// IntReader returns a reader of an integer or timestamp array's values as
// int64 (see Table.Ints), chosen once per array.
func IntReader(a arrow.Array, t datasets.Type) func(i int) int64 {
	switch v := a.(type) {
	case *array.Uint64:
		return func(i int) int64 { return int64(min(v.Value(i), math.MaxInt64)) }
	case *array.Int64:
		return v.Value
	case *array.Uint32:
		return func(i int) int64 { return int64(v.Value(i)) }
	case *array.Timestamp:
		return func(i int) int64 { return int64(v.Value(i)) }
	}
	return func(i int) int64 { return intAt(a, t, i) }
}

// FloatReader returns a reader of a numeric array's values as float64
// (see Table.Floats), chosen once per array.
func FloatReader(a arrow.Array, t datasets.Type) func(i int) float64 {
	switch v := a.(type) {
	case *array.FixedSizeBinary:
		signed := t == datasets.TypeInt256
		return func(i int) float64 { return WordToFloat(v.Value(i), signed) }
	case *array.Float64:
		return v.Value
	}
	return func(i int) float64 { return floatAt(a, t, i) }
}
