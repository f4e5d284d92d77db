package chainrpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/sources"
)

// scriptedServer answers requests with the given handlers in turn (the
// last one repeats) and counts them.
func scriptedServer(t *testing.T, handlers ...http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		i := int(n.Add(1)) - 1
		handlers[min(i, len(handlers)-1)](w, r)
	}))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv, &n
}

// noLeaks checks for leaked goroutines after the test's other cleanups
// (servers, transports) have run.
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

func reply(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) }
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", code) }
}

func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func testClient(t *testing.T, url string, mod func(*Options)) *Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	o := Options{URL: url, Source: "s", HTTP: &http.Client{Transport: tr}, Timeout: 200 * time.Millisecond, Retries: 3,
		BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond}
	if mod != nil {
		mod(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCall(t *testing.T) {
	noLeaks(t)
	ok := reply(`{"jsonrpc":"2.0","id":1,"result":"0x7a69"}`)
	tests := []struct {
		name     string
		handlers []http.HandlerFunc
		requests int64
		sentinel error
		msg      string
	}{
		{"ok", []http.HandlerFunc{ok}, 1, nil, ""},
		{"5xx then ok", []http.HandlerFunc{status(502), status(503), ok}, 3, nil, ""},
		{"timeout then ok", []http.HandlerFunc{hang, ok}, 2, nil, ""},
		{"5xx for ever", []http.HandlerFunc{status(500)}, 4, sources.ErrTransient, "gave up after 4 attempts"},
		{"timeouts for ever", []http.HandlerFunc{hang}, 4, ErrTimeout, "no answer"},
		{"rate limited then ok", []http.HandlerFunc{reply(`{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"rate limit exceeded"}}`), ok}, 2, nil, ""},
		{"unauthorised", []http.HandlerFunc{status(401)}, 1, sources.ErrConfig, "HTTP 401"},
		{"bad json", []http.HandlerFunc{reply(`{"jsonrpc":"2.0","id":1,"result":"0x7a69"`)}, 1, sources.ErrBadInput, "byte 41: unexpected end"},
		{"node error", []http.HandlerFunc{reply(`{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method eth_chainId does not exist"}}`)}, 1, sources.ErrConfig, "does not exist"},
		{"too large", []http.HandlerFunc{reply(`{"jsonrpc":"2.0","id":1,"result":"` + strings.Repeat("0", 2000) + `"}`)}, 1, ErrRangeTooLarge, "max_response_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scriptedServer(t, tt.handlers...)
			c := testClient(t, srv.URL+"/v2/SECRETKEY", func(o *Options) { o.MaxResponseBytes = 1024 })
			id, err := c.ChainID(context.Background())
			if tt.sentinel == nil {
				if err != nil || id != 31337 {
					t.Fatalf("ChainID = %d, %v", id, err)
				}
			} else if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want %v mentioning %q", err, tt.sentinel, tt.msg)
			}
			if err != nil && strings.Contains(err.Error(), "SECRETKEY") {
				t.Errorf("error %q shows the URL's secret", err)
			}
			if got := n.Load(); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
		})
	}
}

func TestCallCancel(t *testing.T) {
	noLeaks(t)
	srv, _ := scriptedServer(t, status(503))
	c := testClient(t, srv.URL, func(o *Options) { o.Retries, o.BackoffBase, o.BackoffMax = 100, time.Second, time.Second })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := c.ChainID(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > time.Second {
		t.Fatalf("error %v after %v, want the context's error promptly", err, time.Since(began))
	}
}

func TestRateLimit(t *testing.T) {
	noLeaks(t)
	srv, _ := scriptedServer(t, reply(`{"jsonrpc":"2.0","id":1,"result":null}`))
	c := testClient(t, srv.URL, func(o *Options) { o.RateLimit, o.Burst = 50, 1 })
	began := time.Now()
	for i := 0; i < 6; i++ {
		if _, err := c.HeaderByNumber(context.Background(), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(began); d < 90*time.Millisecond {
		t.Errorf("6 requests at 50/s took %v, want at least 100ms", d)
	}
}

func TestGetLogsChecksTheRange(t *testing.T) {
	noLeaks(t)
	srv, _ := scriptedServer(t, reply(fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"result":[%s]}`, goodLog)))
	c := testClient(t, srv.URL, nil)
	_, err := c.GetLogs(context.Background(), Filter{}, Range{From: 5, To: 9})
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "outside the requested range") || !strings.Contains(err.Error(), "blocks 5-9") {
		t.Fatalf("error %v", err)
	}
	logs, err := c.GetLogs(context.Background(), Filter{}, Range{From: 0, To: 9})
	if err != nil || len(logs.Logs) != 1 {
		t.Fatalf("GetLogs: %v, %v", logs, err)
	}
}
