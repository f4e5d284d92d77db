package serve

import (
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
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
	// silentDone, when set, is called for each connection closed in
	// Accept because its deferred-accept wait ran out (dropSilentDeferred).
	silentDone func()

	// mu guards what follows and the queue fields of every limitedConn.
	// Nothing is allocated while it is held: a goroutine that allocates
	// during a garbage collection may be made to assist it, and every
	// request's state change would wait behind that.
	mu      sync.Mutex
	open    int                 // connections counted against max
	idle    ilist[*limitedConn] // connections that have sent no request yet, oldest first
	kept    ilist[*limitedConn] // keep-alive connections between requests, idle the longest first
	serving int                 // connections the http.Server has not closed yet
}

// limitedConn is a connection the limiter counts until it is closed.
type limitedConn struct {
	net.Conn
	l    *connLimiter
	once sync.Once

	// Guarded by l.mu: counted says the connection holds a place; node
	// links it in the queue it waits in while it may be displaced (l.idle
	// or l.kept), in none while it is busy.
	counted bool
	node    inode[*limitedConn]
	// displaced is set when the connection lost its place (evict).
	displaced atomic.Bool
}

// Read implements net.Conn; a displaced connection reads nothing more.
func (c *limitedConn) Read(p []byte) (int, error) {
	if c.displaced.Load() {
		return 0, os.ErrDeadlineExceeded
	}
	return c.Conn.Read(p)
}

// evict ends a displaced connection without waiting for it: its read
// fails at once (a past deadline wakes a blocked one; displaced fails the
// next, whatever deadline the http.Server sets meanwhile), and its own
// goroutine closes it as it would a timed-out one. Closing it here would
// block Accept until that goroutine had run, and every connection waiting
// in the listen queue with it.
func (c *limitedConn) evict() {
	c.once.Do(func() {}) // its place is already freed
	c.displaced.Store(true)
	_ = c.Conn.SetReadDeadline(time.Unix(1, 0))
}

// Close closes the connection and frees its place.
func (c *limitedConn) Close() error {
	c.once.Do(func() { c.l.forget(c) })
	return c.Conn.Close()
}

func newConnLimiter(ln net.Listener, max int, onEvict func()) *connLimiter {
	return &connLimiter{Listener: ln, max: max, onEvict: onEvict}
}

// dropSilentDeferred makes Accept close, at once, every connection the
// kernel hands over still silent at the end of its TCP_DEFER_ACCEPT wait
// (heldSilent), and call done for it. Only for a listener whose wait is at
// least the read-header timeout: such a connection has been silent longer
// than the server would wait for its headers. Closing it in Accept costs
// no goroutine, buffer, timer or place under the cap; a flood of silent
// connections whose waits end together would otherwise be accepted, and
// churned through the cap, all at once.
func (l *connLimiter) dropSilentDeferred(done func()) { l.silentDone = done }

// Accept returns the next connection, making room for it when at the cap.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.silentDone != nil && heldSilent(c) {
			c.Close()
			l.silentDone()
			continue
		}
		lc := &limitedConn{Conn: c, l: l}
		lc.node.owner = lc
		l.mu.Lock()
		var victim *limitedConn
		if l.open >= l.max {
			victim = l.victim()
		}
		admitted := l.open < l.max
		if admitted {
			l.open++
			lc.counted = true
			l.idle.pushBack(&lc.node) // new: idle until its first request
		}
		l.mu.Unlock()
		if victim != nil {
			victim.evict()
			l.onEvict()
		}
		if admitted {
			return lc, nil
		}
		c.Close()
		l.onEvict()
	}
}

// victim takes the connection to displace out of the queues and the
// count: the oldest that has sent nothing, else the keep-alive one idle
// the longest, else nil. l.mu is held.
func (l *connLimiter) victim() *limitedConn {
	for _, q := range []*ilist[*limitedConn]{&l.idle, &l.kept} {
		if q.head != nil {
			v := q.head.owner
			l.drop(v)
			return v
		}
	}
	return nil
}

// drop stops counting c. l.mu is held.
func (l *connLimiter) drop(c *limitedConn) {
	if c.counted {
		c.node.unlink()
		c.counted = false
		l.open--
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
	if !lc.counted {
		return
	}
	switch st {
	case http.StateActive:
		lc.node.unlink()
	case http.StateIdle: // a request was served: keep-alive from now on
		lc.node.unlink()
		l.kept.pushBack(&lc.node)
	case http.StateHijacked, http.StateClosed:
		l.drop(lc)
	}
}

// forget drops a closed connection.
func (l *connLimiter) forget(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drop(c)
}

// Serving returns the number of connections the http.Server still
// serves (their goroutines have not finished); tests wait for 0.
func (l *connLimiter) Serving() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.serving
}
