package validators

import (
	"cmp"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
)

// Decode decodes a check's own configuration section strictly into v (a
// pointer to the factory's configuration struct); unknown fields are errors.
type Decode func(v any) error

// Deps are the shared services a validator may use, passed in.
type Deps struct {
	Logger *slog.Logger
}

// Factory builds validators of one kind.
type Factory struct {
	// Kind is the name used in configuration (check kind), "family.name".
	Kind string
	// Summary is a one-line description for help texts.
	Summary string
	// Codes are the codes validators of this kind emit.
	Codes []CodeInfo
	// New decodes the kind's configuration and returns a validator named
	// name (the kind when the configuration gives no name).
	New func(name string, decode Decode, deps Deps) (Validator, error)
}

// NewFactory builds the Factory of a kind whose validators are made by
// build from a configuration struct: the check's section is decoded
// strictly into defaults() and handed to build with the check's name (the
// kind when the configuration gives none). A failed build returns a nil
// Validator, never a typed nil.
func NewFactory[C any, V Validator](kind, summary string, codes []CodeInfo, defaults func() C, build func(name string, cfg C) (V, error)) Factory {
	return Factory{
		Kind: kind, Summary: summary, Codes: codes,
		New: func(name string, decode Decode, _ Deps) (Validator, error) {
			cfg := defaults()
			if err := decode(&cfg); err != nil {
				return nil, err
			}
			v, err := build(cmp.Or(name, kind), cfg)
			if err != nil {
				return nil, err
			}
			return v, nil
		},
	}
}

// Registry holds the validator kinds a binary knows; it is built explicitly
// (no init side effects).
type Registry struct {
	kinds map[string]Factory
}

// NewRegistry returns a registry of the given factories; kinds must be
// unique and codes must belong to the kind's family.
func NewRegistry(fs ...Factory) (*Registry, error) {
	r := &Registry{kinds: map[string]Factory{}}
	for _, f := range fs {
		if f.Kind == "" || f.New == nil {
			return nil, fmt.Errorf("%w: factory with empty kind or constructor", ErrConfig)
		}
		if _, dup := r.kinds[f.Kind]; dup {
			return nil, fmt.Errorf("%w: validator kind %q registered twice", ErrConfig, f.Kind)
		}
		for _, c := range f.Codes {
			if c.Code.Family() != Code(f.Kind).Family() {
				return nil, fmt.Errorf("%w: kind %s declares code %s of another family", ErrConfig, f.Kind, c.Code)
			}
		}
		r.kinds[f.Kind] = f
	}
	return r, nil
}

// Lookup returns the factory of kind, or an error listing the known kinds.
func (r *Registry) Lookup(kind string) (Factory, error) {
	f, ok := r.kinds[kind]
	if !ok {
		return Factory{}, fmt.Errorf("%w: unknown check kind %q (known: %s)", ErrConfig, kind, strings.Join(r.Kinds(), ", "))
	}
	return f, nil
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string {
	out := make([]string, 0, len(r.kinds))
	for k := range r.kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Codes returns every code of every kind, sorted by code.
func (r *Registry) Codes() []CodeInfo {
	var out []CodeInfo
	seen := map[Code]bool{}
	for _, k := range r.Kinds() {
		for _, c := range r.kinds[k].Codes {
			if !seen[c.Code] {
				seen[c.Code] = true
				out = append(out, c)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Duration is a time.Duration that configuration files write as "90s",
// "1h" or "7d" (days are 24 hours).
type Duration time.Duration

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n float64
		if _, err := fmt.Sscanf(days, "%g", &n); err != nil || n < 0 {
			return fmt.Errorf("duration %q: want a number of days like 7d", s)
		}
		*d = Duration(time.Duration(n * float64(24*time.Hour)))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("duration %q: want a positive duration like 90s, 2h or 7d", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
