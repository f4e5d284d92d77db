package httpfetch

import (
	"net/url"
	"sort"
	"strings"
)

// Masked replaces secret values in messages.
const Masked = "REDACTED"

// secretNameParts are the substrings that make a query parameter or header
// name secret.
var secretNameParts = []string{"key", "token", "secret", "password", "passwd", "auth", "signature", "credential", "session"}

// SecretName reports whether a query parameter or header name looks like it
// carries a secret (apiKey, x_cg_pro_api_key, access_token, Authorization).
func SecretName(name string) bool {
	n := strings.ToLower(name)
	for _, p := range secretNameParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// Redactor masks secrets in strings and URLs. The zero value masks only
// secret-looking URL parts. It is safe for concurrent use once built.
type Redactor struct {
	secrets []string // longest first
}

// NewRedactor returns a redactor for the given secret values (empty ones
// are ignored).
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secret values. It must not be called concurrently with
// the other methods.
func (r *Redactor) Add(secrets ...string) {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		r.secrets = append(r.secrets, s)
		// A secret may also appear URL-encoded (in a query string).
		if q := url.QueryEscape(s); q != s {
			r.secrets = append(r.secrets, q)
		}
		if p := url.PathEscape(s); p != s {
			r.secrets = append(r.secrets, p)
		}
	}
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String replaces every registered secret in s.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Masked)
		}
	}
	return s
}

// URL returns raw with its password, secret-looking query parameters and
// every registered secret masked. An unparsable URL is masked whole except
// for its scheme and host when those can be found.
func (r *Redactor) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return r.String(Masked + " (unparsable URL)")
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), Masked)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for name, vals := range q {
			if SecretName(name) {
				for i := range vals {
					vals[i] = Masked
				}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return r.String(u.String())
}
