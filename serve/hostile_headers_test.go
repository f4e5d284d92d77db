package serve_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// TestHostileMCPHeaders (attack G): every /mcp response is private to its
// token (Cache-Control private, no-cache), and an oversized body answers
// the JSON error envelope, not plain text.
func TestHostileMCPHeaders(t *testing.T) {
	h := newHostile(t, 10, serve.Limits{MaxBodyBytes: 4096}, serve.QueryLimits{})
	resp, b := h.initialize(t, "a")
	if resp.StatusCode != 200 {
		t.Fatalf("initialize: %d %s", resp.StatusCode, b)
	}
	sid := resp.Header.Get("Mcp-Session-Id")
	t.Cleanup(func() { h.request(t, http.MethodDelete, "a", "/mcp", nil, "Mcp-Session-Id", sid) })
	for _, tc := range []struct {
		name    string
		body    []byte
		headers []string
		status  int
	}{
		{"initialize", nil, nil, 200},
		{"tools/list", []byte(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`), []string{"Mcp-Session-Id", sid, "Mcp-Protocol-Version", "2025-06-18"}, 200},
		{"oversized body", append([]byte(`{"jsonrpc":"2.0","id":3,"method":"tools/list","x":"`), bytes.Repeat([]byte("x"), 8192)...), []string{"Mcp-Session-Id", sid}, 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := resp, b
			if tc.body != nil {
				hs := append([]string{"Content-Type", "application/json", "Accept", "application/json, text/event-stream"}, tc.headers...)
				resp, b = h.request(t, http.MethodPost, "a", "/mcp", tc.body, hs...)
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-cache") {
				t.Fatalf("Cache-Control %q", cc)
			}
			if tc.status == 200 {
				return
			}
			var e api.Error
			if err := json.Unmarshal(b, &e); err != nil || e.Status != tc.status || !strings.Contains(e.Error, "max_body_bytes") {
				t.Fatalf("not the JSON error envelope (%v): %q", err, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type %q", ct)
			}
		})
	}
}
