package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// bgServe is `groundtruth serve` running in the background on addr.
type bgServe struct {
	addr   string
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan int
}

// startServe runs groundtruth with args (serve is among them) listening on
// 127.0.0.1:0 and returns once it names the address it bound.
func startServe(t *testing.T, args ...string) *bgServe {
	t.Helper()
	s := &bgServe{stderr: &syncBuffer{}, done: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	cmd := newRootCmd(io.Discard, s.stderr, func(string) string { return "" })
	cmd.SetArgs(append(args, "--listen", "127.0.0.1:0", "--log-level", "error"))
	go func() { s.done <- exitCode(cmd.ExecuteContext(ctx)) }()
	t.Cleanup(func() { s.stop(t) })
	s.addr = boundAddr(t, s.stderr, endedOf(s.done))
	return s
}

// stop ends the server and returns its exit status.
func (s *bgServe) stop(t *testing.T) int {
	s.cancel()
	select {
	case c := <-s.done:
		s.done <- c
		return c
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

// get returns the status and body of a request, retrying while the server
// does not listen yet.
func (s *bgServe) get(t *testing.T, method, path string) (int, string) {
	t.Helper()
	for i := 0; ; i++ {
		req, _ := http.NewRequest(method, "http://"+s.addr+path, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			if i > 400 {
				t.Fatalf("serve does not listen: %v", err)
			}
			time.Sleep(25 * time.Millisecond)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
}

// TestServeHTTPStartupProblems: with a startup problem serve listens
// anyway; /readyz, /v1 and /mcp answer 503 naming the problem and its fix
// (without the data directory or the RPC URL's secret), /healthz answers,
// and once the problem is gone the server starts on the same address
// without a restart. Stopped before that, it exits with the problem's
// status.
func TestServeHTTPStartupProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  func(data string) []string
		setup func(t *testing.T, data string) (fix func())
		says  []string
		exit  int
	}{
		{"catalog missing, then restored",
			func(data string) []string {
				return []string{"--data-dir", data, "serve", "--anonymous", "--interval", "200ms"}
			},
			func(t *testing.T, data string) func() {
				aside := t.TempDir()
				files, _ := filepath.Glob(filepath.Join(data, store.CatalogFile+"*"))
				if len(files) == 0 {
					t.Fatalf("no %s in %s", store.CatalogFile, data)
				}
				for _, f := range files {
					if err := os.Rename(f, filepath.Join(aside, filepath.Base(f))); err != nil {
						t.Fatal(err)
					}
				}
				return func() {
					for _, f := range files {
						if err := os.Rename(filepath.Join(aside, filepath.Base(f)), f); err != nil {
							t.Error(err)
						}
					}
				}
			},
			[]string{"catalog rebuild", "fix: repair the catalog"}, 0},
		{"chain unreachable",
			func(data string) []string {
				return []string{"--data-dir", data, "serve", "--anonymous", "--interval", "200ms", "--rpc", "http://user:hunter2@127.0.0.1:9/rpc",
					"--backend", "registry", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3"}
			},
			func(*testing.T, string) func() { return nil },
			[]string{"fix: the chain's JSON-RPC endpoint", "did not answer"}, exitFailure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			m := sealAttested(t, data, 50)
			fix := tc.setup(t, data)
			s := startServe(t, tc.args(data)...)
			for _, p := range []struct{ method, path string }{{"GET", "/readyz"}, {"GET", "/v1/datasets"}, {"POST", "/mcp"}, {"GET", "/metrics"}} {
				code, body := s.get(t, p.method, p.path)
				if code != http.StatusServiceUnavailable || strings.Contains(body, data) || strings.Contains(body, "hunter2") {
					t.Fatalf("%s %s while not started: %d %s", p.method, p.path, code, body)
				}
				for _, want := range tc.says {
					if !strings.Contains(body, want) {
						t.Fatalf("%s %s: %s, want it to say %q", p.method, p.path, body, want)
					}
				}
				if p.path == "/v1/datasets" {
					var e api.Error
					if json.Unmarshal([]byte(body), &e) != nil || e.ErrorType != "unavailable" || e.Status != 503 {
						t.Fatalf("envelope: %s", body)
					}
				}
			}
			if code, body := s.get(t, "GET", "/healthz"); code != 200 {
				t.Fatalf("healthz while not started: %d %s", code, body)
			}
			if fix == nil {
				if code := s.stop(t); code != tc.exit {
					t.Fatalf("exit %d, want %d: %s", code, tc.exit, s.stderr)
				}
				if !strings.Contains(s.stderr.String(), "cannot serve yet") {
					t.Fatalf("stderr: %s", s.stderr)
				}
				return
			}
			fix()
			deadline := time.Now().Add(15 * time.Second)
			for {
				code, body := s.get(t, "GET", "/v1/datasets/votes/versions/latest/rows/7")
				if code == 200 && strings.Contains(body, m.MerkleRoot.String()) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("did not recover: %d %s\n%s", code, body, s.stderr)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if code, body := s.get(t, "GET", "/readyz"); code != 200 {
				t.Fatalf("readyz after the fix: %d %s", code, body)
			}
			if code := s.stop(t); code != tc.exit {
				t.Fatalf("exit %d, want %d: %s", code, tc.exit, s.stderr)
			}
		})
	}
}
