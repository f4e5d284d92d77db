package serve

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// ScopeAdmin is the token scope that opens the daemon's administrative
// endpoints (GET /runs): every endpoint of its listener other than /v1,
// /mcp, /healthz, /readyz and /metrics. An admin token still sees only
// the runs of its datasets.
const ScopeAdmin = "admin"

// ScopeSteward is the token scope that opens the steward console's API
// (review, decisions, co-signing); what a steward signs is still checked
// against the steward set.
const ScopeSteward = "steward"

// ErrForbidden means the token is valid but lacks the scope the endpoint
// needs.
var ErrForbidden = errors.New("forbidden")

// TokenAuth authenticates bearer tokens for endpoints outside the data
// API (the daemon's /runs). Requests without a token are never anonymous.
type TokenAuth struct {
	auth *authenticator
}

// NewTokenAuth returns an authenticator for the given tokens.
func NewTokenAuth(tokens []Token) *TokenAuth {
	return &TokenAuth{auth: newAuthenticator(tokens, nil, time.Now)}
}

// RequireAdmin wraps h: a request without a valid token is answered 401,
// one whose token lacks the admin scope 403; h finds the caller with
// PrincipalFrom.
func (t *TokenAuth) RequireAdmin(h http.Handler) http.Handler {
	return t.require(ScopeAdmin, (*Principal).Admin, h)
}

// RequireSteward wraps h like RequireAdmin, for the steward scope.
func (t *TokenAuth) RequireSteward(h http.Handler) http.Handler {
	return t.require(ScopeSteward, (*Principal).Steward, h)
}

func (t *TokenAuth) require(scope string, has func(*Principal) bool, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := t.auth.authenticateAs(r, false)
		if err == nil && !has(p) {
			err = fmt.Errorf("%w: token %q lacks the %s scope (groundtruth serve token --scopes %s)", ErrForbidden, p.Name, scope, scope)
		}
		if err != nil {
			status, kind := http.StatusForbidden, "forbidden"
			if errors.Is(err, ErrUnauthorized) {
				status, kind = http.StatusUnauthorized, "unauthorized"
				w.Header().Set("WWW-Authenticate", `Bearer realm="groundtruth"`)
			}
			writeJSON(w, status, api.Error{Status: status, ErrorType: kind, Error: err.Error()})
			return
		}
		ctx, done := revocable(r.Context(), p)
		defer done()
		h.ServeHTTP(w, r.WithContext(WithPrincipal(ctx, p)))
	})
}

// Admin reports whether the caller's token has the admin scope.
func (p *Principal) Admin() bool { return p != nil && p.admin }

// Steward reports whether the caller's token has the steward scope.
func (p *Principal) Steward() bool { return p != nil && p.steward }

// Datasets returns the datasets the caller may read: nil for every
// dataset ("*"), an empty list for none.
func (p *Principal) Datasets() []string {
	if p == nil {
		return []string{}
	}
	if p.all {
		return nil
	}
	out := make([]string, 0, len(p.sets))
	for d := range p.sets {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}
