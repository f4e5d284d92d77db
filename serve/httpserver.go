package serve

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// NewHTTPServer returns the http.Server for h with the limits' timeouts and
// header limit, and ln capped at lim.MaxConnections: serve the returned
// listener (srv.Serve(capped)). groundtruth serve and the daemon's listener
// both use it. m (nil: none) counts displaced connections.
func NewHTTPServer(h http.Handler, ln net.Listener, lim Limits, log *slog.Logger, m *Metrics) (*http.Server, net.Listener) {
	lim = lim.WithDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	deferred := deferAccept(ln, lim.DeferAccept)
	cl := newConnLimiter(ln, lim.MaxConnections, func() { m.limited("connections") })
	if deferred && lim.DeferAccept >= lim.ReadHeaderTimeout {
		cl.dropSilentDeferred(func() { m.limited("silent_connections") })
	}
	srv := &http.Server{
		Handler:           cl.boundBodies(h, lim.BodyTimeout),
		ConnContext:       withConn,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		IdleTimeout:       lim.IdleTimeout,
		// Each request starts with this write deadline; the API's
		// middleware moves it forward on every write of a response, so
		// a long download lives as long as the client keeps reading.
		WriteTimeout:   lim.WriteTimeout,
		MaxHeaderBytes: lim.MaxHeaderBytes,
		ConnState:      cl.connState,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return srv, cl
}

// deadlineWriter moves the connection's write deadline forward before
// writes, so each write of a response gets WriteTimeout: a client that
// stops reading is dropped once the socket buffers are full for that long.
type deadlineWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	until   time.Time
}

func newDeadlineWriter(w http.ResponseWriter, timeout time.Duration) *deadlineWriter {
	return &deadlineWriter{ResponseWriter: w, rc: http.NewResponseController(w), timeout: timeout}
}

// extend moves the deadline when less than 3/4 of the timeout is left (so
// that many small writes do not each reset a timer).
func (d *deadlineWriter) extend() {
	now := time.Now()
	if d.until.Sub(now) > d.timeout*3/4 {
		return
	}
	d.until = now.Add(d.timeout)
	_ = d.rc.SetWriteDeadline(d.until) // unsupported writers (tests' recorders) have no deadline
}

// Write implements http.ResponseWriter.
func (d *deadlineWriter) Write(b []byte) (int, error) {
	d.extend()
	return d.ResponseWriter.Write(b)
}

// WriteHeader implements http.ResponseWriter.
func (d *deadlineWriter) WriteHeader(code int) {
	d.extend()
	d.ResponseWriter.WriteHeader(code)
}

// Flush implements http.Flusher.
func (d *deadlineWriter) Flush() {
	d.extend()
	_ = d.rc.Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (d *deadlineWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }

// bound applies the per-request limits: write deadlines for the response,
// and a size limit and a read deadline for the body.
func (s *Server) bound(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request) {
	dw := newDeadlineWriter(w, s.lim.WriteTimeout)
	if r.Body != nil && r.Body != http.NoBody {
		_ = dw.rc.SetReadDeadline(time.Now().Add(s.lim.BodyTimeout))
		r.Body = &boundBody{ReadCloser: http.MaxBytesReader(w, r.Body, s.lim.MaxBodyBytes), rc: dw.rc, s: s}
	}
	return dw, r
}

// boundBody lifts the read deadline once the body is read (a long response
// must not be cut by it) and counts oversized bodies.
type boundBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	s    *Server
	done bool
}

func (b *boundBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			b.s.cfg.Metrics.limited("body")
		}
	}
	return n, err
}
