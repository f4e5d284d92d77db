package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// Source is a job's source section: the kind, the id and the kind-specific
// fields, which the kind's factory decodes with Decode.
type Source struct {
	// Kind selects the factory in the sources.Registry.
	Kind string
	// ID is the source id written into every row's provenance; it defaults
	// to the job name.
	ID string

	idSet bool
	dec   *decoder
	l     loc
	node  *ast.MappingNode // the section without kind and id
}

// decodeYAML keeps kind and id and holds on to the other fields for Decode.
func (s *Source) decodeYAML(d *decoder, n ast.Node, l loc) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.problem(n, l.path, fmt.Sprintf("%s must be a mapping, not %s", l.what, nodeKind(n)))
		return
	}
	rest := &ast.MappingNode{BaseNode: &ast.BaseNode{}, Start: m.Start, End: m.End}
	for _, mv := range d.entries(m) {
		switch key := keyName(mv.Key); key {
		case "kind":
			d.decode(mv.Value, reflect.ValueOf(&s.Kind).Elem(), l.field(key, ""))
		case "id":
			d.decode(mv.Value, reflect.ValueOf(&s.ID).Elem(), l.field(key, ""))
			s.idSet = true
		default:
			rest.Values = append(rest.Values, mv)
		}
	}
	if s.Kind == "" && !d.meta.bad[l.path+".kind"] {
		d.problem(m, l.path+".kind", "missing required "+fieldRef("kind", l.where))
	}
	s.dec, s.l, s.node = d, l, rest
}

// where names the kind-specific section in messages.
func (s *Source) where() string {
	if s.Kind == "" {
		return s.l.where
	}
	return s.Kind + " " + s.l.where
}

// Decode decodes the kind-specific fields (the section without kind and id)
// strictly into v, a pointer to the factory's configuration struct. Set
// defaults in v before calling it; fields the section leaves out keep them.
// Problems (unknown fields, wrong types, missing `config:"required"` fields,
// errors from the struct's Validate method) are returned together as a
// *Problems with file:line positions. Decode has the sources.Decode type.
func (s *Source) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("%w: decoding a source section needs a non-nil pointer, got %T", sources.ErrConfig, v)
	}
	if s.dec == nil {
		return fmt.Errorf("%w: the source section was not read from a configuration file", sources.ErrConfig)
	}
	sub := *s.dec
	sub.probs = &Problems{}
	w := s.where()
	sub.decode(s.node, rv.Elem(), loc{path: s.l.path, what: w, where: w, parent: w})
	if err := sub.probs.err(); err != nil {
		return err
	}
	if sub.suppressed > 0 {
		return errReported
	}
	return nil
}

// errReported is returned by Decode when the section holds a value whose
// problem was already reported (an unset environment variable).
var errReported = fmt.Errorf("%w: the source section has problems reported elsewhere", ErrInvalid)

// buildSources builds the sources whose sections decoded, adding problems.
func (c *Config) buildSources(reg *sources.Registry, deps sources.Deps, probs *Problems) map[string]sources.Source {
	if deps.BaseDir == "" {
		deps.BaseDir = c.BaseDir
	}
	if deps.Getenv == nil {
		deps.Getenv = c.getenv
	}
	if c.meta == nil {
		c.meta = newMeta()
	}
	out := make(map[string]sources.Source, len(c.Jobs))
	for i := range c.Jobs {
		j := &c.Jobs[i]
		if c.meta.bad[fmt.Sprintf("jobs[%d].source.kind", i)] || c.meta.bad[fmt.Sprintf("jobs[%d].source", i)] {
			continue
		}
		if src := buildSource(c, j, i, reg, deps, probs); src != nil {
			out[j.Name] = src
		}
	}
	return out
}

func buildSource(c *Config, j *Job, i int, reg *sources.Registry, deps sources.Deps, probs *Problems) sources.Source {
	path := fmt.Sprintf("jobs[%d].source", i)
	f, err := reg.Lookup(j.Source.Kind)
	if err != nil {
		msg := fmt.Sprintf("unknown source kind %q in %s (known: %s)", j.Source.Kind, jobWhere(*j, i), strings.Join(reg.Kinds(), ", "))
		probs.add(c.File, c.meta.at(path+".kind"), c.red.redact(msg))
		return nil
	}
	src, err := f.New(j.Source.ID, j.Source.Decode, deps)
	if err == nil {
		return src
	}
	var ps *Problems
	switch {
	case errors.As(err, &ps):
		probs.List = append(probs.List, ps.List...)
	case !errors.Is(err, errReported):
		msg := strings.ReplaceAll(fmt.Sprintf("%s source of %s: %v", j.Source.Kind, jobWhere(*j, i), err), "\n", "; ")
		probs.add(c.File, c.meta.at(path), c.red.redact(msg))
	}
	return nil
}
