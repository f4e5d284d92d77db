package serve

import (
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestConnLimiterResetsDropped: a connection the cap drops (the displaced
// idle one, or the new one when every connection is busy) is closed with a
// reset, so its peer reads ECONNRESET, not EOF, and the server keeps no
// FIN_WAIT or TIME_WAIT socket for it; the admitted connection still works.
func TestConnLimiterResetsDropped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		busy    bool // the first connection is busy with a request
		dropped int  // which dial the cap drops: 0 the first, 1 the second
	}{
		{"idle connection displaced", false, 0},
		{"all busy: the new one is refused", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			l := newConnLimiter(ln, 1, func() {})
			defer l.Close()
			accepted := make(chan net.Conn, 2)
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						close(accepted)
						return
					}
					accepted <- c
				}
			}()
			var peers [2]net.Conn
			for i := range peers {
				peers[i], err = net.Dial("tcp", ln.Addr().String())
				if i == tc.dropped && errors.Is(err, syscall.ECONNRESET) {
					return // refused before the dial completed: the reset came first
				}
				if err != nil {
					t.Fatal(err)
				}
				defer peers[i].Close()
				if i == 0 {
					first := <-accepted
					defer first.Close()
					l.connState(first, http.StateNew)
					if tc.busy {
						l.connState(first, http.StateActive)
					}
				}
			}
			if !tc.busy {
				defer func() { (<-accepted).Close() }()
			}
			peers[tc.dropped].SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = peers[tc.dropped].Read(make([]byte, 1))
			if !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("the dropped connection read %v, want ECONNRESET (a reset, not io.EOF: %v)", err, errors.Is(err, io.EOF))
			}
			kept := peers[1-tc.dropped]
			kept.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			if _, err := kept.Read(make([]byte, 1)); !errors.Is(err, syscall.ETIMEDOUT) && !isTimeout(err) {
				t.Fatalf("the admitted connection read %v, want a timeout (still open)", err)
			}
		})
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
