package main

import (
	"fmt"
	"regexp"
	"testing"
	"time"
)

// boundRE finds the address a serve or daemon bound in its stderr: the
// "serving … on http://ADDR" line, or, while serve waits for a start that
// failed, "Listening on http://ADDR".
var boundRE = regexp.MustCompile(`(?:serving [^\n]*? on|Listening on) http://([0-9.]+:[0-9]+)`)

// boundAddr waits until out (the stderr of a serve or daemon started with
// --listen 127.0.0.1:0) names the address it bound and returns it
// (host:port). The server binds port 0 itself, so no other process can
// take the port between a choice and the bind. The test fails with out
// when ended reports that the process ended first, or after 60 s.
func boundAddr(t *testing.T, out fmt.Stringer, ended func() bool) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := boundRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		if ended() {
			t.Fatalf("the server ended before it named its address:\n%s", out)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not name its address in 60 s:\n%s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// endedOf reports whether a value was sent on done, putting it back for
// the test's own receive.
func endedOf[T any](done chan T) func() bool {
	return func() bool {
		select {
		case v := <-done:
			done <- v
			return true
		default:
			return false
		}
	}
}

// stringerFunc is a func() string as a fmt.Stringer.
type stringerFunc func() string

func (f stringerFunc) String() string { return f() }
