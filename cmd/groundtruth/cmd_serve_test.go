package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// sealAttested writes a votes version of rows into the data directory and
// records made-up registry evidence for it (the server trusts its catalog;
// the chain checks are tested in package serve).
func sealAttested(t *testing.T, dir string, rows int) *datasets.Manifest {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := st.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{Now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	rec := datasetstest.VotesBatch(nil, 0, rows)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	m, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	mh, _ := m.Hash()
	ev := attest.NewEvidence(attest.Target{Backend: attest.KindRegistry, ChainID: 31337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}, attest.StatementOf(m, mh))
	ev.Receipts = append(ev.Receipts, &attest.Receipt{Backend: attest.KindRegistry, TxHash: common.Hash(mh), Block: 1})
	doc, _ := ev.Marshal()
	if err := st.PutAttestation(ctx, "votes", m.Version, attest.KindRegistry, common.Hash(mh).Hex(), doc); err != nil {
		t.Fatal(err)
	}
	if err := st.SetVersionStatus(ctx, "votes", m.Version, attest.StatusAttested); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestServeCommand runs `groundtruth serve` with a token from `serve token`
// and reads /v1, /mcp and /metrics.
func TestServeCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	m := sealAttested(t, data, 300)
	out, _, code := runCLI(t, nil, "serve", "token", "--name", "agent", "--datasets", "votes")
	tok := regexp.MustCompile(`gt_[A-Za-z0-9_-]{43}`).FindString(out)
	if code != 0 || tok == "" || !strings.Contains(out, fmt.Sprintf("sha256: 0x%x", sha256.Sum256([]byte(tok)))) {
		t.Fatalf("serve token: %d %s", code, out)
	}
	cfg := filepath.Join(dir, "groundtruth.yaml")
	yaml := fmt.Sprintf("version: 1\ndata_dir: %s\nserve:\n  listen: 127.0.0.1:0\n  limits: {max_header_bytes: 4096}\n%s", data, out[strings.Index(out, "  tokens:"):])
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		cmd := newRootCmd(&stdout, &stderr, func(string) string { return "" })
		cmd.SetArgs([]string{"serve", "--config", cfg, "--log-level", "error"})
		done <- exitCode(cmd.ExecuteContext(ctx))
	}()
	addr := boundAddr(t, &stderr, endedOf(done))
	get := func(path, token string, header ...string) (int, []byte) {
		for i := 0; ; i++ {
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			if len(header) == 2 {
				req.Header.Set(header[0], header[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				if i > 200 {
					t.Fatalf("server did not start: %v\n%s", err, stderr.String())
				}
				time.Sleep(25 * time.Millisecond)
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, b
		}
	}
	if code, b := get("/v1/datasets/votes/versions/latest/rows/7", tok); code != 200 || !strings.Contains(string(b), m.MerkleRoot.String()) {
		t.Fatalf("row: %d %s", code, b)
	}
	if code, _ := get("/v1/datasets", tok, "X-Junk", strings.Repeat("j", 32<<10)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("32 KiB of headers with serve.limits.max_header_bytes 4096: %d", code)
	}
	if code, b := get("/v1/datasets", ""); code != 401 {
		t.Fatalf("without a token: %d %s", code, b)
	}
	if code, b := get("/metrics", ""); code != 200 || !strings.Contains(string(b), "groundtruth_serve_requests_total") {
		t.Fatalf("metrics: %d", code)
	}
	if code, b := get("/healthz", ""); code != 200 || strings.TrimSpace(string(b)) != "ok" {
		t.Fatalf("healthz: %d %s", code, b)
	}
	if code, b := get("/readyz", ""); code != 200 || !strings.Contains(string(b), `"ready":true`) {
		t.Fatalf("readyz: %d %s", code, b)
	}
	var list api.DatasetList
	if _, b := get("/v1/datasets", tok); json.Unmarshal(b, &list) != nil || len(list.Datasets) != 1 {
		t.Fatalf("datasets: %s", b)
	}
	cancel()
	select {
	case c := <-done:
		if c != 0 {
			t.Fatalf("serve exited %d: %s", c, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeMCPLocal runs the --mcp-stdio path (the API built from a
// configuration, MCP on a local transport) and calls a tool with the SDK's
// client over pipes.
func TestServeMCPLocal(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	m := sealAttested(t, data, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &app{stdout: io.Discard, stderr: io.Discard, red: redact.New(), getenv: func(string) string { return "" }, dataDir: data, logLevel: "error"}
	apiSrv, err := a.NewAPIServer(ctx, &config.Config{DataDir: data}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer apiSrv.Close()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- runMCP(ctx, apiSrv.Server, &sdk.IOTransport{Reader: sr, Writer: sw}) }()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "agent", Version: "1"}, nil).Connect(ctx, &sdk.IOTransport{Reader: cr, Writer: cw}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "get_rows", Arguments: map[string]any{"dataset": "votes", "indexes": []int{3}}})
	if err != nil || res.IsError || !strings.Contains(res.Content[0].(*sdk.TextContent).Text, m.MerkleRoot.String()) {
		t.Fatalf("get_rows: %v %+v", err, res)
	}
	cs.Close()
	select {
	case err := <-done:
		if err != nil && !strings.Contains(err.Error(), "closed") && !errors.Is(err, io.EOF) {
			t.Fatalf("the MCP server ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the MCP server did not stop when the client closed")
	}
}
