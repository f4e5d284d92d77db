package serve

import "net/http"

// IsAdmin reports whether r carries a valid bearer token with the admin
// scope (the daemon's /readyz shows its job details only then).
func (t *TokenAuth) IsAdmin(r *http.Request) bool {
	p, err := t.auth.authenticateAs(r, false)
	return err == nil && p.Admin()
}
