package chainrpc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestHostileRPCRedirectReferer is the black-box attack F4 on the JSON-RPC
// client: a node answering with a 307 to another host must not hand that
// host the endpoint's key through Referer (the key is in the path).
func TestHostileRPCRedirectReferer(t *testing.T) {
	noLeaks(t)
	var mu sync.Mutex
	var got []http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		w.Write([]byte(`{"jsonrpc":"2.0","id":1,"result":"0x7a69"}`))
	}))
	defer other.Close()
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/rpc", http.StatusTemporaryRedirect)
	}))
	defer node.Close()
	c := testClient(t, node.URL+"/v3/PATHSECRETKEY123?apikey=QUERYKEY456", nil)
	if _, err := c.ChainID(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 {
		t.Fatal("the redirect was not followed")
	}
	for _, h := range got {
		for name, vals := range h {
			v := strings.Join(vals, " ")
			if strings.Contains(v, "PATHSECRETKEY123") || strings.Contains(v, "QUERYKEY456") || strings.EqualFold(name, "Referer") {
				t.Errorf("the other host got %s: %s", name, v)
			}
		}
	}
}
