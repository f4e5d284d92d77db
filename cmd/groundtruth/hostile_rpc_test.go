package main

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
)

// rpcSecrets are the secret parts of hostileRPC: user, password, the key
// in the path (shorter than the generic path-key rule catches) and the
// query key.
var rpcSecrets = []string{"rpcuser", "RpcPassw0rdXYZ", "PATHSECRETKEY", "RPCQUERYKEY"}

const hostileRPC = "http://rpcuser:RpcPassw0rdXYZ@127.0.0.1:9/v3/PATHSECRETKEY?apikey=RPCQUERYKEY"

func leaksRPC(s string) string {
	for _, sec := range rpcSecrets {
		if strings.Contains(s, sec) {
			return sec
		}
	}
	return ""
}

// TestHostileRPCKeyInPath is the black-box attack F9: an RPC endpoint with
// its key in the path (Infura /v3/KEY, Alchemy /v2/KEY) must never be
// printed beyond scheme://host[:port]: not in dialChain's error (which
// the run history and the journal record through the app's redactor), and
// not in any answer given without a token (/readyz, /v1, /mcp, /metrics
// say "chain unreachable", without any URL).
func TestHostileRPCKeyInPath(t *testing.T) {
	for _, rpc := range []string{hostileRPC, "http://127.0.0.1:9/v2/ALCHEMYKEY123", "http://127.0.0.1:9/v3/abcdef0123456789abcdef0123456789"} {
		red := redact.New()
		_, _, err := dialChain(context.Background(), rpc, red)
		if !errors.Is(err, attest.ErrChain) {
			t.Fatalf("%s: dialChain: %v", rpc, err)
		}
		msg := red.String(err.Error())
		if !strings.Contains(msg, "http://127.0.0.1:9") {
			t.Fatalf("the error does not name the endpoint's host: %s", msg)
		}
		for _, sec := range append(rpcSecrets, "ALCHEMYKEY123", "abcdef0123456789abcdef0123456789", "/v2/", "/v3/") {
			if strings.Contains(msg, sec) {
				t.Fatalf("%s: the recorded error holds %q: %s", rpc, sec, msg)
			}
		}
	}

	data := filepath.Join(t.TempDir(), "data")
	sealAttested(t, data, 20)
	s := startServe(t, "--data-dir", data, "serve", "--anonymous", "--interval", "200ms", "--rpc", hostileRPC,
		"--backend", "registry", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3")
	for _, p := range []struct{ method, path string }{{"GET", "/readyz"}, {"GET", "/v1/datasets"}, {"POST", "/mcp"}, {"GET", "/metrics"}} {
		code, body := s.get(t, p.method, p.path)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "chain unreachable") {
			t.Fatalf("%s %s: %d %s, want 503 saying chain unreachable", p.method, p.path, code, body)
		}
		if sec := leaksRPC(body); sec != "" || strings.Contains(body, "127.0.0.1:9") || strings.Contains(body, "://") {
			t.Fatalf("%s %s names the endpoint (%q): %s", p.method, p.path, sec, body)
		}
	}
	s.stop(t)
	if sec := leaksRPC(s.stderr.String()); sec != "" {
		t.Fatalf("serve's stderr holds %q: %s", sec, s.stderr)
	}
}
