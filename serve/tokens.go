package serve

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TokenSet is the bearer tokens (and the anonymous scope) of a process,
// shared by the data API, MCP, the console and the daemon's endpoints, and
// replaced whole by a reload (Replace) without a restart.
type TokenSet struct {
	auth    *authenticator
	reloads *prometheus.CounterVec
	count   prometheus.Gauge
}

// NewTokenSet returns a token set holding tokens; anon, when set, is the
// scope of requests without a token.
func NewTokenSet(tokens []Token, anon *Scope) *TokenSet {
	return newTokenSet(tokens, anon, time.Now)
}

func newTokenSet(tokens []Token, anon *Scope, now func() time.Time) *TokenSet {
	t := &TokenSet{auth: newAuthenticator(tokens, anon, now),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_serve_token_reloads_total",
			Help: "Token reloads (SIGHUP or a changed configuration file) by outcome (ok, failed)."}, []string{"outcome"}),
		count: prometheus.NewGauge(prometheus.GaugeOpts{Name: "groundtruth_serve_tokens",
			Help: "Bearer tokens configured now (after the last successful reload)."})}
	t.count.Set(float64(len(tokens)))
	return t
}

// Register adds the set's metrics (reloads by outcome, tokens configured)
// to reg.
func (t *TokenSet) Register(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{t.reloads, t.count} {
		if err := reg.Register(c); err != nil {
			return errors.Join(errors.New("registering token metrics"), err)
		}
	}
	return nil
}

// Replace installs a new generation of tokens atomically: a token whose
// name, hash and scope are unchanged keeps its rate limit; a removed or
// changed token is refused (401) from its next request on, and its
// requests in flight, downloads and MCP sessions are ended at once.
func (t *TokenSet) Replace(tokens []Token, anon *Scope) TokenChange {
	ch := t.auth.replace(tokens, anon)
	t.reloads.WithLabelValues("ok").Inc()
	t.count.Set(float64(len(tokens)))
	return ch
}

// ReloadFailed counts a reload that was refused (the tokens in use stay).
func (t *TokenSet) ReloadFailed() { t.reloads.WithLabelValues("failed").Inc() }

// Auth returns the set as a TokenAuth for endpoints outside the data API
// (requests without a token are never anonymous there).
func (t *TokenSet) Auth() *TokenAuth { return &TokenAuth{auth: t.auth} }
