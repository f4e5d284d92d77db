package serve_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// peakRSS resets the process's peak resident size (clear_refs 5) and
// returns a function that reads how far the peak rose above the resident
// size at the reset, in bytes.
func peakRSS(t *testing.T) func() int64 {
	t.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("resetting the peak RSS: %v", err)
	}
	base := procStatus(t, "VmRSS:")
	return func() int64 { return procStatus(t, "VmHWM:") - base }
}

// procStatus reads a size field of /proc/self/status, in bytes.
func procStatus(t *testing.T, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == field {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// TestHostileOversizedQueryResult: a token scoped to another dataset asks
// for a 500 MB result (the reproduction reached 4.1 GB RSS); the query is
// stopped at the result byte limit with an error naming it, and the
// process stays far below that. A result under the limit is served.
func TestHostileOversizedQueryResult(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{MaxResultBytes: 4 << 20}, serve.QueryLimits{})
	cs := h.mcpSession(t, "scoped")
	for _, tc := range []struct {
		name, sql, want string
		fails           bool
	}{
		{"500 MB of repeat", "select repeat('x',1000) from range(500000)", "result too large: the result passed 4194304 bytes, the limit (serve.limits.max_result_bytes)", true},
		{"wide rows of a real table", "select *, repeat(voter, 1000) from other, range(4000)", "serve.limits.max_result_bytes", true},
		{"under the limit", "select repeat('x',1000) from range(1000)", "1000 rows over attested versions", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			peak := peakRSS(t)
			start := time.Now()
			text, failed := query(t, cs, tc.sql)
			if failed != tc.fails || !strings.Contains(text, tc.want) {
				t.Fatalf("failed=%v, want %v; text: %.300s", failed, tc.fails, text)
			}
			p := peak()
			if p > 512<<20 {
				t.Errorf("the peak RSS rose by %d MiB during the query, want under 512 MiB", p>>20)
			}
			t.Logf("%s in %s, peak RSS +%d MiB", tc.name, time.Since(start).Round(time.Millisecond), p>>20)
		})
	}
}

// TestHostileNeverReadingClients: JSONL downloads whose clients never
// read. A token holds at most StreamsPerToken downloads (the next gets 429
// with Retry-After), and a stalled download is dropped after WriteTimeout:
// the client never gets the end of the chunked body, and the token's
// downloads are free again.
func TestHostileNeverReadingClients(t *testing.T) {
	h := newHostile(t, 25000, serve.Limits{StreamsPerToken: 2, WriteTimeout: 400 * time.Millisecond}, serve.QueryLimits{})
	const path = "/v1/datasets/votes/versions/1/data?format=jsonl"
	stalled := []net.Conn{h.stalledGET(t, "a", path), h.stalledGET(t, "a", path)}
	time.Sleep(100 * time.Millisecond) // both are admitted and blocked in a write
	resp, body := h.request(t, http.MethodGet, "a", path, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), "serve.limits.streams_per_token") {
		t.Fatalf("third download: status %d, Retry-After %q, body %.200s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp, _ := h.request(t, http.MethodGet, "b", "/v1/datasets/votes/versions/1/rows/7", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("another token's row: status %d", resp.StatusCode)
	}
	time.Sleep(1500 * time.Millisecond) // several write timeouts without reading a byte
	for i, c := range stalled {
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		got, _ := io.ReadAll(c) // the server cut it: EOF or reset
		if bytes.HasSuffix(got, []byte("\r\n0\r\n\r\n")) {
			t.Fatalf("stalled download %d was served to its end (%d bytes): no write deadline", i, len(got))
		}
		if len(got) > 30<<20 {
			t.Fatalf("stalled download %d: %d bytes", i, len(got))
		}
	}
	// Dropped downloads give their places back.
	if resp, body := h.request(t, http.MethodGet, "a", path+"&rows=0-1", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("a download after the stalled ones were dropped: %d %.200s", resp.StatusCode, body)
	}
}

// TestHostileMCPInitializeFlood: initialize without end. A token gets at
// most MCPSessionsPerToken live sessions (429), all tokens together
// MCPSessions (503), both with Retry-After; idle sessions are closed after
// MCPSessionIdle, which frees their places.
func TestHostileMCPInitializeFlood(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{MCPSessions: 25, MCPSessionsPerToken: 10, MCPSessionIdle: 500 * time.Millisecond}, serve.QueryLimits{})
	flood := func(tok string, n int) (ok int, last *http.Response, body []byte) {
		for i := 0; i < n; i++ {
			resp, b := h.initialize(t, tok)
			if resp.StatusCode == http.StatusOK && resp.Header.Get("Mcp-Session-Id") != "" {
				ok++
				continue
			}
			last, body = resp, b
		}
		return ok, last, body
	}
	ok, last, body := flood("a", 15)
	if ok != 10 || last == nil || last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), "serve.limits.mcp_sessions_per_token") {
		t.Fatalf("token a: %d sessions opened, want 10, then 429: %v %s", ok, last, body)
	}
	if ok, _, _ := flood("b", 10); ok != 10 {
		t.Fatalf("token b: %d sessions, want 10", ok)
	}
	ok, last, body = flood("c", 10)
	if ok != 5 || last == nil || last.StatusCode != http.StatusServiceUnavailable || last.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), "serve.limits.mcp_sessions") {
		t.Fatalf("token c: %d sessions opened, want 5 (25 in all), then 503: %v %s", ok, last, body)
	}
	time.Sleep(1500 * time.Millisecond) // every session idles out
	if ok, _, _ := flood("a", 10); ok != 10 {
		t.Fatalf("after the idle timeout token a opened %d sessions, want 10", ok)
	}
	time.Sleep(1500 * time.Millisecond) // and those close before the leak check
}

// heavy is a query that runs until the query timeout stops it.
const heavy = "select sum(hash(i)) from range(1000000000000) t(i)"

// TestHostileHeavyQueriesVsSelect42: one token keeps the SQL slots busy
// with heavy queries while another runs `select 42`. Slots go round-robin
// by token, so the second token runs next instead of behind the first's
// queue; a token's excess queries are refused; a waiter gives up after
// the bounded wait with a busy error.
func TestHostileHeavyQueriesVsSelect42(t *testing.T) {
	t.Run("round robin", func(t *testing.T) {
		h := newHostile(t, 100, serve.Limits{QuerySlots: 2, QueriesPerToken: 4, QueryMaxWait: 20 * time.Second}, serve.QueryLimits{Timeout: 2 * time.Second})
		a, b := h.mcpSession(t, "a"), h.mcpSession(t, "b")
		var wg sync.WaitGroup
		texts := make([]string, 5)
		for i := range texts {
			wg.Add(1)
			go func() { defer wg.Done(); texts[i], _ = query(t, a, heavy) }()
			time.Sleep(30 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // one runs (a token holds at most QuerySlots-1 slots), three wait, one is refused
		start := time.Now()
		text, failed := query(t, b, "select 42 as answer")
		took := time.Since(start)
		wg.Wait()
		if failed || !strings.Contains(text, "42") {
			t.Fatalf("select 42: %s", text)
		}
		if took > 3500*time.Millisecond {
			t.Errorf("select 42 took %s behind the other token's queue; want about one heavy query (2s)", took)
		}
		refused := 0
		for _, s := range texts {
			if strings.Contains(s, "serve.limits.queries_per_token") {
				refused++
			}
		}
		if refused != 1 {
			t.Errorf("%d of token a's 5 queries refused by queries_per_token, want 1: %q", refused, texts)
		}
		t.Logf("select 42 answered in %s", took.Round(time.Millisecond))
	})
	t.Run("bounded wait", func(t *testing.T) {
		h := newHostile(t, 100, serve.Limits{QuerySlots: 1, QueryMaxWait: 300 * time.Millisecond}, serve.QueryLimits{Timeout: 4 * time.Second})
		a, b := h.mcpSession(t, "a"), h.mcpSession(t, "b")
		done := make(chan string, 1)
		go func() { s, _ := query(t, a, heavy); done <- s }()
		time.Sleep(300 * time.Millisecond)
		start := time.Now()
		text, failed := query(t, b, "select 42")
		took := time.Since(start)
		<-done
		if !failed || !strings.Contains(text, "server busy: no SQL slot became free within 300ms (serve.limits.query_max_wait") {
			t.Fatalf("select 42 while the only slot is busy: failed=%v %s", failed, text)
		}
		if took > 2*time.Second {
			t.Errorf("the refusal took %s, want about 300ms", took)
		}
	})
}

// TestHostileConnectionFlood: 1,500 connections that never send a byte
// against a cap of 64, with the kernel's deferred accept off (as on
// systems without it, or past its wait). The server keeps at most 64 open
// (it closes the idle ones, oldest first) and a request still answers
// quickly.
func TestHostileConnectionFlood(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{MaxConnections: 64, DeferAccept: -1}, serve.QueryLimits{})
	const n = 1500
	conns := dialSilent(t, h.addr, n)
	start := time.Now()
	resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil)
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("probe: %d %s", resp.StatusCode, body)
	}
	if took > time.Second {
		t.Errorf("probe took %s during the flood, want under 1s", took)
	}
	closed := 0
	deadline := time.Now().Add(3 * time.Second)
	for _, c := range conns {
		c.SetReadDeadline(deadline)
		if _, err := bufio.NewReader(c).ReadByte(); err != nil && !isTimeout(err) {
			closed++
		}
	}
	if open := n - closed; open > 64 {
		t.Fatalf("%d of %d idle connections still open, want at most 64 (%d closed)", open, n, closed)
	}
	t.Logf("probe answered in %s; %d of %d idle connections closed", took.Round(time.Millisecond), closed, n)
}

// TestHostileSilentConnectionsDeferred: with the default deferred accept,
// 1,500 connections that send nothing stay in the kernel's queue: none
// takes a place under a cap of 64 (none is displaced, so none is closed),
// a probe answers at once, and a silent connection that then sends a
// request is accepted and answered.
func TestHostileSilentConnectionsDeferred(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP_DEFER_ACCEPT is Linux's")
	}
	h := newHostile(t, 100, serve.Limits{MaxConnections: 64}, serve.QueryLimits{})
	const n = 1500
	conns := dialSilent(t, h.addr, n)
	start := time.Now()
	resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil)
	if took := time.Since(start); resp.StatusCode != http.StatusOK || took > time.Second {
		t.Fatalf("probe: %d in %s: %.200s", resp.StatusCode, took, body)
	}
	closed := 0
	deadline := time.Now().Add(2 * time.Second)
	for _, c := range conns[:200] {
		c.SetReadDeadline(deadline)
		if _, err := bufio.NewReader(c).ReadByte(); err != nil && !isTimeout(err) {
			closed++
		}
	}
	if closed > 0 {
		t.Fatalf("%d of the first 200 silent connections were closed: they were accepted and displaced", closed)
	}
	late := conns[0]
	late.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(late, "GET /v1/datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n", hostileTokens["a"])
	got, err := http.ReadResponse(bufio.NewReader(late), nil)
	if err != nil || got.StatusCode != http.StatusOK {
		t.Fatalf("a silent connection that then asks: %v %v", got, err)
	}
}

// TestHostileSilentConnectionsDropped: a connection still silent when its
// deferred-accept wait runs out is closed as it is accepted when the wait
// is at least read_header_timeout (it has waited longer than the server
// waits for headers): none of 100, against a cap of 64, reaches the HTTP
// server (no goroutine, no place under the cap) and a probe is answered.
// With a shorter wait it is served, and closed at read_header_timeout.
func TestHostileSilentConnectionsDropped(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP_DEFER_ACCEPT is Linux's")
	}
	for _, tc := range []struct {
		name       string
		readHeader time.Duration
		n          int // silent connections
		dropped    bool
	}{
		{"wait of read_header_timeout: closed on accept", time.Second, 100, true},
		{"shorter wait: served until read_header_timeout", 3 * time.Second, 50, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHostile(t, 100, serve.Limits{MaxConnections: 64, DeferAccept: time.Second, ReadHeaderTimeout: tc.readHeader}, serve.QueryLimits{})
			n := tc.n
			began := time.Now()
			conns := dialSilent(t, h.addr, n)
			var peak atomic.Int64
			stop := make(chan struct{})
			watched := make(chan struct{})
			go func() { // the most connections the HTTP server held at once
				defer close(watched)
				for {
					peak.Store(max(peak.Load(), int64(h.serving())))
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			closedBy := make([]time.Duration, 0, n)
			for _, c := range conns {
				c.SetReadDeadline(began.Add(tc.readHeader + 6*time.Second))
				if _, err := c.Read(make([]byte, 1)); err == nil || isTimeout(err) {
					t.Fatalf("a silent connection was not closed: %v", err)
				}
				closedBy = append(closedBy, time.Since(began))
			}
			close(stop)
			<-watched
			if tc.dropped && peak.Load() != 0 {
				t.Fatalf("%d silent connections reached the HTTP server at once; want none", peak.Load())
			}
			if !tc.dropped && (peak.Load() < int64(n) || closedBy[0] < tc.readHeader) {
				t.Fatalf("the HTTP server held at most %d silent connections, the first closed after %s; want them served until read_header_timeout (%s)",
					peak.Load(), closedBy[0].Round(time.Millisecond), tc.readHeader)
			}
			if resp, body := h.request(t, http.MethodGet, "a", "/v1/datasets", nil); resp.StatusCode != http.StatusOK {
				t.Fatalf("probe: %d %.200s", resp.StatusCode, body)
			}
		})
	}
}

// dialSilent opens n connections to addr that send nothing; they are
// closed when the test ends.
func dialSilent(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := 0; i < n; i++ {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	return conns
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestHostileRequestLimits: oversized headers and bodies are refused
// before they are buffered.
func TestHostileRequestLimits(t *testing.T) {
	h := newHostile(t, 100, serve.Limits{MaxHeaderBytes: 8 << 10, MaxBodyBytes: 64 << 10}, serve.QueryLimits{})
	big := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"` +
		strings.Repeat("x", 2<<20) + `","version":"1"}}}`
	for _, tc := range []struct {
		name    string
		method  string
		body    []byte
		headers []string
		status  int
	}{
		{"80 KB of headers", http.MethodGet, nil, []string{"X-Junk", strings.Repeat("j", 80<<10)}, http.StatusRequestHeaderFieldsTooLarge},
		{"2 MB MCP body", http.MethodPost, []byte(big), []string{"Content-Type", "application/json", "Accept", "application/json, text/event-stream"}, http.StatusRequestEntityTooLarge},
		{"a small request passes", http.MethodGet, nil, []string{"X-Small", "1"}, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/v1/datasets"
			if tc.method == http.MethodPost {
				path = "/mcp"
			}
			resp, body := h.request(t, tc.method, "a", path, tc.body, tc.headers...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.200s", resp.StatusCode, tc.status, body)
			}
		})
	}
}

// TestHostileConnectionFloodSparesKeepAlive: at the connection cap, a flood
// of connections that send nothing displaces each other, not a client's
// keep-alive connection that has been served (a well-behaved client would
// otherwise dial again behind the flood). The order of displacement is
// checked step by step in TestConnLimiterVictims.
func TestHostileConnectionFloodSparesKeepAlive(t *testing.T) {
	const maxConns, silent = 4, 1500
	h := newHostile(t, 100, serve.Limits{MaxConnections: maxConns, DeferAccept: -1}, serve.QueryLimits{})
	kept := dialKeepAlive(t, h)
	if err := kept.ask(h); err != nil {
		t.Fatalf("keep-alive connection, first request: %v", err)
	}
	for i := 0; i < silent; i++ {
		c, err := net.DialTimeout("tcp", h.addr, 5*time.Second)
		if err != nil {
			t.Fatalf("silent connection %d: %v", i, err)
		}
		defer c.Close()
	}
	if err := kept.ask(h); err != nil {
		t.Fatalf("keep-alive connection, second request after %d silent connections against a cap of %d: %v", silent, maxConns, err)
	}
}

// keepAliveConn is one HTTP/1.1 connection reused for several requests.
type keepAliveConn struct {
	c  net.Conn
	rd *bufio.Reader
}

func dialKeepAlive(t *testing.T, h *hostile) *keepAliveConn {
	c, err := net.DialTimeout("tcp", h.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &keepAliveConn{c: c, rd: bufio.NewReader(c)}
}

// ask sends GET /v1/datasets on the connection and reads a 200 answer.
func (k *keepAliveConn) ask(h *hostile) error {
	k.c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprintf(k.c, "GET /v1/datasets HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", h.addr, hostileTokens["a"]); err != nil {
		return err
	}
	resp, err := http.ReadResponse(k.rd, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
