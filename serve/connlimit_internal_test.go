package serve

import (
	"errors"
	"net"
	"net/http"
	"os"
	"testing"
	"time"
)

// pipeListener hands out one end of a net.Pipe per Accept, n times, then
// fails as a closed listener does.
type pipeListener struct {
	net.Listener
	n int
}

func (p *pipeListener) Accept() (net.Conn, error) {
	if p.n == 0 {
		return nil, net.ErrClosed
	}
	p.n--
	c, peer := net.Pipe()
	peer.Close() // nothing is read from it; c's writes fail, which the limiter never does
	return c, nil
}

// TestConnLimiterVictims: at the cap, the connection displaced is the
// oldest that has sent no request (or waits on a stalled body), and only
// when there is none the keep-alive connection idle the longest; active
// connections are never displaced.
func TestConnLimiterVictims(t *testing.T) {
	// Steps per connection, in order: s = accepted and silent, k = served
	// (keep-alive, idle), a = busy with a request, b = served, then
	// waiting on a body.
	for _, tc := range []struct {
		name  string
		conns string // the state of each connection, oldest first, at the cap
		want  int    // index of the connection displaced by one more; -1: the new one is refused
	}{
		{"silent before keep-alive", "kks", 2},
		{"oldest silent first", "ksks", 1},
		{"only keep-alive: idle the longest", "kkk", 0},
		{"stalled body before keep-alive", "kbk", 1},
		{"busy ones are never displaced", "aak", 2},
		{"all busy: the new one is refused", "aa", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evicted := 0
			l := newConnLimiter(&pipeListener{n: len(tc.conns) + 1}, len(tc.conns), func() { evicted++ })
			cs := make([]*limitedConn, len(tc.conns))
			for i, st := range tc.conns {
				c, err := l.Accept()
				if err != nil {
					t.Fatal(err)
				}
				cs[i] = c.(*limitedConn)
				l.connState(c, http.StateNew)
				if st != 's' {
					l.connState(c, http.StateActive)
				}
				if st == 'k' || st == 'b' {
					l.connState(c, http.StateIdle)
				}
				if st == 'b' {
					l.connState(c, http.StateActive)
					l.waiting(cs[i], true)
				}
			}
			c, err := l.Accept() // the one connection more
			if (err == nil) != (tc.want >= 0) {
				t.Fatalf("accepting one more: %v", err)
			}
			if evicted != 1 {
				t.Fatalf("%d connections displaced or refused, want 1", evicted)
			}
			for i, lc := range cs {
				if open := lc.counted; open == (i == tc.want) {
					t.Errorf("connection %d (%c): still counted %v, want displaced %v", i, tc.conns[i], open, i == tc.want)
				}
			}
			if tc.want >= 0 { // the displaced one reads nothing more, whatever deadline is set after
				v := cs[tc.want]
				v.SetReadDeadline(time.Now().Add(time.Hour))
				if _, err := v.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
					t.Errorf("reading the displaced connection: %v, want %v", err, os.ErrDeadlineExceeded)
				}
			}
			if c != nil {
				if admitted := c.(*limitedConn).counted; !admitted {
					t.Error("the new connection is not counted")
				}
				c.Close()
			}
			for _, lc := range cs {
				lc.Close()
			}
		})
	}
}

// TestConnLimiterEvictWakesReader: a displaced connection whose reader is
// blocked (a TCP connection that sent nothing) is woken at once, and its
// peer sees it closed once the reader closes it.
func TestConnLimiterEvictWakesReader(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newConnLimiter(ln, 1, func() {})
	defer l.Close()
	first, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(time.Minute))
	read := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		c.Close()
		read <- err
	}()
	second, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	c2, err := l.Accept() // displaces the first
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	select {
	case err := <-read:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("the displaced connection's read: %v, want %v", err, os.ErrDeadlineExceeded)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the displaced connection's blocked read was not woken")
	}
	first.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := first.Read(make([]byte, 1)); err == nil {
		t.Fatal("the displaced connection's peer read data, want it closed")
	}
}
