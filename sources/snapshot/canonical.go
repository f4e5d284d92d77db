package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// canonicalJSON re-encodes a JSON value canonically: no insignificant
// whitespace, object keys sorted by their UTF-8 bytes, strings escaped as
// encoding/json does without HTML escaping, integers (literals without a
// fraction or exponent) in plain decimal, other numbers in the shortest
// form that reads back as the same float64 (as JavaScript prints them).
// Equal values give equal text whatever the origin's spacing, key order or
// number spelling (1.0 and 1 are both 1). An absent value is "null".
func canonicalJSON(raw json.RawMessage) (string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "null", nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	var b strings.Builder
	if err := writeCanonical(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeCanonical(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		writeString(b, x)
	case json.Number:
		s, err := canonicalNumber(string(x))
		if err != nil {
			return err
		}
		b.WriteString(s)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeCanonical(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := writeCanonical(b, x[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("unexpected JSON value %T", v)
	}
	return nil
}

func writeString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// canonicalNumber formats one JSON number literal.
func canonicalNumber(lit string) (string, error) {
	if !strings.ContainsAny(lit, ".eE") {
		n, ok := new(big.Int).SetString(lit, 10)
		if !ok {
			return "", fmt.Errorf("bad number %q", lit)
		}
		return n.String(), nil
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("number %q is out of range", lit)
	}
	if f == 0 {
		return "0", nil // no -0
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	out, _ := json.Marshal(f) // ES6 number formatting
	return string(out), nil
}

// flexNumber reads a number sent as a JSON number or a numeric string;
// null (or absence) gives ok == false.
func flexNumber(raw json.RawMessage) (f float64, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false, nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, false, err
		}
		text = strings.TrimSpace(text)
		if text == "" {
			return 0, false, nil
		}
	}
	f, err = strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false, fmt.Errorf("want a finite number, got %s", raw)
	}
	return f, true, nil
}

// flexUint reads a non-negative integer sent as a number or a string (a
// block number, a count); null or "" gives ok == false.
func flexUint(raw json.RawMessage) (n uint64, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false, nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, false, err
		}
		text = strings.TrimSpace(text)
		if text == "" {
			return 0, false, nil
		}
	}
	if n, err := strconv.ParseUint(text, 10, 64); err == nil {
		return n, true, nil
	}
	// An integral float spelling (1.7e7 or 17000000.0).
	f, ferr := strconv.ParseFloat(text, 64)
	if ferr == nil && f >= 0 && f == math.Trunc(f) && f < 1<<53 {
		return uint64(f), true, nil
	}
	return 0, false, errors.New("want a non-negative integer, got " + string(raw))
}

// seconds reads a Unix time in seconds (created, start, end) as
// microseconds; null gives ok == false.
func seconds(raw json.RawMessage) (us int64, ok bool, err error) {
	n, ok, err := flexUint(raw)
	if err != nil || !ok {
		return 0, ok, err
	}
	if n > math.MaxInt64/1_000_000 {
		return 0, false, fmt.Errorf("time %d is out of range", n)
	}
	return int64(n) * 1_000_000, true, nil
}
