package serve

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Limits bound what clients can hold of the server: connections, time,
// header and body sizes, concurrent downloads and queries per token, the
// SQL slots and how long a query waits for one, the size of a query result
// and the MCP sessions. The zero value of a field takes its default
// (DefaultLimits); the defaults suit a 2-core host with 24 GiB of memory.
type Limits struct {
	// MaxConnections is the most connections the listener holds open; at
	// the cap the connection idle the longest is closed to admit a new
	// one, and a new one is refused when every connection is busy.
	MaxConnections int
	// DeferAccept leaves a new TCP connection in the kernel until its
	// first bytes arrive, for up to about this long (Linux's
	// TCP_DEFER_ACCEPT, which rounds it up to its SYN-ACK retransmission
	// schedule: 10 s becomes about 15 s); only then is it accepted and
	// counted against MaxConnections. Connections that send nothing so
	// cost the server no file descriptor, goroutine or place under the
	// cap, and a flood of them is not churned through the cap. When it is
	// at least ReadHeaderTimeout (as by default), a connection still
	// silent at the end of the wait is closed as soon as it is accepted:
	// it has waited longer than the server waits for headers. A negative
	// value turns it off; other systems ignore it.
	DeferAccept time.Duration
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout time.Duration
	// IdleTimeout closes a keep-alive connection idle this long.
	IdleTimeout time.Duration
	// WriteTimeout bounds each write of a response: a client that reads
	// nothing of a download for this long is dropped.
	WriteTimeout time.Duration
	// BodyTimeout bounds reading a request body (MCP's POSTs).
	BodyTimeout time.Duration
	// MaxHeaderBytes is the largest request header block.
	MaxHeaderBytes int
	// MaxBodyBytes is the largest request body.
	MaxBodyBytes int64
	// StreamsPerToken is the most downloads (data, segments) one token has
	// open at once; requests without a token share one count.
	StreamsPerToken int
	// QueriesPerToken is the most SQL queries one token has running or
	// waiting at once.
	QueriesPerToken int
	// QuerySlots is how many SQL queries run at once, for all tokens; they
	// are handed out round-robin per token, and one token holds at most
	// QuerySlots−1 of them (the only one when QuerySlots is 1). The default
	// is half the CPUs, at least 2, so one token's heavy queries never hold
	// every slot; each query runs on one DuckDB thread at nice 19.
	QuerySlots int
	// QueryMaxWait is how long a query waits for a slot before it is
	// refused as busy.
	QueryMaxWait time.Duration
	// MaxResultBytes bounds a query result's size (its JSON, roughly).
	MaxResultBytes int64
	// MCPSessions is the most live MCP sessions; MCPSessionsPerToken the
	// most of one token; MCPSessionIdle closes a session without requests
	// for that long.
	MCPSessions         int
	MCPSessionsPerToken int
	MCPSessionIdle      time.Duration
}

// DefaultLimits are the limits of fields left zero.
var DefaultLimits = Limits{
	MaxConnections:      4096,
	DeferAccept:         10 * time.Second,
	ReadHeaderTimeout:   10 * time.Second,
	IdleTimeout:         60 * time.Second,
	WriteTimeout:        30 * time.Second,
	BodyTimeout:         30 * time.Second,
	MaxHeaderBytes:      64 << 10,
	MaxBodyBytes:        1 << 20,
	StreamsPerToken:     8,
	QueriesPerToken:     4,
	QuerySlots:          max(2, runtime.NumCPU()/2),
	QueryMaxWait:        10 * time.Second,
	MaxResultBytes:      8 << 20,
	MCPSessions:         1000,
	MCPSessionsPerToken: 100,
	MCPSessionIdle:      10 * time.Minute,
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	def := func(v *int, dv int) {
		if *v <= 0 {
			*v = dv
		}
	}
	dur := func(v *time.Duration, dv time.Duration) {
		if *v <= 0 {
			*v = dv
		}
	}
	def(&l.MaxConnections, d.MaxConnections)
	if l.DeferAccept == 0 {
		l.DeferAccept = d.DeferAccept
	}
	dur(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	dur(&l.IdleTimeout, d.IdleTimeout)
	dur(&l.WriteTimeout, d.WriteTimeout)
	dur(&l.BodyTimeout, d.BodyTimeout)
	def(&l.MaxHeaderBytes, d.MaxHeaderBytes)
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	def(&l.StreamsPerToken, d.StreamsPerToken)
	def(&l.QueriesPerToken, d.QueriesPerToken)
	def(&l.QuerySlots, d.QuerySlots)
	dur(&l.QueryMaxWait, d.QueryMaxWait)
	if l.MaxResultBytes <= 0 {
		l.MaxResultBytes = d.MaxResultBytes
	}
	def(&l.MCPSessions, d.MCPSessions)
	def(&l.MCPSessionsPerToken, d.MCPSessionsPerToken)
	dur(&l.MCPSessionIdle, d.MCPSessionIdle)
	return l
}

// Limits returns the server's limits with defaults filled in.
func (s *Server) Limits() Limits { return s.lim }

// Metrics returns the server's metrics (nil when it records none).
func (s *Server) Metrics() *Metrics { return s.cfg.Metrics }

// tenant counts what one principal holds at once.
type tenant struct {
	streams atomic.Int64
	queries atomic.Int64
}

// tenants maps principals to their counts. Principals are made once per
// configured token (and one for anonymous requests), so the map is bounded;
// in-process principals (LocalPrincipal) have no bucket and no limits.
type tenants struct{ m sync.Map }

func (t *tenants) of(p *Principal) *tenant {
	if v, ok := t.m.Load(p); ok {
		return v.(*tenant)
	}
	v, _ := t.m.LoadOrStore(p, &tenant{})
	return v.(*tenant)
}

// hold takes one of a principal's max units of a kind (c is the counter);
// it returns the release function or an error wrapping ErrRateLimited.
func hold(p *Principal, c *atomic.Int64, max int, what, setting string) (func(), error) {
	if p == nil || p.bucket == nil {
		return func() {}, nil
	}
	if c.Add(1) > int64(max) {
		c.Add(-1)
		return nil, &retryError{after: time.Second, err: fmt.Errorf("%w: token %q has %d %s running, the limit is %d (serve.limits.%s); retry after 1 s",
			ErrRateLimited, p.Name, max, what, max, setting)}
	}
	var once sync.Once
	return func() { once.Do(func() { c.Add(-1) }) }, nil
}

// retryError is a refusal that names when to retry (the Retry-After header).
type retryError struct {
	after time.Duration
	err   error
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// RetryAfter returns the seconds a client should wait before retrying.
func (e *retryError) RetryAfter() int { return max(1, int((e.after+time.Second-1)/time.Second)) }

// setRetryAfter sets the Retry-After header when err names a delay.
func setRetryAfter(w http.ResponseWriter, err error) {
	var re interface{ RetryAfter() int }
	if errors.As(err, &re) {
		w.Header().Set("Retry-After", strconv.Itoa(re.RetryAfter()))
	}
}

// limitStreams wraps a download handler with the per-token stream cap.
func (s *Server) limitStreams(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.Method == http.MethodHead {
			return h(w, r)
		}
		p := PrincipalFrom(r.Context())
		release, err := hold(p, &s.tenants.of(p).streams, s.lim.StreamsPerToken, "downloads", "streams_per_token")
		if err != nil {
			setRetryAfter(w, err)
			s.cfg.Metrics.limited("streams")
			return err
		}
		defer release()
		return h(w, r)
	}
}

// newLimitsMetric counts refusals and drops by the limit that caused them.
func newLimitsMetric() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_serve_limited_total",
		Help: "Requests refused and connections dropped by a limit (streams, queries, query_wait, result_bytes, mcp_sessions, connections, silent_connections, body)."},
		[]string{"limit"})
}

func (m *Metrics) limited(limit string) { m.Limited(limit) }

// Limited counts one refusal or drop by the named limit (for limits kept
// outside this package, such as the MCP sessions). A nil *Metrics counts
// nothing.
func (m *Metrics) Limited(limit string) {
	if m != nil {
		m.limits.WithLabelValues(limit).Inc()
	}
}
