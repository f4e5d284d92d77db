package snapshot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// badIDPrefix starts the placeholder id of an item whose id is missing or
// not a string: the prefix and the first 16 bytes of the SHA-256 of the
// item's JSON, so the row has a key that is stable across re-reads and
// cannot collide with a hub id (hub ids never contain a colon).
const badIDPrefix = "bad-value:"

// maxRaw bounds the raw value quoted in a bad value's report.
const maxRaw = 200

// placeholder turns an item that does not convert (err names the field
// when it can) into a row of placeholders that the validation stage
// quarantines as poisoning.bad_value: every column holds null (nullable)
// or its zero value, except the id, which keeps the item's id when it has
// one (else a placeholder key), and created, which keeps the item's time
// when it reads. An item without a readable created time takes the
// position of the item before it (badCreated), so the cursor still moves
// in order.
func (t *table) placeholder(raw json.RawMessage, it item, err error) item {
	field, problem := "item", err.Error()
	var fe *fieldError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &fe):
		field, problem = fe.field, fe.err.Error()
	case errors.As(err, &te) && te.Field != "":
		field, problem = te.Field, fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)
	}
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(raw, &obj) // nil when the item is not an object
	out := item{id: it.id, state: "final"}
	if out.id == "" || field == "id" {
		sum := sha256.Sum256(raw)
		out.id = badIDPrefix + hex.EncodeToString(sum[:16])
	}
	created, ok, err := seconds(obj["created"])
	if err != nil || !ok {
		out.badCreated, created = true, 0
	}
	out.created = created / 1_000_000
	out.values = make([]any, len(t.schema.Columns)-2)
	for i, c := range t.schema.Columns[:len(out.values)] {
		switch {
		case c.Name == "id":
			out.values[i] = out.id
		case c.Name == "created":
			out.values[i] = created
		case c.Nullable:
		default:
			out.values[i] = zero(c.Type)
		}
	}
	out.bad = []badCell{{column: field, raw: fieldRaw(obj, raw, field), problem: problem}}
	return out
}

// zero is the placeholder of a non-nullable column of type t.
func zero(t datasets.Type) any {
	switch t {
	case datasets.TypeFloat64:
		return float64(0)
	case datasets.TypeUint64:
		return uint64(0)
	case datasets.TypeTimestamp:
		return int64(0)
	case datasets.TypeBool:
		return false
	}
	return ""
}

// fieldRaw returns the raw JSON of field in the item obj (the whole item
// raw when the field is "item" or obj is nil), shortened to maxRaw bytes.
func fieldRaw(obj map[string]json.RawMessage, raw json.RawMessage, field string) string {
	v := []byte(raw)
	if obj != nil && field != "item" {
		v = []byte("(missing)")
		if f, ok := obj[field]; ok {
			v = f
		}
	}
	v = bytes.TrimSpace(v)
	if len(v) > maxRaw {
		return string(v[:maxRaw-3]) + "..."
	}
	return string(v)
}
