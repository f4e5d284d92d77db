package serve

import (
	"net"
	"testing"
	"time"
)

// TestHeldSilent: heldSilent tells a connection whose deferred-accept wait
// ran out (silent, its SYN-ACK retransmitted) from one accepted with its
// first bytes, from one accepted at once without any (as a SYN cookie's
// is under a flood: never dropped) and from one whose peer has closed.
func TestHeldSilent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wait  time.Duration
		send  string // what the client sends before the server accepts
		close bool   // the client closes before the server accepts
		want  bool
	}{
		{"wait ran out, silent", time.Second, "", false, true},
		{"deferred, then its request", time.Second, "GET / HTTP/1.1\r\n", false, false},
		{"deferred, then closed", time.Second, "", true, false},
		{"accepted at once, silent", 0, "", false, false},
		{"accepted at once, with its request", 0, "GET / HTTP/1.1\r\n", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			if set := deferAccept(ln, tc.wait); set != (tc.wait > 0) {
				t.Fatalf("deferAccept(%s) = %v", tc.wait, set)
			}
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if tc.send != "" {
				if _, err := c.Write([]byte(tc.send)); err != nil {
					t.Fatal(err)
				}
			}
			if tc.close {
				c.Close()
			}
			if tc.send != "" && tc.wait == 0 {
				time.Sleep(50 * time.Millisecond) // let the bytes arrive
			}
			began := time.Now()
			sc, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer sc.Close()
			if got := heldSilent(sc); got != tc.want {
				t.Fatalf("heldSilent = %v after %s in the kernel, want %v", got, time.Since(began).Round(time.Millisecond), tc.want)
			}
		})
	}
}
