package mcp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// TestHostileResourceCacheScope is round 2's F109: a token-scoped resource
// (a version's manifest) and the lists must say cacheScope "private", never
// the protocol's default "public", so no MCP gateway serves them to clients
// whose token cannot read them.
func TestHostileResourceCacheScope(t *testing.T) {
	srv, _ := fixture(t)
	mux := http.NewServeMux()
	mux.Handle("/mcp", srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{})))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	ctx := context.Background()
	tr := &sdk.StreamableClientTransport{Endpoint: hs.URL + "/mcp", HTTPClient: &http.Client{Transport: bearer{"agent-token", http.DefaultTransport}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "cache-test", Version: "1"}, nil).Connect(ctx, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	res, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: mcp.ResourcePrefix + "votes/versions/1/manifest"})
	if err != nil {
		t.Fatal(err)
	}
	if res.CacheScope != "private" {
		t.Errorf("resources/read of a manifest: cacheScope %q, want private", res.CacheScope)
	}
	list, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if list.CacheScope != "private" {
		t.Errorf("resources/templates/list: cacheScope %q, want private", list.CacheScope)
	}
}
