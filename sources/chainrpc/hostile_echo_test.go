package chainrpc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHostileRPCEchoedPath is round 2's F102: a node (or gateway) that
// quotes its request path or query in a JSON-RPC error must not get the
// key in it printed: the client masks the URL's parts in the node's text
// (message and data), whatever the key's shape (Infura 32 hex, Ankr 64
// hex, a free-form token).
func TestHostileRPCEchoedPath(t *testing.T) {
	noLeaks(t)
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "error": map[string]any{"code": -32000,
			"message": "upstream failure at " + r.URL.RequestURI() + " for eth_chainId", "data": "project " + r.URL.Path}})
		w.Write(b)
	}))
	defer node.Close()
	for _, tc := range []struct{ name, path, secret string }{
		{"infura", "/v3/9aa3d95b3bc440fa88ea12eaa4456161", "9aa3d95b3bc440fa88ea12eaa4456161"},
		{"ankr", "/eth/fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", "fedcba9876543210"},
		{"token", "/rpc/s3cr3tTokenXYZ", "s3cr3tTokenXYZ"},
		{"query", "/rpc?apikey=QUERYKEY456", "QUERYKEY456"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testClient(t, node.URL+tc.path, nil)
			_, err := c.ChainID(context.Background())
			if err == nil {
				t.Fatal("the node's error was not returned")
			}
			if strings.Contains(err.Error(), tc.secret) || !strings.Contains(err.Error(), "upstream failure at") {
				t.Errorf("the node's echo is printed with the key (or not at all): %v", err)
			}
		})
	}
}
