package evmlogs

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
)

// topicType maps an indexed parameter: value types are decoded from their
// topic; strings, bytes, arrays and tuples are stored as the topic itself
// (the keccak-256 hash of their encoding) in a bytes32 column.
func topicType(t abi.Type) (datasets.Type, wordDecoder) {
	switch t.T {
	case abi.StringTy, abi.BytesTy, abi.SliceTy, abi.ArrayTy, abi.TupleTy:
		return datasets.TypeBytes32, fixedBytes(32)
	}
	return dataType(t)
}

// dataType maps a parameter to its column type and decoder; a nil decoder
// means the value is complex (array, tuple) and stored as JSON text.
func dataType(t abi.Type) (datasets.Type, wordDecoder) {
	switch t.T {
	case abi.AddressTy:
		return datasets.TypeAddress, func(b array.Builder, w, _ []byte) error {
			v, err := chainrpc.WordAddress(w)
			if err == nil && b != nil {
				b.(*array.FixedSizeBinaryBuilder).Append(v)
			}
			return err
		}
	case abi.BoolTy:
		return datasets.TypeBool, func(b array.Builder, w, _ []byte) error {
			v, err := chainrpc.WordBool(w)
			if err == nil && b != nil {
				b.(*array.BooleanBuilder).Append(v)
			}
			return err
		}
	case abi.UintTy:
		return uintType(t.Size)
	case abi.IntTy:
		return intType(t.Size)
	case abi.FixedBytesTy:
		if t.Size == 32 {
			return datasets.TypeBytes32, fixedBytes(32)
		}
		return datasets.TypeBytes, fixedBytes(t.Size)
	case abi.FunctionTy:
		return datasets.TypeBytes, fixedBytes(24)
	case abi.StringTy:
		return datasets.TypeString, func(b array.Builder, w, data []byte) error {
			v, err := chainrpc.Dynamic(data, w)
			if err == nil && b != nil {
				b.(*array.StringBuilder).Append(chainrpc.ValidString(v))
			}
			return err
		}
	case abi.BytesTy:
		return datasets.TypeBytes, func(b array.Builder, w, data []byte) error {
			v, err := chainrpc.Dynamic(data, w)
			if err == nil && b != nil {
				b.(*array.BinaryBuilder).Append(v)
			}
			return err
		}
	}
	return datasets.TypeString, nil
}

func fixedBytes(n int) wordDecoder {
	return func(b array.Builder, w, _ []byte) error {
		v, err := chainrpc.WordFixedBytes(w, n)
		if err != nil || b == nil {
			return err
		}
		switch bb := b.(type) {
		case *array.FixedSizeBinaryBuilder:
			bb.Append(v)
		case *array.BinaryBuilder:
			bb.Append(v)
		}
		return nil
	}
}

// uintType maps uintN: N ≤ 64 to the smallest unsigned type that holds it,
// larger N to uint256.
func uintType(bits int) (datasets.Type, wordDecoder) {
	if bits > 64 {
		return datasets.TypeUint256, func(b array.Builder, w, _ []byte) error {
			v, err := chainrpc.WordUintBig(w, bits)
			if err == nil && b != nil {
				b.(*array.FixedSizeBinaryBuilder).Append(v)
			}
			return err
		}
	}
	typ := datasets.TypeUint64
	switch {
	case bits <= 8:
		typ = datasets.TypeUint8
	case bits <= 16:
		typ = datasets.TypeUint16
	case bits <= 32:
		typ = datasets.TypeUint32
	}
	return typ, func(b array.Builder, w, _ []byte) error {
		v, err := chainrpc.WordUint(w, bits)
		if err != nil || b == nil {
			return err
		}
		switch bb := b.(type) {
		case *array.Uint8Builder:
			bb.Append(uint8(v))
		case *array.Uint16Builder:
			bb.Append(uint16(v))
		case *array.Uint32Builder:
			bb.Append(uint32(v))
		case *array.Uint64Builder:
			bb.Append(v)
		}
		return nil
	}
}

// intType maps intN like uintType.
func intType(bits int) (datasets.Type, wordDecoder) {
	if bits > 64 {
		return datasets.TypeInt256, func(b array.Builder, w, _ []byte) error {
			v, err := chainrpc.WordIntBig(w, bits)
			if err == nil && b != nil {
				b.(*array.FixedSizeBinaryBuilder).Append(v)
			}
			return err
		}
	}
	typ := datasets.TypeInt64
	switch {
	case bits <= 8:
		typ = datasets.TypeInt8
	case bits <= 16:
		typ = datasets.TypeInt16
	case bits <= 32:
		typ = datasets.TypeInt32
	}
	return typ, func(b array.Builder, w, _ []byte) error {
		v, err := chainrpc.WordInt(w, bits)
		if err != nil || b == nil {
			return err
		}
		switch bb := b.(type) {
		case *array.Int8Builder:
			bb.Append(int8(v))
		case *array.Int16Builder:
			bb.Append(int16(v))
		case *array.Int32Builder:
			bb.Append(int32(v))
		case *array.Int64Builder:
			bb.Append(v)
		}
		return nil
	}
}

// headWords returns how many head words a non-indexed parameter takes:
// one for dynamic types, the full static size for static arrays and tuples.
func headWords(t abi.Type) int {
	if isDynamic(t) {
		return 1
	}
	switch t.T {
	case abi.ArrayTy:
		return t.Size * headWords(*t.Elem)
	case abi.TupleTy:
		n := 0
		for _, e := range t.TupleElems {
			n += headWords(*e)
		}
		return n
	}
	return 1
}

func isDynamic(t abi.Type) bool {
	switch t.T {
	case abi.StringTy, abi.BytesTy, abi.SliceTy:
		return true
	case abi.ArrayTy:
		return isDynamic(*t.Elem)
	case abi.TupleTy:
		for _, e := range t.TupleElems {
			if isDynamic(*e) {
				return true
			}
		}
	}
	return false
}

// JSONValue renders a decoded ABI value as JSON text: integers as decimal
// strings, addresses as checksummed hex, byte strings as 0x hex, strings
// and bools as themselves, arrays and tuples as JSON arrays (tuple fields in
// declaration order).
func JSONValue(v any) (string, error) {
	out, err := json.Marshal(jsonable(reflect.ValueOf(v)))
	if err != nil {
		return "", fmt.Errorf("rendering a value as JSON: %v", err)
	}
	return string(out), nil
}

var (
	bigIntType  = reflect.TypeFor[*big.Int]()
	addressType = reflect.TypeFor[common.Address]()
)

func jsonable(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch {
	case v.Type() == bigIntType:
		return v.Interface().(*big.Int).String()
	case v.Type() == addressType:
		return v.Interface().(common.Address).Hex()
	}
	switch v.Kind() {
	case reflect.Bool, reflect.String:
		return v.Interface()
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		return fmt.Sprint(v.Int())
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		return fmt.Sprint(v.Uint())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return "0x" + hex.EncodeToString(b)
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = jsonable(v.Index(i))
		}
		return out
	case reflect.Struct:
		out := make([]any, v.NumField())
		for i := range out {
			out[i] = jsonable(v.Field(i))
		}
		return out
	case reflect.Pointer, reflect.Interface:
		return jsonable(v.Elem())
	}
	return fmt.Sprint(v.Interface())
}
