package sources

import (
	"fmt"
	"sort"
	"strings"
)

// Registry maps source kinds to their factories. It is built explicitly in
// cmd/groundtruth; nothing registers itself.
type Registry struct {
	factories map[string]Factory
}

// NewRegistry returns a registry holding the given factories.
func NewRegistry(factories ...Factory) (*Registry, error) {
	r := &Registry{factories: make(map[string]Factory, len(factories))}
	for _, f := range factories {
		if f.Kind == "" || f.New == nil {
			return nil, fmt.Errorf("%w: factory %q has no kind or constructor", ErrConfig, f.Kind)
		}
		if _, dup := r.factories[f.Kind]; dup {
			return nil, fmt.Errorf("%w: source kind %q registered twice", ErrConfig, f.Kind)
		}
		r.factories[f.Kind] = f
	}
	return r, nil
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	kinds := make([]string, 0, len(r.factories))
	for k := range r.factories {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// Lookup returns the factory of kind.
func (r *Registry) Lookup(kind string) (Factory, error) {
	f, ok := r.factories[kind]
	if !ok {
		return Factory{}, fmt.Errorf("%w: unknown source kind %q (known: %s)", ErrConfig, kind, strings.Join(r.Kinds(), ", "))
	}
	return f, nil
}

// New builds a source of the given kind.
func (r *Registry) New(kind, id string, decode Decode, deps Deps) (Source, error) {
	f, err := r.Lookup(kind)
	if err != nil {
		return nil, err
	}
	return f.New(id, decode, deps)
}
