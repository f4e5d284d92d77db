package serve_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// reloadTokens are the tokens of the reload tests before the reload.
func reloadTokens(names ...string) []serve.Token {
	var toks []serve.Token
	for _, n := range names {
		toks = append(toks, serve.Token{Name: n, SHA256: serve.HashToken(hostileTokens[n]), Scope: serve.Scope{Datasets: []string{"*"}, Rate: 1e5, Burst: 1e5}})
	}
	return toks
}

// newReloadable is the hostile harness with a reloadable token set (and
// limits lim, the defaults when none).
func newReloadable(t *testing.T, rows int, ts *serve.TokenSet, lim ...serve.Limits) *hostile {
	t.Helper()
	st := openTestStore(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	markAttested(t, st, seal(t, st, "votes", 0, rows))
	markAttested(t, st, seal(t, st, "other", 0, 10))
	cfg := serve.Config{Catalog: st, CacheDir: t.TempDir(), TokenSet: ts}
	if len(lim) > 0 {
		cfg.Limits = lim[0]
	}
	srv, err := serve.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := srv.Limits()
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	mux.Handle("/mcp", srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{Max: l.MCPSessions, PerToken: l.MCPSessionsPerToken, Idle: l.MCPSessionIdle})))
	hs, ln := serve.NewHTTPServer(mux, listen(t), l, nil, nil)
	done := make(chan struct{})
	go func() { defer close(done); hs.Serve(ln) }()
	t.Cleanup(func() {
		hs.Close()
		<-done
		srv.Close()
	})
	return &hostile{srv: srv, addr: ln.Addr().String(), base: "http://" + ln.Addr().String()}
}

// TestHostileTokenReload is F6 of the black-box attack: a token removed
// (or changed) by a reload is refused on its next request, its download in
// flight is cut (the client sees an error, never a clean end) and its MCP
// session is closed; unchanged tokens keep working and added ones work at
// once.
func TestHostileTokenReload(t *testing.T) {
	cases := []struct {
		name  string
		after []serve.Token
		// want is a's status after the reload on /v1/datasets/votes.
		want int
	}{
		{"removed", reloadTokens("b", "c"), http.StatusUnauthorized},
		{"narrowed", append(reloadTokens("b", "c"), serve.Token{Name: "a", SHA256: serve.HashToken(hostileTokens["a"]),
			Scope: serve.Scope{Datasets: []string{"other"}}}), http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := serve.NewTokenSet(reloadTokens("a", "b"), nil)
			h := newReloadable(t, 20000, ts)
			if resp, _ := h.request(t, http.MethodGet, "c", "/v1/datasets", nil); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("c before the reload: %d, want 401", resp.StatusCode)
			}
			// a's download in flight: read its first line, then stop reading.
			req, _ := http.NewRequest(http.MethodGet, h.base+"/v1/datasets/votes/versions/1/data?format=jsonl", nil)
			req.Header.Set("Authorization", "Bearer "+hostileTokens["a"])
			// A tiny receive buffer: the server's writes block after a few KB.
			tr := &http.Transport{DialContext: (&net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
				return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
			}}).DialContext}
			defer tr.CloseIdleConnections()
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			if _, err := br.ReadString('\n'); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("a's download: %d %v", resp.StatusCode, err)
			}
			cs := h.mcpSession(t, "a")
			if _, failed := query(t, cs, "select 42"); failed {
				t.Fatal("a's MCP session failed before the reload")
			}

			ch := ts.Replace(tc.after, nil)
			if ch.Removed != 1 || ch.Kept != 1 || ch.Added != len(tc.after)-1 {
				t.Errorf("reload: %+v, want 1 removed, 1 kept, %d added", ch, len(tc.after)-1)
			}

			// The rest of the download ends in an error, not a clean EOF.
			errc := make(chan error, 1)
			go func() { _, err := io.Copy(io.Discard, br); errc <- err }()
			select {
			case err := <-errc:
				if err == nil {
					t.Error("a's download ended cleanly after its token was removed, want a cut body")
				}
			case <-time.After(20 * time.Second):
				t.Fatal("a's download still runs 20 s after its token was removed")
			}
			if _, failed := query(t, cs, "select 42"); !failed {
				t.Error("a's MCP session still answers after its token was removed")
			}
			for tok, want := range map[string]int{"a": tc.want, "b": http.StatusOK, "c": http.StatusOK} {
				if resp, body := h.request(t, http.MethodGet, tok, "/v1/datasets/votes", nil); resp.StatusCode != want {
					t.Errorf("%s after the reload: %d %s, want %d", tok, resp.StatusCode, body, want)
				}
			}
		})
	}
}

// TestTokenReloadAnonymous checks the anonymous scope follows a reload:
// turned off, requests without a token are refused at once.
func TestTokenReloadAnonymous(t *testing.T) {
	ts := serve.NewTokenSet(reloadTokens("a"), &serve.Scope{Datasets: []string{"other"}})
	h := newReloadable(t, 10, ts)
	if resp, _ := h.request(t, http.MethodGet, "", "/v1/datasets/other", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("anonymous before: %d", resp.StatusCode)
	}
	ts.Replace(reloadTokens("a"), nil)
	if resp, _ := h.request(t, http.MethodGet, "", "/v1/datasets/other", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous after it was removed: %d, want 401", resp.StatusCode)
	}
	if resp, _ := h.request(t, http.MethodGet, "a", "/v1/datasets/other", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("a after the reload: %d", resp.StatusCode)
	}
}
