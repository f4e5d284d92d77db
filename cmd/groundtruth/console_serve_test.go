package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeConsole runs `groundtruth serve` with serve.console on and off:
// the console's page and its API for a token made with `serve token
// --scopes steward`, a refusal for a token without the scope, and no
// console when the configuration does not turn it on.
func TestServeConsole(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	sealAttested(t, data, 50)
	token := func(args ...string) (string, string) {
		out, _, code := runCLI(t, nil, append([]string{"serve", "token"}, args...)...)
		tok := regexp.MustCompile(`gt_[A-Za-z0-9_-]{43}`).FindString(out)
		if code != 0 || tok == "" {
			t.Fatalf("serve token %v: %d %s", args, code, out)
		}
		return tok, out[strings.Index(out, "    - name:"):]
	}
	steward, stewardEntry := token("--name", "alice", "--scopes", "steward")
	agent, agentEntry := token("--name", "agent")
	if !strings.Contains(stewardEntry, `scopes: ["steward"]`) {
		t.Fatalf("the steward token's entry lacks its scope:\n%s", stewardEntry)
	}
	if _, errOut, code := runCLI(t, nil, "serve", "token", "--scopes", "root"); code == 0 || !strings.Contains(errOut, `want "admin" or "steward"`) {
		t.Fatalf("serve token --scopes root: %d %s", code, errOut)
	}
	tests := []struct {
		name    string
		console bool
		token   string
		path    string
		want    int
	}{
		{"page", true, "", "/console/", http.StatusOK},
		{"overview for a steward", true, steward, "/console/api/overview", http.StatusOK},
		{"overview for an agent", true, agent, "/console/api/overview", http.StatusForbidden},
		{"overview without a token", true, "", "/console/api/overview", http.StatusUnauthorized},
		{"console off", false, steward, "/console/api/overview", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(dir, "groundtruth.yaml")
			yaml := fmt.Sprintf("version: 1\ndata_dir: %s\nserve:\n  listen: 127.0.0.1:0\n  console: %v\n  tokens:\n%s%s", data, tt.console, stewardEntry, agentEntry)
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
			defer func() {
				cancel()
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					t.Fatal("serve did not stop")
				}
			}()
			addr := boundAddr(t, &stderr, endedOf(done))
			var resp *http.Response
			for i := 0; ; i++ {
				req, _ := http.NewRequest(http.MethodGet, "http://"+addr+tt.path, nil)
				if tt.token != "" {
					req.Header.Set("Authorization", "Bearer "+tt.token)
				}
				var err error
				if resp, err = http.DefaultClient.Do(req); err == nil {
					break
				}
				select {
				case c := <-done:
					done <- c
					t.Fatalf("serve exited %d:\n%s", c, stderr.String())
				default:
				}
				if i > 400 {
					t.Fatalf("serve did not start: %v\n%s", err, stderr.String())
				}
				time.Sleep(25 * time.Millisecond)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("GET %s: %d, want %d: %s", tt.path, resp.StatusCode, tt.want, b)
			}
			if tt.console && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Fatalf("no CSP: %v", resp.Header)
			}
			if tt.want == http.StatusOK && tt.token != "" {
				var ov struct {
					Datasets []struct {
						Name     string `json:"name"`
						Versions []struct {
							Status   string            `json:"status"`
							Receipts []json.RawMessage `json:"receipts"`
						} `json:"versions"`
					} `json:"datasets"`
					AttestationError string `json:"attestationError"`
				}
				if err := json.Unmarshal(b, &ov); err != nil || len(ov.Datasets) != 1 || ov.Datasets[0].Versions[0].Status != "attested" || ov.AttestationError == "" {
					t.Fatalf("overview: %v %s", err, b)
				}
			}
			if tt.console && !strings.Contains(stderr.String(), "steward console is at") {
				t.Fatalf("serve does not say where the console is:\n%s", stderr.String())
			}
		})
	}
}
