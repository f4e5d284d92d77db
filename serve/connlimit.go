package serve

import (
	"container/list"
	"net"
	"net/http"
	"sync"
)

// connLimiter caps the connections a listener holds open. At the cap, a
// new connection displaces an idle one: first the one that has waited the
// longest without sending a request, and only when there is none the
// keep-alive connection idle the longest (between requests). So a flood of
// idle connections cannot keep a probe or a well-behaved client out, nor
// close a well-behaved client's keep-alive connections (which would make it
// dial again, behind the flood, in the listen queue), and the process's
// file descriptors stay bounded; when every connection is busy with a
// request the new one is closed at once.
type connLimiter struct {
	net.Listener
	max     int
	onEvict func()

	mu      sync.Mutex
	conns   map[*limitedConn]*list.Element // nil element: active
	idle    *list.List                     // of *limitedConn that have sent no request yet, oldest first
	kept    *list.List                     // of keep-alive *limitedConn between requests, idle the longest first
	serving int                            // connections the http.Server has not closed yet
}

// limitedConn is a connection the limiter counts until it is closed.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	once sync.Once
	// in is the list the connection waits in while idle (l.idle or
	// l.kept); l.mu guards it.
	in *list.List
}

// Close closes the connection and frees its place.
func (c *limitedConn) Close() error {
	c.once.Do(func() { c.l.forget(c) })
	return c.Conn.Close()
}

func newConnLimiter(ln net.Listener, max int, onEvict func()) *connLimiter {
	return &connLimiter{Listener: ln, max: max, onEvict: onEvict, conns: map[*limitedConn]*list.Element{}, idle: list.New(), kept: list.New()}
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
			victim = l.victim()
		}
		admitted := len(l.conns) < l.max
		if admitted {
			lc.in = l.idle
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

// victim takes the connection to displace out of the lists: the oldest
// that has sent nothing, else the keep-alive one idle the longest, else
// nil. l.mu is held.
func (l *connLimiter) victim() *limitedConn {
	for _, q := range []*list.List{l.idle, l.kept} {
		if front := q.Front(); front != nil {
			v := front.Value.(*limitedConn)
			q.Remove(front)
			delete(l.conns, v)
			return v
		}
	}
	return nil
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
			lc.in.Remove(e)
			l.conns[lc] = nil
		}
	case http.StateIdle: // a request was served: keep-alive from now on
		if e != nil {
			lc.in.Remove(e)
		}
		lc.in = l.kept
		l.conns[lc] = l.kept.PushBack(lc)
	case http.StateHijacked, http.StateClosed:
		if e != nil {
			lc.in.Remove(e)
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
			c.in.Remove(e)
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
