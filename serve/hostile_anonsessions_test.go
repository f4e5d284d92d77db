package serve_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileAnonymousSessions is round 2's F108: requests without a token
// share one principal, but their MCP sessions are counted per client
// address: one client holding its share of anonymous sessions does not
// lock another client out.
func TestHostileAnonymousSessions(t *testing.T) {
	ts := serve.NewTokenSet(nil, &serve.Scope{Datasets: []string{"*"}, Rate: 1e5, Burst: 1e5})
	h := newReloadable(t, 10, ts, serve.Limits{MCPSessions: 50, MCPSessionsPerToken: 2, MCPSessionIdle: time.Minute})
	send := func(from, method, session string) *http.Response {
		t.Helper()
		const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"anon","version":"1"}}}`
		req, _ := http.NewRequest(method, h.base+"/mcp", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
		}
		tr := &http.Transport{DisableKeepAlives: true, DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Timeout: 20 * time.Second, Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	type session struct{ from, id string }
	var open []session
	t.Cleanup(func() { // close the sessions (the leak check)
		for _, s := range open {
			send(s.from, http.MethodDelete, s.id)
		}
	})
	initialize := func(from string) int {
		t.Helper()
		resp := send(from, http.MethodPost, "")
		if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
			open = append(open, session{from, id})
		}
		return resp.StatusCode
	}
	for i, want := range []int{http.StatusOK, http.StatusOK, http.StatusTooManyRequests} {
		if got := initialize("127.0.0.1"); got != want {
			t.Fatalf("initialize %d from 127.0.0.1: %d, want %d", i, got, want)
		}
	}
	if got := initialize("127.0.0.2"); got != http.StatusOK {
		t.Fatalf("another client's initialize while the first holds its share: %d, want 200", got)
	}
}
