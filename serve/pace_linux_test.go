package serve

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"testing"
)

// TestPaceDownload: on a connection of NewHTTPServer's listener,
// paceDownload sets TCP_NOTSENT_LOWAT to streamUnsentBytes; without the
// connection in the context (an in-memory test server) it does nothing.
func TestPaceDownload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		withCtx bool
		want    int
	}{
		{"NewHTTPServer's connection", true, streamUnsentBytes},
		{"no connection in the context", false, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx := r.Context()
				if !tc.withCtx {
					ctx = t.Context()
				}
				paceDownload(ctx)
				c := r.Context().Value(connKey{}).(*limitedConn).Conn.(*net.TCPConn)
				rc, err := c.SyscallConn()
				if err != nil {
					t.Error(err)
					return
				}
				got, gerr := -1, error(nil)
				rc.Control(func(fd uintptr) { got, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpNotSentLowat) })
				if gerr != nil {
					t.Error(gerr)
				}
				fmt.Fprint(w, got)
			})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			hs, capped := NewHTTPServer(h, ln, Limits{}, nil, nil)
			done := make(chan struct{})
			go func() { defer close(done); hs.Serve(capped) }()
			defer func() { hs.Close(); <-done }()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Get("http://" + ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got, _ := strconv.Atoi(string(b))
			if tc.withCtx && got != tc.want {
				t.Fatalf("TCP_NOTSENT_LOWAT %d, want %d", got, tc.want)
			}
			if !tc.withCtx && got == streamUnsentBytes {
				t.Fatalf("TCP_NOTSENT_LOWAT set without the connection in the context")
			}
		})
	}
}
