package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// record is an Item with its filterable values decoded.
type record struct {
	item Item
	id   string
	str  map[string]string  // string fields, and the id of object fields
	num  map[string]float64 // number fields
}

func newRecord(it Item) *record {
	r := &record{item: it, str: map[string]string{}, num: map[string]float64{}}
	for k, raw := range it {
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if d.Decode(&v) != nil {
			continue
		}
		switch v := v.(type) {
		case string:
			r.str[k] = v
		case json.Number:
			r.num[k], _ = v.Float64()
		case map[string]any:
			if id, ok := v["id"].(string); ok {
				r.str[k] = id
			}
		}
	}
	r.id = r.str["id"]
	return r
}

// validate checks the selection against hubTypes, like GraphQL validation.
func validate(sel []*gqlField, typ string, top bool) []*gqlError {
	var errs []*gqlError
	for _, f := range sel {
		if f.Name == "__typename" {
			continue
		}
		sub, ok := hubTypes[typ][f.Name]
		switch {
		case !ok:
			errs = append(errs, &gqlError{Msg: fmt.Sprintf("Cannot query field %q on type %q.", f.Name, typ), Line: f.Line, Col: f.Col})
		case sub == "" && f.Sel != nil:
			errs = append(errs, &gqlError{Msg: fmt.Sprintf("Field %q must not have a selection since its type has no subfields.", f.Name), Line: f.Line, Col: f.Col})
		case sub != "" && f.Sel == nil:
			errs = append(errs, &gqlError{Msg: fmt.Sprintf("Field %q of type %q must have a selection of subfields. Did you mean \"%s { ... }\"?", f.Name, sub, f.Name), Line: f.Line, Col: f.Col})
		default:
			if top {
				errs = append(errs, validateWhere(f)...)
			}
			if sub != "" {
				errs = append(errs, validate(f.Sel, sub, false)...)
			}
		}
	}
	return errs
}

// proposalExtraWhere are ProposalWhere fields with their own handling in
// the hub (accepted here and ignored).
var proposalExtraWhere = map[string]bool{
	"state": true, "title_contains": true, "strategies_contains": true, "plugins_contains": true,
	"validation": true, "space_verified": true, "flagged": true,
}

// spaceExtraWhere are SpaceWhere fields with their own handling in the hub
// (a controller's ENS names, a strategy or plugin name, the domain, the
// verified flag): accepted here and ignored.
var spaceExtraWhere = map[string]bool{
	"controller": true, "strategy": true, "plugin": true, "domain": true, "verified": true,
}

func validateWhere(f *gqlField) []*gqlError {
	w, ok := f.Args["where"].(map[string]any)
	if !ok {
		return nil
	}
	fields := hubWhere[f.Name]
	var errs []*gqlError
	for k := range w {
		base, op, _ := strings.Cut(k, "_")
		if _, isField := fields[k]; isField {
			continue
		}
		if _, isField := fields[strings.TrimSuffix(k, "_in")]; isField && strings.HasSuffix(k, "_in") {
			continue
		}
		if fields[base] == "number" && (op == "gt" || op == "gte" || op == "lt" || op == "lte") {
			continue
		}
		if f.Name == "proposals" && proposalExtraWhere[k] || f.Name == "spaces" && spaceExtraWhere[k] {
			continue
		}
		typ := strings.ToUpper(f.Name[:1]) + strings.TrimSuffix(f.Name[1:], "s") + "Where"
		errs = append(errs, &gqlError{Msg: fmt.Sprintf("Field %q is not defined by type %q.", k, typ), Line: f.Line, Col: f.Col})
	}
	return errs
}

// execute runs the validated top-level fields.
func (h *Hub) execute(fields []*gqlField, key string) (int, []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var errs []*gqlError
	var data bytes.Buffer
	data.WriteString(`{`)
	for i, f := range fields {
		if i > 0 {
			data.WriteByte(',')
		}
		writeKey(&data, f.key())
		if f.Name == "__typename" {
			data.WriteString(`"Query"`)
			continue
		}
		typ := hubTypes["Query"][f.Name]
		if coll, ok := listOf[f.Name]; ok {
			recs, err := h.list(f, coll, key)
			if err != nil {
				errs = append(errs, err)
				data.WriteString("null")
				continue
			}
			data.WriteByte('[')
			for j, r := range recs {
				if j > 0 {
					data.WriteByte(',')
				}
				h.writeObject(&data, typ, r.item, f.Sel)
			}
			data.WriteByte(']')
			continue
		}
		id, _ := f.Args["id"].(string)
		if r := h.byID[oneOf[f.Name]][id]; r == nil {
			data.WriteString("null")
		} else {
			h.writeObject(&data, typ, r.item, f.Sel)
		}
	}
	data.WriteByte('}')
	var b bytes.Buffer
	if len(errs) > 0 {
		e := gqlErrors(errs...)
		b.Write(e[:len(e)-1]) // without the closing brace
		b.WriteString(`,"data":`)
	} else {
		b.WriteString(`{"data":`)
	}
	b.Write(data.Bytes())
	b.WriteByte('}')
	return http.StatusOK, b.Bytes()
}

// list runs one list field: limits, where, order, skip and first.
func (h *Hub) list(f *gqlField, coll, key string) ([]*record, *gqlError) {
	first, skip := int64(20), int64(0)
	if v, ok := f.Args["first"].(int64); ok {
		first = v
	}
	if v, ok := f.Args["skip"].(int64); ok {
		skip = v
	}
	where, _ := f.Args["where"].(map[string]any)
	orderBy, _ := asString(f.Args["orderBy"])
	dir, _ := asString(f.Args["orderDirection"])
	call := HubCall{Field: f.Name, First: first, Skip: skip, Where: where, OrderBy: orderBy, OrderDirection: dir, APIKey: key}
	idx := len(h.calls)
	h.calls = append(h.calls, call)
	for _, k := range []string{"first", "skip"} {
		limit := hubLimits[f.Name][k]
		if (k == "first" && first > limit) || (k == "skip" && skip > limit) {
			return nil, &gqlError{Msg: fmt.Sprintf("The `%s` argument must not be greater than %d", k, limit), Line: f.Line, Col: f.Col, path: f.key()}
		}
	}
	var out []*record
	for _, r := range h.coll[coll] {
		if matches(r, where, hubWhere[f.Name]) {
			out = append(out, r)
		}
	}
	orders := hubOrderBy[f.Name]
	if !contains(orders, orderBy) {
		orderBy = orders[0]
	}
	asc := strings.EqualFold(dir, "asc")
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if orderBy != "id" && a.num[orderBy] != b.num[orderBy] {
			return (a.num[orderBy] < b.num[orderBy]) == asc
		}
		if orderBy == "id" && a.id != b.id {
			return (a.id < b.id) == asc
		}
		return a.id < b.id
	})
	if skip >= int64(len(out)) {
		out = nil
	} else {
		out = out[max(skip, 0):]
	}
	if int64(len(out)) > first {
		out = out[:max(first, 0)]
	}
	h.calls[idx].Rows = len(out)
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func asString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case enum:
		return string(v), true
	}
	return "", false
}

// truthy mirrors JavaScript truthiness, which the hub's filters rely on
// (a filter of 0 or "" is ignored).
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case int64:
		return v != 0
	case float64:
		return v != 0
	case string:
		return v != ""
	}
	return true
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// matches applies the hub's buildWhereQuery filters.
func matches(r *record, where map[string]any, fields map[string]string) bool {
	eq := func(field, typ string, v any) bool {
		if typ == "number" {
			f, ok := toFloat(v)
			n, has := r.num[field]
			return ok && has && n == f
		}
		s, ok := asString(v)
		got, has := r.str[field]
		return ok && has && strings.EqualFold(got, s) // MySQL's default collation is case-insensitive
	}
	for field, typ := range fields {
		if v, ok := where[field]; ok && truthy(v) && !eq(field, typ, v) {
			return false
		}
		if in, ok := where[field+"_in"].([]any); ok && len(in) > 0 {
			found := false
			for _, v := range in {
				found = found || eq(field, typ, v)
			}
			if !found {
				return false
			}
		}
		if typ != "number" {
			continue
		}
		n, has := r.num[field]
		for _, op := range []string{"gt", "gte", "lt", "lte"} {
			v, ok := where[field+"_"+op]
			if !ok || !truthy(v) {
				continue
			}
			f, _ := toFloat(v)
			pass := has && ((op == "gt" && n > f) || (op == "gte" && n >= f) || (op == "lt" && n < f) || (op == "lte" && n <= f))
			if !pass {
				return false
			}
		}
	}
	return true
}

// writeObject writes it with the selected fields, in selection order.
func (h *Hub) writeObject(b *bytes.Buffer, typ string, it Item, sel []*gqlField) {
	b.WriteByte('{')
	for i, f := range sel {
		if i > 0 {
			b.WriteByte(',')
		}
		writeKey(b, f.key())
		if f.Name == "__typename" {
			b.WriteString(strconv.Quote(typ))
			continue
		}
		raw, ok := it[f.Name]
		sub := hubTypes[typ][f.Name]
		if !ok || string(raw) == "null" {
			b.WriteString("null")
			continue
		}
		if sub == "" {
			json.Compact(b, raw)
			continue
		}
		h.writeNested(b, sub, raw, f.Sel)
	}
	b.WriteByte('}')
}

// writeNested writes an object-typed value (an object or a list of them),
// joining spaces and proposals referenced by id with their full records.
func (h *Hub) writeNested(b *bytes.Buffer, typ string, raw json.RawMessage, sel []*gqlField) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		json.Unmarshal(raw, &list)
		b.WriteByte('[')
		for i, e := range list {
			if i > 0 {
				b.WriteByte(',')
			}
			h.writeNested(b, typ, e, sel)
		}
		b.WriteByte(']')
		return
	}
	var obj Item
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		b.WriteString("null")
		return
	}
	if coll := map[string]string{"Space": "spaces", "Proposal": "proposals"}[typ]; coll != "" {
		var id string
		json.Unmarshal(obj["id"], &id)
		if r := h.byID[coll][id]; r != nil {
			obj = r.item
		}
	}
	h.writeObject(b, typ, obj, sel)
}

func writeKey(b *bytes.Buffer, k string) {
	kb, _ := json.Marshal(k)
	b.Write(kb)
	b.WriteByte(':')
}
