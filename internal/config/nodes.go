package config

import (
	"reflect"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// maxAliasDepth bounds alias chains so a crafted file cannot loop, and
// maxMerged the mappings read through merge keys, so that nested merges
// cannot blow up.
const (
	maxAliasDepth = 64
	maxMerged     = 10000
)

// resolve follows anchors, aliases and tags on collections to the node that
// holds the value.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range maxAliasDepth {
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.AliasNode:
			target, ok := d.anchors[aliasName(t)]
			if !ok {
				return n
			}
			n = target
		case *ast.TagNode:
			switch t.Value.(type) {
			case *ast.MappingNode, *ast.SequenceNode:
				n = t.Value
			default:
				return n
			}
		default:
			return n
		}
	}
	return n
}

func aliasName(a *ast.AliasNode) string {
	if a.Value == nil {
		return ""
	}
	return a.Value.GetToken().Value
}

// collectAnchors records every anchor's value by name.
func collectAnchors(n ast.Node, out map[string]ast.Node) {
	switch t := n.(type) {
	case *ast.AnchorNode:
		if t.Name != nil {
			out[t.Name.GetToken().Value] = t.Value
		}
		collectAnchors(t.Value, out)
	case *ast.MappingNode:
		for _, mv := range t.Values {
			collectAnchors(mv.Value, out)
		}
	case *ast.MappingValueNode:
		collectAnchors(t.Value, out)
	case *ast.SequenceNode:
		for _, v := range t.Values {
			collectAnchors(v, out)
		}
	case *ast.TagNode:
		collectAnchors(t.Value, out)
	}
}

// entries returns the key/value pairs of m with merge keys (<<: *x)
// expanded; explicit keys override merged ones.
func (d *decoder) entries(m *ast.MappingNode) []*ast.MappingValueNode {
	return d.entriesDepth(m, 0)
}

func (d *decoder) entriesDepth(m *ast.MappingNode, depth int) []*ast.MappingValueNode {
	d.merged++
	if depth > maxAliasDepth || d.merged > maxMerged {
		d.problem(m, "<<", "merge keys (<<) nest too deep, refer to themselves or expand too much")
		return nil
	}
	explicit := map[string]bool{}
	for _, mv := range m.Values {
		if !isMergeKey(mv.Key) {
			explicit[keyName(mv.Key)] = true
		}
	}
	var out []*ast.MappingValueNode
	merged := map[string]bool{}
	for _, mv := range m.Values {
		if !isMergeKey(mv.Key) {
			out = append(out, mv)
			continue
		}
		for _, src := range d.mergeSources(mv.Value) {
			for _, e := range d.entriesDepth(src, depth+1) {
				k := keyName(e.Key)
				if !explicit[k] && !merged[k] {
					merged[k] = true
					out = append(out, e)
				}
			}
		}
	}
	return out
}

func (d *decoder) mergeSources(v ast.Node) []*ast.MappingNode {
	switch t := d.resolve(v).(type) {
	case *ast.MappingNode:
		return []*ast.MappingNode{t}
	case *ast.SequenceNode:
		var out []*ast.MappingNode
		for _, e := range t.Values {
			if m, ok := d.resolve(e).(*ast.MappingNode); ok {
				out = append(out, m)
			}
		}
		return out
	}
	d.problem(v, "<<", "a merge key (<<) must refer to a mapping or a list of mappings")
	return nil
}

func isMergeKey(k ast.MapKeyNode) bool { return k != nil && k.Type() == ast.MergeKeyType }

// keyName returns the text of a mapping key.
func keyName(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if k == nil || k.GetToken() == nil {
		return ""
	}
	return k.GetToken().Value
}

// scalarKey returns the string value of key in mapping n, if present.
func (d *decoder) scalarKey(n ast.Node, key string) (string, bool) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		return "", false
	}
	for _, mv := range d.entries(m) {
		if keyName(mv.Key) != key {
			continue
		}
		if s, ok := d.resolve(mv.Value).(*ast.StringNode); ok {
			return s.Value, true
		}
	}
	return "", false
}

// posOf returns where a node starts.
func posOf(n ast.Node) Position {
	switch t := n.(type) {
	case nil:
		return Position{Line: 1, Col: 1}
	case *ast.MappingNode:
		if !t.IsFlowStyle && len(t.Values) > 0 {
			return posOf(t.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return posOf(t.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Position{Line: 1, Col: 1}
	}
	return Position{Line: tk.Position.Line, Col: tk.Position.Column}
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// nodeKind describes a node's type with an article, for messages.
func nodeKind(n ast.Node) string {
	switch n.(type) {
	case nil, *ast.NullNode:
		return "null"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	}
	return "a " + n.Type().YAMLName()
}

// goKind describes what a Go type accepts, with an article.
func goKind(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration such as 30s, 5m or 1h30m"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	case reflect.Pointer:
		return goKind(t.Elem())
	}
	return "a " + t.String()
}

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Slice, reflect.Array, reflect.Struct, reflect.Map, reflect.Interface, reflect.Pointer:
		return false
	}
	return true
}

// fieldInfo describes one decodable struct field.
type fieldInfo struct {
	name     string
	index    []int // reflect.Value.FieldByIndex path
	required bool
	label    string
}

// structFields lists the fields of t that carry a yaml tag, in order. The
// fields of an embedded struct tagged `yaml:",inline"` are listed as if
// they were t's own, so kinds can share a block of settings.
func structFields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("yaml")
		if !ok || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" && opts == "inline" && f.Type.Kind() == reflect.Struct {
			for _, inner := range structFields(f.Type) {
				inner.index = append([]int{i}, inner.index...)
				out = append(out, inner)
			}
			continue
		}
		if name == "-" || name == "" {
			continue
		}
		out = append(out, fieldInfo{
			name: name, index: []int{i},
			required: f.Tag.Get("config") == "required",
			label:    f.Tag.Get("label"),
		})
	}
	return out
}

func lookupField(fields []fieldInfo, name string) (fieldInfo, bool) {
	for _, f := range fields {
		if f.name == name {
			return f, true
		}
	}
	return fieldInfo{}, false
}
