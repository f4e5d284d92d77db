package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestServeTokenReloadOnEdit is F6 for `groundtruth serve`: saving the
// configuration without a token revokes it within the poll (2 s), and
// /metrics (serve.metrics: admin) follows the reloaded tokens too.
func TestServeTokenReloadOnEdit(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	sealAttested(t, data, 10)
	cfg := filepath.Join(dir, "groundtruth.yaml")
	write := func(tokens string) {
		yaml := fmt.Sprintf("version: 1\ndata_dir: %s\nserve:\n  listen: 127.0.0.1:0\n  metrics: admin\n  tokens:\n%s", data, tokens)
		next := cfg + ".new"
		if err := os.WriteFile(next, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(next, cfg); err != nil {
			t.Fatal(err)
		}
	}
	ops := reloadToken("ops", "gt-serve-ops", ", scopes: [admin]")
	write(ops + reloadToken("agent", "gt-serve-agent", ""))
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		cmd := newRootCmd(&stdout, &stderr, func(string) string { return "" })
		cmd.SetArgs([]string{"serve", "--config", cfg, "--log-level", "error"})
		done <- exitCode(cmd.ExecuteContext(ctx))
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d\n%s", code, stderr.String())
		}
	}()
	addr := boundAddr(t, &stderr, endedOf(done))
	status := func(path, tok string) int {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	wait := func(what, path, tok string, want int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); status(path, tok) != want; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: GET %s is %d, want %d\n%s", what, path, status(path, tok), want, stderr.String())
			}
		}
	}
	wait("start", "/v1/datasets", "gt-serve-agent", http.StatusOK)
	wait("start", "/metrics", "gt-serve-ops", http.StatusOK)
	wait("start", "/metrics", "gt-serve-agent", http.StatusForbidden)
	write(ops)
	wait("agent removed", "/v1/datasets", "gt-serve-agent", http.StatusUnauthorized)
	wait("agent removed", "/metrics", "gt-serve-agent", http.StatusUnauthorized)
	wait("ops kept", "/metrics", "gt-serve-ops", http.StatusOK)
}
