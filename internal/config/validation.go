package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Validation is a job's validation section: the checks that run on every
// fetched batch before it is sealed, in order, and the policy that maps
// reason codes to actions.
//
//	validation:
//	  checks:
//	    - kind: poisoning.series     # a validator kind
//	      name: price-outliers       # optional, defaults to the kind
//	      value: price               # the kind's own fields
//	      time: ts
//	  policy:
//	    poisoning.mad_outlier: quarantine   # a code
//	    gaming.*: keep                      # a family
//	    "*": keep                           # everything else
type Validation struct {
	// Checks are the validators, called in this order.
	Checks []Check `yaml:"checks" label:"check"`
	// Policy maps codes, family wildcards ("gaming.*") and "*" to keep,
	// quarantine or block; codes it does not name keep their default.
	Policy map[string]string `yaml:"policy"`
	// AcceptRisk allows a policy that keeps rows carrying prompt
	// injections (gaming.prompt_injection) in served data; without it
	// config validate refuses such a policy.
	AcceptRisk bool `yaml:"accept_risk"`
}

// Validate checks the policy's actions and patterns and that check names
// are unique.
func (v *Validation) Validate() error {
	var errs []string
	for _, k := range sortedPolicyKeys(v.Policy) {
		a := v.Policy[k]
		if a != "keep" && a != "quarantine" && a != "block" {
			errs = append(errs, fmt.Sprintf("policy %q: action %q is not keep, quarantine or block", k, a))
		}
		if k != "*" && !strings.Contains(k, ".") {
			errs = append(errs, fmt.Sprintf("policy %q: want a code (family.reason), a family wildcard (family.*) or *", k))
		}
	}
	names := map[string]bool{}
	for _, c := range v.Checks {
		n := c.DisplayName()
		if names[n] {
			errs = append(errs, fmt.Sprintf("two checks are named %q: give one a name", n))
		}
		names[n] = true
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func sortedPolicyKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Check is one entry of a validation section: the validator kind, an
// optional name and the kind-specific fields, which the kind's factory
// decodes with Decode (strictly, like a source section).
type Check struct {
	Kind string
	Name string

	dec  *decoder
	l    loc
	node *ast.MappingNode
}

// DisplayName is the check's name, or its kind when it has none.
func (c *Check) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	return c.Kind
}

// decodeYAML keeps kind and name and holds on to the other fields.
func (c *Check) decodeYAML(d *decoder, n ast.Node, l loc) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.problem(n, l.path, fmt.Sprintf("%s must be a mapping, not %s", l.what, nodeKind(n)))
		return
	}
	rest := &ast.MappingNode{BaseNode: &ast.BaseNode{}, Start: m.Start, End: m.End}
	for _, mv := range d.entries(m) {
		switch key := keyName(mv.Key); key {
		case "kind", "name":
			dst := &c.Kind
			if key == "name" {
				dst = &c.Name
			}
			d.decode(mv.Value, reflect.ValueOf(dst).Elem(), l.field(key, ""))
		default:
			rest.Values = append(rest.Values, mv)
		}
	}
	if c.Kind == "" && !d.meta.bad[l.path+".kind"] {
		d.problem(m, l.path+".kind", "missing required "+fieldRef("kind", l.where))
	}
	c.dec, c.l, c.node = d, l, rest
}

// Decode decodes the kind-specific fields strictly into v, a pointer to
// the validator's configuration struct holding its defaults; problems come
// back as a *Problems with file:line positions. It has the type of
// validators.Decode.
func (c *Check) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("%w: decoding a check needs a non-nil pointer, got %T", ErrInvalid, v)
	}
	if c.dec == nil {
		return fmt.Errorf("%w: the check was not read from a configuration file", ErrInvalid)
	}
	sub := *c.dec
	sub.probs = &Problems{}
	w := c.Kind + " " + c.l.where
	sub.decode(c.node, rv.Elem(), loc{path: c.l.path, what: w, where: w, parent: w})
	return sub.probs.err()
}

// Pos returns the file and position of the check's entry, for messages
// about problems found after decoding (a validator refusing its
// configuration); the zero Position when it was not read from a file.
func (c *Check) Pos() (string, Position) {
	if c.dec == nil {
		return "", Position{}
	}
	return c.dec.file, c.dec.meta.at(c.l.path)
}
