package redact

import (
	"errors"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// MinSecretLen is the shortest registered value that is masked: shorter
// values are not secrets worth the name, and masking them ("1", "true")
// would garble every message.
const MinSecretLen = 6

// Redactor masks registered secret values and the secret parts of URLs in
// strings. The zero value masks only URLs; a nil *Redactor does the same
// and ignores what is registered with it. It is safe for concurrent use,
// Add included.
type Redactor struct {
	mu    sync.RWMutex
	pairs []pair // longest value first
}

type pair struct{ value, shown string }

// New returns a redactor masking the given values (shown as REDACTED).
func New(values ...string) *Redactor {
	r := &Redactor{}
	r.Add(values...)
	return r
}

// Add registers secret values, shown as REDACTED. Values shorter than
// MinSecretLen are ignored.
func (r *Redactor) Add(values ...string) {
	for _, v := range values {
		r.AddNamed("", v)
	}
}

// AddNamed registers a secret value that came from the environment
// variable name; it is shown as ${name} (REDACTED when name is empty). The
// value's URL-encoded forms are masked too.
func (r *Redactor) AddNamed(name, value string) {
	if r == nil || len(value) < MinSecretLen {
		return
	}
	shown := Masked
	if name != "" {
		shown = "${" + name + "}"
	}
	r.addShown(value, shown)
}

// addShown registers value (and its URL-encoded forms), shown as shown;
// values shorter than MinSecretLen are ignored.
func (r *Redactor) addShown(value, shown string) {
	if len(value) < MinSecretLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range []string{value, url.QueryEscape(value), url.PathEscape(value)} {
		if !r.has(v) {
			r.pairs = append(r.pairs, pair{value: v, shown: shown})
		}
	}
	sort.SliceStable(r.pairs, func(i, j int) bool { return len(r.pairs[i].value) > len(r.pairs[j].value) })
}

func (r *Redactor) has(v string) bool {
	for _, p := range r.pairs {
		if p.value == v {
			return true
		}
	}
	return false
}

// Merge registers every value of o (nil: nothing) in r.
func (r *Redactor) Merge(o *Redactor) {
	if r == nil || o == nil || o == r {
		return
	}
	o.mu.RLock()
	pairs := append([]pair(nil), o.pairs...)
	o.mu.RUnlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range pairs {
		if !r.has(p.value) {
			r.pairs = append(r.pairs, p)
		}
	}
	sort.SliceStable(r.pairs, func(i, j int) bool { return len(r.pairs[i].value) > len(r.pairs[j].value) })
}

// Values replaces the registered values in s, leaving URLs as they are.
func (r *Redactor) Values(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, p := range r.pairs {
		if strings.Contains(s, p.value) {
			s = strings.ReplaceAll(s, p.value, p.shown)
		}
	}
	return s
}

// String masks the registered values and the secret parts of every URL in s.
func (r *Redactor) String(s string) string {
	return URLs(r.Values(s))
}

// URL masks the registered values in raw (a whole registered URL shows
// as ${VAR}), then the secret parts of what is left of the URL.
func (r *Redactor) URL(raw string) string {
	if v := r.Values(raw); v != raw {
		return URLs(v)
	}
	return URL(raw)
}

// Error returns err with its message masked (nil for nil). The result
// wraps err, so errors.Is and errors.As see through it.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := r.String(err.Error())
	if msg == err.Error() {
		return err
	}
	return &maskedError{msg: msg, err: err}
}

type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// IsMasked reports whether err was masked by a Redactor.
func IsMasked(err error) bool {
	var m *maskedError
	return errors.As(err, &m)
}
