package serve_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// hostile is the real server (serve.NewHTTPServer, /v1 and /mcp) on
// 127.0.0.1 with the limits under test, for the hostile-client tests.
type hostile struct {
	srv  *serve.Server
	addr string
	base string
	// serving counts the connections the HTTP server serves (accepted
	// and not yet closed).
	serving func() int
}

// Tokens of the hostile harness: a, b and c read everything, scoped only
// the dataset "other".
var hostileTokens = map[string]string{"a": "gt-hostile-a", "b": "gt-hostile-b", "c": "gt-hostile-c", "scoped": "gt-hostile-scoped"}

// newHostile serves votes@1 (rows rows) and other@1 with lim and q.
func newHostile(t *testing.T, rows int, lim serve.Limits, q serve.QueryLimits) *hostile {
	t.Helper()
	st := openTestStore(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	markAttested(t, st, seal(t, st, "votes", 0, rows))
	markAttested(t, st, seal(t, st, "other", 0, 10))
	var toks []serve.Token
	for name, text := range hostileTokens {
		ds := []string{"*"}
		if name == "scoped" {
			ds = []string{"other"}
		}
		toks = append(toks, serve.Token{Name: name, SHA256: serve.HashToken(text), Scope: serve.Scope{Datasets: ds, Rate: 1e5, Burst: 1e5}})
	}
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: t.TempDir(), Tokens: toks, Limits: lim, Query: q})
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
		// Connection goroutines may linger (a refused body waits 500 ms
		// before the close): wait for them, for the leak check.
		for deadline := time.Now().Add(10 * time.Second); ln.(interface{ Serving() int }).Serving() > 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Errorf("%d connections still served after Close", ln.(interface{ Serving() int }).Serving())
				break
			}
		}
		srv.Close()
	})
	addr := ln.Addr().String()
	return &hostile{srv: srv, addr: addr, base: "http://" + addr, serving: ln.(interface{ Serving() int }).Serving}
}

// request sends a request with token name tok ("" none) and reads the body.
func (h *hostile) request(t *testing.T, method, tok, path string, body []byte, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, h.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+hostileTokens[tok])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	cl := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// initialize opens an MCP session with a raw initialize POST.
func (h *hostile) initialize(t *testing.T, tok string) (*http.Response, []byte) {
	t.Helper()
	const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}`
	return h.request(t, http.MethodPost, tok, "/mcp", []byte(body), "Content-Type", "application/json", "Accept", "application/json, text/event-stream")
}

// mcpSession connects an MCP client with token tok.
func (h *hostile) mcpSession(t *testing.T, tok string) *sdk.ClientSession {
	t.Helper()
	tr := &sdk.StreamableClientTransport{Endpoint: h.base + "/mcp",
		HTTPClient: &http.Client{Transport: bearerRT{hostileTokens[tok], &http.Transport{}}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "hostile-test", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// query runs the MCP query tool and returns its text and whether it failed.
func query(t *testing.T, cs *sdk.ClientSession, sql string) (string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "query", Arguments: map[string]any{"sql": sql}})
	if err != nil {
		return err.Error(), true
	}
	var text []string
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text = append(text, tc.Text)
		}
	}
	return strings.Join(text, "\n"), res.IsError
}

// bearerRT adds a token to every request.
type bearerRT struct {
	token string
	next  http.RoundTripper
}

func (b bearerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// stalledGET sends a GET on a connection with a tiny receive buffer and
// never reads the answer: the server's writes block once the socket
// buffers are full.
func (h *hostile) stalledGET(t *testing.T, tok, path string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", path, h.addr, hostileTokens[tok])
	return c
}
