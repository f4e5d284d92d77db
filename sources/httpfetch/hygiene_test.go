package httpfetch

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestUpstreamBodyIsEscaped: an error body with ESC and a newline is echoed
// with both escaped, so it can neither recolour a terminal nor forge a log
// line; keys in the query (appid) and in the path are masked.
func TestUpstreamBodyIsEscaped(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "bad\x1b[2J\ntime=2026-01-01 level=ERROR msg=\"forged line\"")
	})
	c := client(t, fast(), nil)
	_, err := c.Do(context.Background(), &Request{URL: srv.URL + "/v3/AbCdEfGhIjKlMnOpQrSt/prices?appid=app-s3cret"})
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\x1b\n") {
		t.Fatalf("raw control characters in %q", msg)
	}
	if !strings.Contains(msg, `bad\x1b[2J\ntime=`) {
		t.Fatalf("the body is not shown escaped: %q", msg)
	}
	if strings.Contains(msg, "app-s3cret") || strings.Contains(msg, "AbCdEfGhIjKlMnOpQrSt") {
		t.Fatalf("a key leaks: %q", msg)
	}
}
