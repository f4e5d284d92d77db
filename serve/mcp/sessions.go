package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// SessionLimits bound the streamable HTTP handler's sessions: a session
// without requests for Idle is closed, and a new session (initialize) is
// refused when Max are live (503, busy) or its token has PerToken live
// (429, rate limited); requests without a token are counted per client
// address. Zero fields take serve.DefaultLimits.
type SessionLimits struct {
	Max, PerToken int
	Idle          time.Duration
	// Metrics counts refused sessions (limit "mcp_sessions"); nil counts
	// nothing.
	Metrics *serve.Metrics
}

func (l SessionLimits) withDefaults() SessionLimits {
	d := serve.DefaultLimits
	if l.Max <= 0 {
		l.Max = d.MCPSessions
	}
	if l.PerToken <= 0 {
		l.PerToken = d.MCPSessionsPerToken
	}
	if l.Idle <= 0 {
		l.Idle = d.MCPSessionIdle
	}
	return l
}

// sessionCap admits new sessions within the limits and remembers which
// token opened each live one.
type sessionCap struct {
	next http.Handler
	srv  *sdk.Server
	lim  SessionLimits

	mu      sync.Mutex
	owners  map[string]string      // session id → token name
	stops   map[string]func() bool // session id → stops watching its token's removal
	pending map[string]int         // initializes in flight by token name
}

func newSessionCap(next http.Handler, srv *sdk.Server, lim SessionLimits) *sessionCap {
	return &sessionCap{next: next, srv: srv, lim: lim, owners: map[string]string{}, stops: map[string]func() bool{}, pending: map[string]int{}}
}

// ServeHTTP implements http.Handler.
// A request naming a session (Mcp-Session-Id) passes only with the token
// that opened it: any other caller gets 404, as for an unknown session.
func (c *sessionCap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := "anonymous"
	p := serve.PrincipalFrom(r.Context())
	if p != nil {
		name = p.Name
	}
	if name == "anonymous" {
		// Callers without a token share one principal; their sessions are
		// counted (and owned) per client address, so one client cannot
		// hold every anonymous place (round 2 F108).
		name = "anonymous from " + clientHost(r)
	}
	if id := r.Header.Get("Mcp-Session-Id"); id != "" {
		if !c.ownedBy(id, name) {
			writeError(w, fmt.Errorf("%w: MCP session %q does not exist for this token; initialize a new one", serve.ErrNotFound, id))
			return
		}
		c.next.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodPost {
		c.next.ServeHTTP(w, r)
		return
	}
	if err := c.reserve(name); err != nil {
		c.lim.Metrics.Limited("mcp_sessions")
		w.Header().Set("Retry-After", "1")
		writeError(w, err)
		return
	}
	// The owner is recorded before the answer leaves, so the session's
	// next request finds it.
	c.next.ServeHTTP(&ownerWriter{ResponseWriter: w, record: func(id string) { c.own(id, name, p) }}, r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending[name]--; c.pending[name] == 0 {
		delete(c.pending, name)
	}
}

// ownedBy reports whether session id was opened by token name; a session
// this handler never saw opened has no owner and is refused.
func (c *sessionCap) ownedBy(id, name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	owner, ok := c.owners[id]
	return ok && owner == name
}

// own records that token name (principal p) opened session id; when a
// token reload removes p's token, the session is closed.
func (c *sessionCap) own(id, name string, p *serve.Principal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.owners[id] = name
	if p != nil {
		c.stops[id] = context.AfterFunc(p.Gone(), func() { c.closeSession(id) })
	}
}

// forget drops session id's owner; c.mu is held.
func (c *sessionCap) forget(id string) {
	delete(c.owners, id)
	if stop := c.stops[id]; stop != nil {
		stop()
		delete(c.stops, id)
	}
}

// closeSession closes live session id and forgets its owner.
func (c *sessionCap) closeSession(id string) {
	c.mu.Lock()
	c.forget(id)
	c.mu.Unlock()
	for ss := range c.srv.Sessions() {
		if ss.ID() == id {
			_ = ss.Close()
		}
	}
}

// clientHost is the IP address of r's peer.
func clientHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeError(w http.ResponseWriter, err error) {
	status, kind := serve.Classify(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(api.Error{Status: status, ErrorType: kind, Error: err.Error()})
}

// ownerWriter records the session id of an initialize answer when its
// header is written.
type ownerWriter struct {
	http.ResponseWriter
	record func(id string)
	done   bool
}

func (o *ownerWriter) note() {
	if !o.done {
		o.done = true
		if id := o.Header().Get("Mcp-Session-Id"); id != "" {
			o.record(id)
		}
	}
}

// WriteHeader implements http.ResponseWriter.
func (o *ownerWriter) WriteHeader(code int) {
	o.note()
	o.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (o *ownerWriter) Write(b []byte) (int, error) {
	o.note()
	return o.ResponseWriter.Write(b)
}

// Flush implements http.Flusher.
func (o *ownerWriter) Flush() {
	o.note()
	_ = http.NewResponseController(o.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (o *ownerWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

// reserve counts the live sessions (forgetting closed ones) and takes a
// place for a new one of token name.
func (c *sessionCap) reserve(name string) error {
	live := map[string]bool{}
	for ss := range c.srv.Sessions() {
		live[ss.ID()] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	total, mine := 0, c.pending[name]
	for _, n := range c.pending {
		total += n
	}
	for id, owner := range c.owners {
		if !live[id] {
			c.forget(id)
			continue
		}
		total++
		if owner == name {
			mine++
		}
	}
	switch {
	case mine >= c.lim.PerToken:
		return fmt.Errorf("%w: token %q has %d live MCP sessions, the limit is %d (serve.limits.mcp_sessions_per_token); close one (DELETE /mcp) or retry after it idles out (%s)",
			serve.ErrRateLimited, name, mine, c.lim.PerToken, c.lim.Idle)
	case total >= c.lim.Max:
		return fmt.Errorf("%w: %d live MCP sessions, the limit is %d (serve.limits.mcp_sessions); retry later",
			serve.ErrBusy, total, c.lim.Max)
	}
	c.pending[name]++
	return nil
}
