package httpfetch

import "github.com/groundtruth-dao/groundtruth/internal/redact"

// Masked replaces secret values in messages.
const Masked = redact.Masked

// SecretName reports whether a query parameter or header name looks like it
// carries a secret (apiKey, x_cg_pro_api_key, access_token, appid,
// Authorization).
func SecretName(name string) bool { return redact.SecretName(name) }

// Redactor masks secrets in strings and URLs: the registered values, and
// the user information, key parameters and path keys of every URL. It is
// internal/redact's, so sources and the command share one set of rules.
type Redactor = redact.Redactor

// NewRedactor returns a redactor for the given secret values (empty and
// very short ones are ignored).
func NewRedactor(secrets ...string) *Redactor { return redact.New(secrets...) }
