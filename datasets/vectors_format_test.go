package datasets_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// This file holds the layout of testdata/vectors/canonical.json and the
// conversion of values into its language-neutral form (see vectors_test.go).

func hexOf(b []byte) string { return "0x" + hex.EncodeToString(b) }

func repeatHex(unit string, n int) string { return "0x" + strings.Repeat(unit, n) }

// vectorRows are the edge cases of the vector file, in its JSON value form:
// integers as decimal strings, floats as "0x" + 16 hex digits of their
// IEEE-754 bits, bytes as 0x hex, timestamps as decimal microseconds.
var vectorRows = []vectorRowDef{
	{"zero values, none null; empty string and empty bytes", map[string]any{
		"label": "zero", "flag": false, "i8": "0", "i16": "0", "i32": "0", "i64": "0",
		"u8": "0", "u16": "0", "u32": "0", "u64": "0", "f64": "0x0000000000000000",
		"text": "", "blob": "0x", "addr": "0x" + strings.Repeat("00", 20), "word": repeatHex("00", 32),
		"amount": "0", "delta": "0", "ts": "0",
	}},
	{"every nullable column null: null mask 0x7fffc, zero values, empty tails", map[string]any{
		"label": "all null",
	}},
	{"maxima; 32-byte string and bytes (one payload word); max finite float", map[string]any{
		"label": "max", "flag": true, "i8": "127", "i16": "32767", "i32": "2147483647", "i64": "9223372036854775807",
		"u8": "255", "u16": "65535", "u32": "4294967295", "u64": "18446744073709551615", "f64": "0x7fefffffffffffff",
		"text": "abcdefghijklmnopqrstuvwxyz012345", "blob": hexOf(seqBytes(32)),
		"addr": "0x" + strings.Repeat("ff", 20), "word": repeatHex("ff", 32),
		"amount": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
		"delta":  "57896044618658097711785492504343953926634992332820282019728792003956564819967",
		"ts":     "9223372036854775807",
	}},
	{"minima (sign extension); 33-byte string and bytes (two payload words); -Inf", map[string]any{
		"label": "min", "flag": false, "i8": "-128", "i16": "-32768", "i32": "-2147483648", "i64": "-9223372036854775808",
		"u8": "0", "u16": "0", "u32": "0", "u64": "0", "f64": "0xfff0000000000000",
		"text": "abcdefghijklmnopqrstuvwxyz0123456", "blob": hexOf(seqBytes(33)),
		"addr": "0x" + strings.Repeat("00", 19) + "01", "word": repeatHex("00", 31) + "01",
		"amount": "0", "delta": "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
		"ts": "-9223372036854775808",
	}},
	{"minus one everywhere signed; -0.0 keeps its sign bit; one microsecond before the epoch", map[string]any{
		"label": "minus one", "flag": true, "i8": "-1", "i16": "-1", "i32": "-1", "i64": "-1",
		"u8": "1", "u16": "1", "u32": "1", "u64": "1", "f64": "0x8000000000000000",
		"text": "-", "blob": "0xff", "amount": "1", "delta": "-1", "ts": "-1",
	}},
	{"canonical NaN; multi-byte UTF-8 (2-, 3- and 4-byte sequences)", map[string]any{
		"label": "utf-8", "f64": "0x7ff8000000000000", "text": "grüße, 世界 🌍 ∑",
		"i16": "-300", "u16": "300",
	}},
	{"negative NaN with payload canonicalised to 0x7ff8000000000000; NUL, newline, quote and backslash in a string", map[string]any{
		"label": "nan payload", "f64": "0xfff8000000000001", "text": "a\x00b\n\"q\"\\",
		"blob": "0x00", "i32": "-65536",
	}},
	{"+Inf; a timestamp before 1970 (1969-07-20T20:17:40Z)", map[string]any{
		"label": "apollo", "f64": "0x7ff0000000000000", "ts": "-14182940000000", "i64": "-14182940",
		"text": "The Eagle has landed.",
	}},
	{"a governance vote: voter, transaction hash, voting power, calldata, 0.1", map[string]any{
		"label": "vote", "flag": true, "u8": "1", "u32": "42", "u64": "19000000",
		"f64":    "0x3fb999999999999a",
		"text":   "For — the treasury diversification is overdue.",
		"blob":   "0xa9059cbb000000000000000000000000d8da6bf26964af9d7eed9e10c7f11a5c35f3c1a30000000000000000000000000000000000000000000000000de0b6b3a7640000",
		"addr":   "0xd8da6bf26964af9d7eed9e10c7f11a5c35f3c1a3",
		"word":   "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
		"amount": "1234567890000000000000000",
		"delta":  "-500000000000000000",
		"ts":     "1709210096789012",
	}},
	{"alternating nulls over the nullable columns", map[string]any{
		"label": "alternate", "i8": "-7", "i32": "7", "u8": "7", "u32": "7",
		"f64": "0x3ff0000000000000", "blob": "0x0102", "word": repeatHex("ab", 32), "delta": "-7",
	}},
	{"long string (100 bytes) and 64-byte bytes (exactly two payload words)", map[string]any{
		"label": "long", "text": strings.Repeat("0123456789", 10), "blob": hexOf(seqBytes(64)),
		"amount": "340282366920938463463374607431768211456",
	}},
	{"smallest subnormal; 32 bytes of 2-byte characters; one second before the epoch", map[string]any{
		"label": "subnormal", "f64": "0x0000000000000001", "text": strings.Repeat("é", 16),
		"ts": "-1000000", "i8": "100", "u16": "65534",
	}},
}

// vectorValue converts one JSON value form into the Go test value.
func vectorValue(typ datasets.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if typ == datasets.TypeBool {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("bool: got %T", v)
		}
		return b, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%s: want a JSON string, got %T", typ, v)
	}
	hexBytes := func(n int) ([]byte, error) {
		if !strings.HasPrefix(s, "0x") || strings.ToLower(s) != s {
			return nil, fmt.Errorf("%s %q: want lowercase 0x hex", typ, s)
		}
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			return nil, err
		}
		if n >= 0 && len(b) != n {
			return nil, fmt.Errorf("%s %q: want %d bytes", typ, s, n)
		}
		return b, nil
	}
	bigOf := func(lo, hi *big.Int) (*big.Int, error) {
		x, ok := new(big.Int).SetString(s, 10)
		if !ok || x.String() != s || x.Cmp(lo) < 0 || x.Cmp(hi) > 0 {
			return nil, fmt.Errorf("%s %q: not a decimal integer in range", typ, s)
		}
		return x, nil
	}
	parseInt := func(bits int) (int64, error) {
		x, err := strconv.ParseInt(s, 10, bits)
		if err == nil && strconv.FormatInt(x, 10) != s {
			err = fmt.Errorf("%q is not in shortest decimal form", s)
		}
		return x, err
	}
	parseUint := func(bits int) (uint64, error) {
		x, err := strconv.ParseUint(s, 10, bits)
		if err == nil && strconv.FormatUint(x, 10) != s {
			err = fmt.Errorf("%q is not in shortest decimal form", s)
		}
		return x, err
	}
	switch typ {
	case datasets.TypeInt8:
		x, err := parseInt(8)
		return int8(x), err
	case datasets.TypeInt16:
		x, err := parseInt(16)
		return int16(x), err
	case datasets.TypeInt32:
		x, err := parseInt(32)
		return int32(x), err
	case datasets.TypeInt64, datasets.TypeTimestamp:
		return parseInt(64)
	case datasets.TypeUint8:
		x, err := parseUint(8)
		return uint8(x), err
	case datasets.TypeUint16:
		x, err := parseUint(16)
		return uint16(x), err
	case datasets.TypeUint32:
		x, err := parseUint(32)
		return uint32(x), err
	case datasets.TypeUint64:
		return parseUint(64)
	case datasets.TypeFloat64:
		b, err := hexBytes(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(new(big.Int).SetBytes(b).Uint64()), nil
	case datasets.TypeString:
		return s, nil
	case datasets.TypeBytes:
		return hexBytes(-1)
	case datasets.TypeAddress:
		b, err := hexBytes(20)
		return common.BytesToAddress(b), err
	case datasets.TypeBytes32:
		b, err := hexBytes(32)
		var w [32]byte
		copy(w[:], b)
		return w, err
	case datasets.TypeUint256:
		return bigOf(new(big.Int), new(big.Int).Sub(two256, big.NewInt(1)))
	case datasets.TypeInt256:
		half := new(big.Int).Lsh(big.NewInt(1), 255)
		return bigOf(new(big.Int).Neg(half), new(big.Int).Sub(half, big.NewInt(1)))
	}
	return nil, fmt.Errorf("unknown type %q", typ)
}

// The vector file layout.
type (
	vectorFile struct {
		Comment     []string            `json:"comment"`
		ValueForms  map[string]string   `json:"valueForms"`
		Schema      *datasets.Schema    `json:"schema"`
		Rows        []vectorRowOut      `json:"rows"`
		MerkleRoot  datasets.Hash       `json:"merkleRoot"`
		EmptyRoot   datasets.Hash       `json:"emptyRoot"`
		Tree        vectorTree          `json:"tree"`
		Inclusion   []vectorInclusion   `json:"inclusionProofs"`
		Consistency []vectorConsistency `json:"consistencyProofs"`
		Manifests   []vectorManifest    `json:"manifests"`
	}
	vectorRowOut struct {
		Note      string `json:"note"`
		Values    []any  `json:"values"`
		NullMask  string `json:"nullMask"`
		Canonical string `json:"canonical"`
		Leaf      string `json:"leaf"`
	}
	vectorTree struct {
		Rule   string          `json:"rule"`
		Size   int             `json:"size"`
		Leaves []datasets.Hash `json:"leaves"`
		Root   datasets.Hash   `json:"root"`
	}
	vectorInclusion struct {
		Index int             `json:"index"`
		Size  int             `json:"size"`
		Leaf  datasets.Hash   `json:"leaf"`
		Path  []datasets.Hash `json:"path"`
		Root  datasets.Hash   `json:"root"`
	}
	vectorConsistency struct {
		Size1 int             `json:"size1"`
		Size2 int             `json:"size2"`
		Root1 datasets.Hash   `json:"root1"`
		Root2 datasets.Hash   `json:"root2"`
		Path  []datasets.Hash `json:"path"`
	}
	vectorManifest struct {
		Note      string          `json:"note"`
		Value     json.RawMessage `json:"value"`
		Canonical string          `json:"canonical"`
		Hash      datasets.Hash   `json:"hash"`
	}
)

// vectorTreeSize is the number of leaves of the derived tree: the row leaves
// followed by synthetic leaves.
const vectorTreeSize = 41

// syntheticLeaf is leaf i ≥ len(rows) of the derived tree.
func syntheticLeaf(i int) datasets.Hash {
	return datasets.HashRow([]byte(fmt.Sprintf("groundtruth test leaf %d", i)))
}

func sha(s string) datasets.Hash { return datasets.Hash(sha256.Sum256([]byte(s))) }
