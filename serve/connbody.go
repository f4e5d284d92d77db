package serve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"
)

// connKey carries a request's connection in its context (ConnContext), so
// the body bound can tell the connection limiter about it.
type connKey struct{}

func withConn(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// boundBodies bounds every request body of h, whatever the handler does
// with it: reading it has a deadline of timeout; a connection whose handler
// waits on the body counts as idle for the connection cap (a flood of
// stalled bodies is displaced like idle connections, so a probe still gets
// in); and a body the handler left unread is not drained after the
// response (net/http would wait up to the deadline for up to 256 KiB a
// client may never send): the connection is closed instead.
func (l *connLimiter) boundBodies(h http.Handler, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(timeout))
		lc, _ := r.Context().Value(connKey{}).(*limitedConn)
		b := &stallBody{ReadCloser: r.Body, l: l, c: lc}
		r.Body = b
		h.ServeHTTP(w, r)
		if !b.eof {
			_ = rc.SetReadDeadline(time.Now()) // close, do not drain
		}
	})
}

// stallBody marks its connection displaceable while a Read waits, and
// records whether the body was read to its end.
type stallBody struct {
	io.ReadCloser
	l   *connLimiter
	c   *limitedConn
	eof bool
}

// Read implements io.Reader.
func (b *stallBody) Read(p []byte) (int, error) {
	b.l.waiting(b.c, true)
	n, err := b.ReadCloser.Read(p)
	b.l.waiting(b.c, false)
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

// waiting moves an active connection onto the idle queue while its handler
// waits for body bytes, and off it again when the read returns.
func (l *connLimiter) waiting(c *limitedConn, on bool) {
	if c == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case !c.counted:
	case on && c.node.list == nil: // displaced first, like a connection that sent nothing
		l.idle.pushBack(&c.node)
	case !on && c.node.list != nil:
		c.node.unlink()
	}
}
