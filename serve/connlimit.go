package serve

import (
	"container/list"
	"net"
	"net/http"
	"sync"
)

// connLimiter caps the connections a listener holds open. At the cap, a
// new connection displaces the one idle the longest (a connection that has
// not sent a request yet, or a keep-alive connection between requests), so
// a flood of idle connections cannot keep a probe or a well-behaved client
// out and the process's file descriptors stay bounded; when every
// connection is busy with a request the new one is closed at once.
type connLimiter struct {
	net.Listener
	max     int
	onEvict func()

	mu      sync.Mutex
	conns   map[*limitedConn]*list.Element // nil element: active
	idle    *list.List                     // of *limitedConn, idle the longest first
	serving int                            // connections the http.Server has not closed yet
}

// limitedConn is a connection the limiter counts until it is closed.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	once sync.Once
}

// Close closes the connection and frees its place.
func (c *limitedConn) Close() error {
	c.once.Do(func() { c.l.forget(c) })
	return c.Conn.Close()
}

func newConnLimiter(ln net.Listener, max int, onEvict func()) *connLimiter {
	return &connLimiter{Listener: ln, max: max, onEvict: onEvict, conns: map[*limitedConn]*list.Element{}, idle: list.New()}
}

// Accept returns the next connection, making room for it when at the cap.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		lc := &limitedConn{Conn: c, l: l}
		l.mu.Lock()
		var victim *limitedConn
		if len(l.conns) >= l.max {
			if front := l.idle.Front(); front != nil {
				victim = front.Value.(*limitedConn)
				l.idle.Remove(front)
				delete(l.conns, victim)
			}
		}
		admitted := len(l.conns) < l.max
		if admitted {
			l.conns[lc] = l.idle.PushBack(lc) // new: idle until its first request
		}
		l.mu.Unlock()
		if victim != nil {
			victim.once.Do(func() {})
			victim.Conn.Close()
			l.onEvict()
		}
		if admitted {
			return lc, nil
		}
		c.Close()
		l.onEvict()
	}
}

// connState follows the http.Server's view of each connection: active
// connections cannot be displaced, idle ones go to the back of the queue.
func (l *connLimiter) connState(c net.Conn, st http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch st {
	case http.StateNew:
		l.serving++
	case http.StateHijacked, http.StateClosed:
		l.serving--
	}
	e, known := l.conns[lc]
	if !known {
		return
	}
	switch st {
	case http.StateActive:
		if e != nil {
			l.idle.Remove(e)
			l.conns[lc] = nil
		}
	case http.StateIdle:
		if e != nil {
			l.idle.Remove(e)
		}
		l.conns[lc] = l.idle.PushBack(lc)
	case http.StateHijacked, http.StateClosed:
		if e != nil {
			l.idle.Remove(e)
		}
		delete(l.conns, lc)
	}
}

// forget drops a closed connection.
func (l *connLimiter) forget(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.conns[c]; ok {
		if e != nil {
			l.idle.Remove(e)
		}
		delete(l.conns, c)
	}
}

// Serving returns the number of connections the http.Server still
// serves (their goroutines have not finished); tests wait for 0.
func (l *connLimiter) Serving() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.serving
}
