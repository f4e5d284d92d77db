package api

import (
	"encoding/json"
	"strconv"
)

// appendValuesJSON appends v as one JSON object, keys in order. Names and
// the value types a row holds (nil, bool, string, json.Number) are written
// directly, byte for byte as encoding/json writes them (HTML characters
// escaped, '\b' and '\f' short, invalid UTF-8 as U+FFFD); other values go
// through json.Marshal. A row with proof is the server's most frequent
// answer: this saves two json.Marshal calls (and their copies) per field.
func appendValuesJSON(b []byte, v Values) ([]byte, error) {
	b = append(b, '{')
	for i, f := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStdJSONString(b, f.Name)
		b = append(b, ':')
		var err error
		if b, err = appendStdJSONValue(b, f.Value); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendStdJSONValue appends x as encoding/json would.
func appendStdJSONValue(b []byte, x any) ([]byte, error) {
	switch x := x.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return appendStdJSONString(b, x), nil
	case json.Number:
		if x != "" && json.Valid([]byte(x)) && isJSONNumber(string(x)) {
			return append(b, x...), nil
		}
	}
	raw, err := json.Marshal(x) // other types, and json.Number's special cases ("" and errors)
	if err != nil {
		return nil, err
	}
	return append(b, raw...), nil
}

// isJSONNumber reports whether s, one valid JSON value, is a number
// without surrounding space (json.Valid also takes "true" and " 1 ").
func isJSONNumber(s string) bool {
	first, last := s[0], s[len(s)-1]
	return (first == '-' || (first >= '0' && first <= '9')) && last >= '0' && last <= '9'
}
