package mcp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/serve"
	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/internal/servetest"
	"github.com/groundtruth-dao/groundtruth/serve/mcp"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

// fixture: votes@1 attested (catalog evidence), votes@2 sealed only.
func fixture(t *testing.T) (*serve.Server, *datasets.Manifest) {
	st := servetest.OpenStore(t, t.TempDir())
	m1 := servetest.Seal(t, st, "votes", 0, 600)
	servetest.MarkAttested(t, st, m1)
	servetest.Seal(t, st, "votes", 600, 700)
	srv, err := serve.New(context.Background(), serve.Config{Catalog: st, CacheDir: t.TempDir(),
		Tokens: []serve.Token{{Name: "agent", SHA256: serve.HashToken("agent-token"), Scope: serve.Scope{Datasets: []string{"votes"}, Rate: 1000}},
			{Name: "nobody", SHA256: serve.HashToken("other-token"), Scope: serve.Scope{Datasets: []string{"prices"}, Rate: 1000}}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, m1
}

// call calls a tool and returns its text contents and structured result.
func call(t *testing.T, cs *sdk.ClientSession, name string, args any) (string, map[string]any, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text []string
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text = append(text, tc.Text)
		}
	}
	var out map[string]any
	if res.StructuredContent != nil {
		b, _ := json.Marshal(res.StructuredContent)
		json.Unmarshal(b, &out)
	}
	return strings.Join(text, "\n"), out, res.IsError
}

// exercise runs every tool through a client session.
func exercise(t *testing.T, cs *sdk.ClientSession, m *datasets.Manifest) {
	tl, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tl.Tools {
		names = append(names, tool.Name)
	}
	if strings.Join(names, ",") != "describe_dataset,get_rows,list_datasets,query,verify_version" {
		t.Fatalf("tools %v", names)
	}
	root := m.MerkleRoot.String()
	text, _, isErr := call(t, cs, "list_datasets", map[string]any{})
	if isErr || !strings.Contains(text, "votes@1 (root "+root+")") {
		t.Fatalf("list_datasets: %s", text)
	}
	text, _, isErr = call(t, cs, "describe_dataset", map[string]any{"dataset": "votes"})
	if isErr || !strings.Contains(text, "latest attested version 1") || !strings.Contains(text, root) {
		t.Fatalf("describe_dataset: %s", text)
	}
	text, out, isErr := call(t, cs, "get_rows", map[string]any{"dataset": "votes", "indexes": []int{5, 599}})
	if isErr || out["merkleRoot"] != root || !strings.Contains(text, "2 rows of votes@1 (root "+root) {
		t.Fatalf("get_rows: %s", text)
	}
	b, _ := json.Marshal(out["rows"])
	var rows []api.Row
	if err := json.Unmarshal(b, &rows); err != nil || len(rows) != 2 {
		t.Fatalf("rows: %v %s", err, b)
	}
	for _, r := range rows {
		leaves, err := api.Leaves(datasetstest.VotesSchema(), []api.Values{r.Values})
		if err != nil || datasets.VerifyInclusion(leaves[0], r.Index, m.RowCount, r.Proof.Path, m.MerkleRoot) != nil {
			t.Fatalf("row %d does not verify: %v", r.Index, err)
		}
	}
	key := map[string]any{}
	for _, k := range []string{"chain_id", "tx_hash", "log_index"} {
		v, _ := rows[1].Values.Get(k)
		key[k] = v
	}
	if text, _, isErr = call(t, cs, "get_rows", map[string]any{"dataset": "votes", "key": key}); isErr || !strings.Contains(text, "1 rows") {
		t.Fatalf("get_rows by key: %s", text)
	}
	if text, _, isErr = call(t, cs, "get_rows", map[string]any{"dataset": "votes", "offset": 590, "limit": 50}); isErr || !strings.Contains(text, "10 rows") {
		t.Fatalf("get_rows range: %s", text)
	}
	text, _, isErr = call(t, cs, "query", map[string]any{"sql": `SELECT support, count(*) AS n FROM votes GROUP BY 1 ORDER BY 1`})
	if isErr || !strings.Contains(text, "3 rows over attested versions votes@1 (root "+root+")") {
		t.Fatalf("query: %s", text)
	}
	for form, want := range map[string]any{"": "600", "readable": "600", "canonical": float64(600)} {
		_, out, isErr := call(t, cs, "query", map[string]any{"sql": `SELECT count(*) FROM votes`, "values": form})
		if rows, _ := out["rows"].([]any); isErr || len(rows) != 1 || rows[0].([]any)[0] != want {
			t.Fatalf("query count(*) with values=%q: %v, want %#v", form, out, want)
		}
	}
	text, out, isErr = call(t, cs, "verify_version", map[string]any{"dataset": "votes", "version": 1})
	if isErr || out["ok"] != true || !strings.Contains(text, "votes@1 verified: root "+root) {
		t.Fatalf("verify_version: %s", text)
	}
	for _, bad := range []struct {
		tool string
		args map[string]any
		says string
	}{
		{"get_rows", map[string]any{"dataset": "votes", "version": 2, "indexes": []int{1}}, "not attested"},
		{"get_rows", map[string]any{"dataset": "votes"}, "limit of 1 to 100"},
		{"query", map[string]any{"sql": "COPY (SELECT 1) TO '/tmp/x'"}, "single SELECT"},
		{"query", map[string]any{"sql": `SELECT * FROM "votes@2"`}, "does not exist"},
		{"query", map[string]any{"sql": `SELECT 1`, "values": "pretty"}, `values="pretty"`},
		{"verify_version", map[string]any{"dataset": "nope"}, "no dataset"},
	} {
		if text, _, isErr := call(t, cs, bad.tool, bad.args); !isErr || !strings.Contains(text, bad.says) {
			t.Errorf("%s %v: %s", bad.tool, bad.args, text)
		}
	}
}

// TestStdio exercises the stdio server through the SDK's client over
// in-process transports.
func TestStdio(t *testing.T) {
	srv, m := fixture(t)
	ct, st := sdk.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ss, err := mcp.NewStdio(srv).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test-agent", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	exercise(t, cs, m)
}

// bearer adds a token to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// TestStreamableHTTP exercises the HTTP endpoint behind the server's
// tokens: a token's dataset scope applies to every tool.
func TestStreamableHTTP(t *testing.T) {
	srv, m := fixture(t)
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	mux.Handle("/mcp", srv.ProtectProtocol("mcp", mcp.NewHTTPHandler(srv, mcp.SessionLimits{})))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	ctx := context.Background()
	connect := func(token string) (*sdk.ClientSession, error) {
		tr := &sdk.StreamableClientTransport{Endpoint: hs.URL + "/mcp", HTTPClient: &http.Client{Transport: bearer{token, http.DefaultTransport}}}
		cs, err := sdk.NewClient(&sdk.Implementation{Name: "test-agent", Version: "1"}, nil).Connect(ctx, tr, nil)
		if err == nil {
			t.Cleanup(func() { cs.Close() }) // before hs.Close, which waits for open streams
		}
		return cs, err
	}
	cs, err := connect("agent-token")
	if err != nil {
		t.Fatal(err)
	}
	exercise(t, cs, m)

	other, err := connect("other-token")
	if err != nil {
		t.Fatal(err)
	}
	if text, _, isErr := call(t, other, "get_rows", map[string]any{"dataset": "votes", "indexes": []int{1}}); !isErr || !strings.Contains(text, `no dataset "votes"`) {
		t.Fatalf("out-of-scope token: %s", text)
	}
	if text, _, isErr := call(t, other, "query", map[string]any{"sql": "SELECT count(*) FROM votes"}); !isErr || !strings.Contains(text, "does not exist") {
		t.Fatalf("out-of-scope SQL: %s", text)
	}
	if _, err := connect("wrong-token"); err == nil {
		t.Fatal("a wrong token connected")
	}
}
