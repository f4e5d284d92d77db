package config

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// decoder walks YAML nodes into Go values strictly: unknown fields, wrong
// types and missing required fields become problems with their position.
// Unlike a plain yaml.Unmarshal it does not stop at the first problem.
//
// Struct fields are decoded when they carry a yaml tag. The tag
// `config:"required"` makes a field required; `label:"job"` names the
// elements of a list field in messages (job "bravo"). After a struct (other
// than the root) decodes without problems, its Validate() error method, if
// any, is called; an error with a ConfigField() string method is reported at
// that field's position.
type decoder struct {
	file    string
	anchors map[string]ast.Node
	probs   *Problems
	red     redactor
	meta    *meta
	// failed holds nodes already reported (bad environment references);
	// suppressed counts how many were met, like problems, so that
	// Validate methods do not run on their values.
	failed     map[ast.Node]bool
	suppressed int
	merged     int // mappings read through merge keys
}

// meta records where each decoded path was in the file and which paths had
// problems, so later checks can point at them and skip them.
type meta struct {
	pos map[string]Position
	bad map[string]bool
}

func newMeta() *meta { return &meta{pos: map[string]Position{}, bad: map[string]bool{}} }

// at returns the position of path or of its nearest recorded parent.
func (m *meta) at(path string) Position {
	for {
		if p, ok := m.pos[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return m.pos[""]
		}
		path = path[:i]
	}
}

// loc describes where a value sits, for positions and messages.
type loc struct {
	path   string // machine path: jobs[0].source.kind
	what   string // the value in messages: field "kind" in source of job "bravo"
	where  string // context of nested fields: source of job "bravo"
	parent string // context of the struct holding this field
	label  string // noun for list elements (from the label tag)
}

// fieldRef names a field in context for messages.
func fieldRef(name, where string) string {
	if where == "" {
		return fmt.Sprintf("top-level field %q", name)
	}
	return fmt.Sprintf("field %q in %s", name, where)
}

func (l loc) field(name, label string) loc {
	c := loc{path: name, what: fieldRef(name, l.where), where: name, parent: l.where, label: label}
	if l.path != "" {
		c.path = l.path + "." + name
	}
	if l.where != "" {
		c.where = name + " of " + l.where
	}
	return c
}

func (l loc) elem(i int, n ast.Node, d *decoder) loc {
	label := l.label
	if label == "" {
		label = strings.TrimSuffix(l.path[strings.LastIndex(l.path, ".")+1:], "s")
	}
	ident := fmt.Sprintf("#%d", i+1)
	if name, ok := d.scalarKey(n, "name"); ok && name != "" {
		ident = fmt.Sprintf("%q", name)
	}
	w := label + " " + ident
	if l.parent != "" {
		w += " in " + l.parent
	}
	return loc{path: fmt.Sprintf("%s[%d]", l.path, i), what: w, where: w, parent: l.parent}
}

func (d *decoder) problem(n ast.Node, path, msg string) {
	d.problemAt(posOf(n), path, msg)
}

func (d *decoder) problemAt(pos Position, path, msg string) {
	d.probs.add(d.file, pos, d.red.redact(msg))
	d.meta.bad[path] = true
}

// nodeDecoder is implemented by types that decode their own section.
type nodeDecoder interface {
	decodeYAML(d *decoder, n ast.Node, l loc)
}

var (
	textUnmarshalerType  = reflect.TypeFor[encoding.TextUnmarshaler]()
	bytesUnmarshalerType = reflect.TypeFor[yaml.BytesUnmarshaler]()
	ifaceUnmarshalerType = reflect.TypeFor[yaml.InterfaceUnmarshaler]()
	nodeDecoderType      = reflect.TypeFor[nodeDecoder]()
)

// decode decodes n into v (addressable) and reports problems.
func (d *decoder) decode(n ast.Node, v reflect.Value, l loc) {
	n = d.resolve(n)
	if _, ok := d.meta.pos[l.path]; !ok {
		d.meta.pos[l.path] = posOf(n)
	}
	if d.failed[n] {
		d.meta.bad[l.path] = true
		d.suppressed++
	}
	t := v.Type()
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(nodeDecoderType):
		v.Addr().Interface().(nodeDecoder).decodeYAML(d, n, l)
	case pt.Implements(textUnmarshalerType) || pt.Implements(bytesUnmarshalerType) || pt.Implements(ifaceUnmarshalerType):
		d.leaf(n, v, l)
	case isNull(n):
		// An explicit null keeps the default.
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, v.Elem(), l)
	case t.Kind() == reflect.Struct:
		d.decodeStruct(n, v, l)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		d.decodeSlice(n, v, l)
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		d.decodeMap(n, v, l)
	default:
		d.leaf(n, v, l)
	}
}

func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, l loc) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.problem(n, l.path, fmt.Sprintf("%s must be a mapping, not %s", l.what, nodeKind(n)))
		return
	}
	before := len(d.probs.List) + d.suppressed
	fields := structFields(v.Type())
	seen := map[string]bool{}
	for _, mv := range d.entries(m) {
		key := keyName(mv.Key)
		f, ok := lookupField(fields, key)
		if !ok {
			d.problem(mv.Key, l.path, "unknown "+fieldRef(key, l.where))
			continue
		}
		if !isNull(d.resolve(mv.Value)) {
			seen[key] = true
		}
		d.decode(mv.Value, v.FieldByIndex(f.index), l.field(key, f.label))
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			d.problemAt(d.meta.at(l.path), l.field(f.name, "").path, "missing required "+fieldRef(f.name, l.where))
		}
	}
	if len(d.probs.List)+d.suppressed == before && l.path != "" {
		d.validate(m, v, l)
	}
}

// validate calls the Validate method of a decoded struct, if it has one.
func (d *decoder) validate(m *ast.MappingNode, v reflect.Value, l loc) {
	val, ok := v.Addr().Interface().(interface{ Validate() error })
	if !ok {
		return
	}
	for _, err := range flatten(val.Validate()) {
		var fe interface{ ConfigField() string }
		if errors.As(err, &fe) {
			c := l.field(fe.ConfigField(), "")
			d.probs.add(d.file, d.meta.at(c.path), d.red.redact(c.what+": "+err.Error()))
			d.meta.bad[c.path] = true
			continue
		}
		d.problemAt(d.meta.at(l.path), l.path, l.where+": "+err.Error())
	}
}

// flatten splits an errors.Join error into its parts.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func (d *decoder) decodeSlice(n ast.Node, v reflect.Value, l loc) {
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.problem(n, l.path, fmt.Sprintf("%s must be a list, not %s", l.what, nodeKind(n)))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(s.Values), len(s.Values))
	for i, e := range s.Values {
		d.decode(e, out.Index(i), l.elem(i, d.resolve(e), d))
	}
	v.Set(out)
}

func (d *decoder) decodeMap(n ast.Node, v reflect.Value, l loc) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.problem(n, l.path, fmt.Sprintf("%s must be a mapping, not %s", l.what, nodeKind(n)))
		return
	}
	out := reflect.MakeMap(v.Type())
	for _, mv := range d.entries(m) {
		key := keyName(mv.Key)
		ev := reflect.New(v.Type().Elem()).Elem()
		d.decode(mv.Value, ev, l.field(key, ""))
		out.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), ev)
	}
	v.Set(out)
}

// leaf decodes a scalar with goccy/go-yaml and rewrites its errors.
func (d *decoder) leaf(n ast.Node, v reflect.Value, l loc) {
	if _, ok := n.(*ast.MappingNode); ok && isScalarKind(v.Kind()) {
		d.problem(n, l.path, fmt.Sprintf("%s must be %s, not a mapping", l.what, goKind(v.Type())))
		return
	}
	if _, ok := n.(*ast.SequenceNode); ok && isScalarKind(v.Kind()) {
		d.problem(n, l.path, fmt.Sprintf("%s must be %s, not a list", l.what, goKind(v.Type())))
		return
	}
	if err := nodeToValue(n, v.Addr().Interface()); err != nil {
		d.problem(n, l.path, leafMessage(err, n, v.Type(), l))
	}
}

// nodeToValue runs the YAML decoder on one node, turning a panic into an
// error so that no input can crash configuration loading.
func nodeToValue(n ast.Node, ptr any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode value: %v", r)
		}
	}()
	return yaml.NodeToValue(n, ptr, yaml.Strict())
}

func leafMessage(err error, n ast.Node, t reflect.Type, l loc) string {
	var te *yaml.TypeError
	var ue *yaml.UnexpectedNodeTypeError
	var oe *yaml.OverflowError
	var ye yaml.Error
	switch {
	case errors.As(err, &te), errors.As(err, &ue):
		return fmt.Sprintf("%s must be %s, not %s", l.what, goKind(t), nodeKind(n))
	case errors.As(err, &oe):
		return fmt.Sprintf("%s is out of range for %s", l.what, t)
	case errors.As(err, &ye):
		return l.what + ": " + ye.GetMessage()
	}
	return l.what + ": " + err.Error()
}
