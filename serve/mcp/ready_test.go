package mcp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

// TestRateCountsToolCalls: a token of rate 2 and burst 2 completes the
// SDK's handshake and lists its tools (protocol messages are not counted),
// makes two tool calls, and the third is refused as a tool error that says
// when to retry.
func TestRateCountsToolCalls(t *testing.T) {
	st := servetest.OpenStore(t, t.TempDir())
	servetest.MarkAttested(t, st, servetest.Seal(t, st, "votes", 0, 50))
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: t.TempDir(),
		Tokens: []serve.Token{{Name: "slow", SHA256: serve.HashToken("slow-token"), Scope: serve.Scope{Datasets: []string{"*"}, Rate: 2, Burst: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{})))
	t.Cleanup(hs.Close)
	tr := &sdk.StreamableClientTransport{Endpoint: hs.URL, HTTPClient: &http.Client{Transport: bearer{"slow-token", http.DefaultTransport}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test-agent", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err != nil {
		t.Fatalf("handshake with rate 2, burst 2: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	for i := 0; i < 3; i++ {
		if _, err := cs.ListTools(context.Background(), nil); err != nil {
			t.Fatalf("tools/list %d: %v", i, err)
		}
	}
	for i := 0; i < 2; i++ {
		if text, _, isErr := call(t, cs, "list_datasets", map[string]any{}); isErr {
			t.Fatalf("call %d: %s", i, text)
		}
	}
	text, _, isErr := call(t, cs, "list_datasets", map[string]any{})
	if !isErr || !strings.Contains(text, "rate limited") || !strings.Contains(text, "retry after") {
		t.Fatalf("third call within a second: %v %s", isErr, text)
	}
}

// startingService is a server that has not started until ready is closed.
type startingService struct {
	*serve.Server
	ready chan struct{}
}

func (s startingService) WaitStarted(ctx context.Context, max time.Duration) error {
	select {
	case <-s.ready:
		return nil
	case <-time.After(min(max, 200*time.Millisecond)):
		return serve.ErrStarting
	}
}

// TestStartingIsAnError: before the server has started a tool call is an
// explicit "starting" error, never an empty success; afterwards it answers.
func TestStartingIsAnError(t *testing.T) {
	srv, m := fixture(t)
	svc := startingService{Server: srv, ready: make(chan struct{})}
	ct, st := sdk.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ss, err := mcp.NewStdio(svc).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test-agent", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	for tool, args := range map[string]map[string]any{"list_datasets": {}, "describe_dataset": {"dataset": "votes"},
		"get_rows": {"dataset": "votes", "indexes": []int{0}}, "query": {"sql": "SELECT 1"}, "verify_version": {"dataset": "votes"}} {
		if text, _, isErr := call(t, cs, tool, args); !isErr || !strings.Contains(text, "starting") {
			t.Fatalf("%s before start: %v %s", tool, isErr, text)
		}
	}
	close(svc.ready)
	if text, _, isErr := call(t, cs, "list_datasets", map[string]any{}); isErr || !strings.Contains(text, "votes@1 (root "+m.MerkleRoot.String()+")") {
		t.Fatalf("after start: %s", text)
	}
}
