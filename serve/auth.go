package serve

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Scope is what a caller may read and how often.
type Scope struct {
	// Datasets are the readable dataset names; "*" is every dataset.
	Datasets []string
	// Rate is the sustained requests per second (0: 50).
	Rate float64
	// Burst is how many requests may arrive at once (0: 2 × Rate).
	Burst int
	// Admin grants the admin scope (ScopeAdmin): the daemon's /runs.
	Admin bool
	// Steward grants the steward scope (ScopeSteward): the console's API.
	Steward bool
}

// Token is a bearer token as configured: its name and the SHA-256 of its
// text (the text itself is never stored).
type Token struct {
	Name   string
	SHA256 [32]byte
	Scope  Scope
}

// HashToken returns the SHA-256 of a token's text, as the configuration
// stores it.
func HashToken(text string) [32]byte { return sha256.Sum256([]byte(text)) }

// Principal is the authenticated caller of a request.
type Principal struct {
	// Name is the token's name ("anonymous" without a token, "local" for
	// in-process callers such as the MCP stdio server).
	Name    string
	all     bool
	admin   bool
	steward bool
	sets    map[string]bool
	bucket  *bucket
	// protocol limits the MCP protocol messages that are not tool calls
	// (see Server.ProtectProtocol).
	protocol *bucket
	// gone ends when a token reload removed or changed the token (see
	// TokenSet.Replace); nil for principals no reload can remove.
	gone   context.Context
	revoke context.CancelFunc
	// requests are the running requests of the token, ended with gone.
	requests revokers
}

// Gone returns a context that ends when a token reload removes the
// caller's token or changes its scope: requests, streams and MCP sessions
// of the token end with it. The local principal's never ends.
func (p *Principal) Gone() context.Context {
	if p == nil || p.gone == nil {
		return context.Background()
	}
	return p.gone
}

// Allows reports whether the caller may read dataset.
func (p *Principal) Allows(dataset string) bool { return p != nil && (p.all || p.sets[dataset]) }

// LocalPrincipal may read every dataset without limits; it is for callers in
// the same process (the MCP server on stdio).
func LocalPrincipal() *Principal { return &Principal{Name: "local", all: true} }

func newPrincipal(name string, sc Scope, now func() time.Time) *Principal {
	p := &Principal{Name: name, admin: sc.Admin, steward: sc.Steward, sets: map[string]bool{}}
	p.gone, p.revoke = context.WithCancel(context.Background())
	for _, d := range sc.Datasets {
		if d == "*" {
			p.all = true
		}
		p.sets[d] = true
	}
	rate := sc.Rate
	if rate <= 0 {
		rate = 50
	}
	burst := sc.Burst
	if burst <= 0 {
		burst = int(math.Ceil(2 * rate))
	}
	p.bucket = newBucket(rate, float64(burst), now)
	prate, pburst := max(10*rate, 10), max(10*float64(burst), 50)
	p.protocol = newBucket(prate, pburst, now)
	return p
}

// Take counts one request (an HTTP request, or an MCP tool call) against
// the principal's rate; over it, the error wraps ErrRateLimited and says
// how long to wait. The local principal has no limit.
func (p *Principal) Take() error { return p.take(p.bucket, "requests") }

func (p *Principal) take(b *bucket, what string) error {
	if p == nil || b == nil {
		return nil
	}
	if ok, wait := b.take(); !ok {
		secs := max(int(math.Ceil(wait.Seconds())), 1)
		return &rateError{retry: secs, err: fmt.Errorf("%w: token %q allows %g %s per second; retry after %d s", ErrRateLimited, p.Name, b.rate, what, secs)}
	}
	return nil
}

// rateError carries the Retry-After seconds of a refusal.
type rateError struct {
	retry int
	err   error
}

func (e *rateError) Error() string { return e.err.Error() }
func (e *rateError) Unwrap() error { return e.err }

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller of ctx (nil when none).
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// authenticator maps bearer tokens to principals. Its table is replaced
// whole by a token reload, so a request sees either the old tokens or the
// new ones.
type authenticator struct {
	table atomic.Pointer[tokenTable]
	now   func() time.Time
	mu    sync.Mutex // serialises replace
}

// tokenTable is one generation of the configured tokens.
type tokenTable struct {
	tokens     []Token
	hashes     [][32]byte
	principals []*Principal
	anonScope  *Scope
	anonymous  *Principal
}

func newAuthenticator(tokens []Token, anon *Scope, now func() time.Time) *authenticator {
	a := &authenticator{now: now}
	a.replace(tokens, anon)
	return a
}

// TokenChange counts what a token reload did.
type TokenChange struct {
	// Kept are the tokens whose name, hash and scope did not change (their
	// rate limits carry on); Added are new; Removed were removed or changed
	// (their requests, streams and MCP sessions in flight are ended).
	Kept, Added, Removed int
}

// replace installs tokens and anon, keeping the principals of unchanged
// tokens and revoking the others.
func (a *authenticator) replace(tokens []Token, anon *Scope) TokenChange {
	a.mu.Lock()
	defer a.mu.Unlock()
	old := a.table.Load()
	prev := map[[32]byte]int{}
	if old != nil {
		for i, h := range old.hashes {
			prev[h] = i
		}
	}
	t := &tokenTable{tokens: tokens, anonScope: anon}
	var ch TokenChange
	kept := map[*Principal]bool{}
	for _, tok := range tokens {
		var p *Principal
		if i, ok := prev[tok.SHA256]; ok && sameToken(old.tokens[i], tok) {
			p = old.principals[i]
			kept[p] = true
			ch.Kept++
		} else {
			p = newPrincipal(tok.Name, tok.Scope, a.now)
			ch.Added++
		}
		t.hashes = append(t.hashes, tok.SHA256)
		t.principals = append(t.principals, p)
	}
	if anon != nil {
		if old != nil && old.anonymous != nil && sameScope(*old.anonScope, *anon) {
			t.anonymous = old.anonymous
			kept[t.anonymous] = true
		} else {
			t.anonymous = newPrincipal("anonymous", *anon, a.now)
		}
	}
	a.table.Store(t)
	if old != nil {
		for _, p := range append(old.principals, old.anonymous) {
			if p != nil && !kept[p] {
				if p != old.anonymous {
					ch.Removed++
				}
				p.revoke()
				p.requests.end()
			}
		}
	}
	return ch
}

func sameToken(a, b Token) bool {
	return a.Name == b.Name && a.SHA256 == b.SHA256 && sameScope(a.Scope, b.Scope)
}

func sameScope(a, b Scope) bool {
	return slices.Equal(a.Datasets, b.Datasets) && a.Rate == b.Rate && a.Burst == b.Burst && a.Admin == b.Admin && a.Steward == b.Steward
}

// authenticate returns the request's principal. The presented token is
// hashed and compared with every configured hash in constant time.
func (a *authenticator) authenticate(r *http.Request) (*Principal, error) {
	return a.authenticateAs(r, true)
}

// authenticateAs is authenticate; without anon a request without a token
// is refused even when the anonymous scope is configured.
func (a *authenticator) authenticateAs(r *http.Request, anon bool) (*Principal, error) {
	t := a.table.Load()
	h := r.Header.Get("Authorization")
	if h == "" {
		if anon && t.anonymous != nil {
			return t.anonymous, nil
		}
		return nil, fmt.Errorf("%w: send Authorization: Bearer TOKEN", ErrUnauthorized)
	}
	scheme, text, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || text == "" {
		return nil, fmt.Errorf("%w: the Authorization header must be Bearer TOKEN", ErrUnauthorized)
	}
	sum := HashToken(strings.TrimSpace(text))
	found := -1
	for i := range t.hashes {
		if subtle.ConstantTimeCompare(sum[:], t.hashes[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return nil, fmt.Errorf("%w: unknown token", ErrUnauthorized)
	}
	return t.principals[found], nil
}

// revocable returns ctx ended also when p's token is removed by a reload
// (see Principal.Gone), and the function that releases it.
func revocable(ctx context.Context, p *Principal) (context.Context, func()) {
	if p == nil || p.gone == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	remove := p.requests.add(cancel)
	return ctx, func() { remove(); cancel() }
}
