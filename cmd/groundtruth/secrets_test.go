package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// The secret parts of the RPC endpoint the tests hide in ${RPC_URL}.
const (
	rpcPassword = "pa55-w0rd-x"
	rpcPathKey  = "KEYabc123def456ghi789jkl"
)

// deadRPC returns an RPC URL with credentials on a loopback listener that
// closes every connection it accepts (a listener it holds until the test
// ends: a closed port could be taken by another test meanwhile).
func deadRPC(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://user:" + rpcPassword + "@" + ln.Addr().String() + "/v2/" + rpcPathKey
}

// Bearer tokens of the secrets configuration and their SHA-256.
var testTokens = map[string]string{
	"admin-all":     "gt_test_admin_all_token",
	"admin-letters": "gt_test_admin_letters_token",
	"admin-other":   "gt_test_admin_other_token",
	"reader":        "gt_test_reader_token",
}

func tokenHash(name string) string {
	h := serve.HashToken(testTokens[name])
	return "0x" + hex.EncodeToString(h[:])
}

// adminServe is a serve: section with admin and plain tokens.
func adminServe() string {
	return fmt.Sprintf(`serve:
  listen: 127.0.0.1:0
  tokens:
    - {name: admin-all, sha256: "%s", datasets: ["*"], scopes: [admin]}
    - {name: admin-letters, sha256: "%s", datasets: [letters], scopes: [admin]}
    - {name: admin-other, sha256: "%s", datasets: [other], scopes: [admin]}
    - {name: reader, sha256: "%s", datasets: ["*"]}
`, tokenHash("admin-all"), tokenHash("admin-letters"), tokenHash("admin-other"), tokenHash("reader"))
}

// secretsConfig is lettersConfig with an attestation section whose
// endpoint comes from ${RPC_URL}: every run seals, then fails to reach the
// chain.
func secretsConfig() string {
	return lettersConfig + `attestation:
  backend: registry
  rpc_url: ${RPC_URL}
  chain_id: 31337
  registry: "0x00000000000000000000000000000000000000aa"
  stewards: ["0x00000000000000000000000000000000000000bb"]
  threshold: 1
` + adminServe()
}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range []string{rpcPassword, rpcPathKey} {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %q:\n%.3000s", where, s, text)
		}
	}
}

func getWithToken(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSecretsNeverPrinted: the RPC endpoint from ${RPC_URL} (user
// information and a key in the path) fails every run's attestation; it
// appears in no CLI error or output, no log line, not in the run history,
// /runs or /metrics.
func TestSecretsNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, secretsConfig())
	appendFile(t, filepath.Join(dir, "letters.csv"), "id,name\n1,a\n")
	env := map[string]string{"RPC_URL": deadRPC(t)}

	out, errOut, code := runCLI(t, env, "run", "--once", "-c", cfg, "--log-level", "debug")
	if code != exitRuns || !strings.Contains(out+errOut, "${RPC_URL}") {
		t.Fatalf("run --once: exit %d, want %d naming ${RPC_URL}:\n%s%s", code, exitRuns, out, errOut)
	}
	assertNoSecret(t, "run --once", out+errOut)
	out, errOut, _ = runCLI(t, env, "--data-dir", filepath.Join(dir, "data"), "runs", "--json")
	if !strings.Contains(out, `"outcome": "failed"`) {
		t.Fatalf("no failed run in the history:\n%s%s", out, errOut)
	}
	assertNoSecret(t, "the run history", out+errOut)
	_, errOut, code = runCLI(t, env, "attest", "letters@1", "-c", cfg, "--data-dir", filepath.Join(dir, "data"))
	if code == 0 {
		t.Fatalf("attest against a dead chain succeeded:\n%s", errOut)
	}
	assertNoSecret(t, "attest's error", errOut)

}

// echoingUpstream is a price API that fails every request with a body
// echoing the request line and headers (keys included), ESC and newlines.
func echoingUpstream(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad request \x1b[31m%s\nauth=%s", r.RequestURI, r.Header.Get("Authorization"))
	}))
	t.Cleanup(srv.Close)
	return "http://user:" + rpcPassword + "@" + strings.TrimPrefix(srv.URL, "http://") + "/api/v3/" + rpcPathKey + "/range?appid=" + rpcPassword
}

const pricesJob = `  - name: prices
    dataset: prices
    schedule: "@every 200ms"
    retries: 0
    source:
      kind: http_prices
      preset: coingecko_range
      url: ${PRICES_URL}
      start: 2024-03-01T00:00:00Z
      end: 2024-03-03T00:00:00Z
      window: 48h
      max_pages: 1
      http: {rate_limit: 0, attempts: 1}
`

// TestSecretsNeverPrintedByTheDaemon: a price API whose URL (from
// ${PRICES_URL}) has user information, a path key and appid fails with a
// body echoing them; the daemon's log, /runs and /metrics show none of
// them, and no raw ESC.
func TestSecretsNeverPrintedByTheDaemon(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, lettersConfig+pricesJob+adminServe())
	appendFile(t, filepath.Join(dir, "letters.csv"), "id,name\n1,a\n")
	env := map[string]string{"PRICES_URL": echoingUpstream(t)}
	d := startDaemonCLI(t, env, "run", "-c", cfg, "--log-level", "debug")
	waitFor(t, 20*time.Second, "a failed run in the daemon's history", func() bool {
		_, body := getWithToken(t, d.url+"/runs?job=prices", testTokens["admin-all"])
		return strings.Contains(body, `"outcome":"failed"`)
	})
	_, body := getWithToken(t, d.url+"/runs?job=prices", testTokens["admin-all"])
	assertNoSecret(t, "/runs", body)
	if !strings.Contains(body, "${PRICES_URL}") && !strings.Contains(body, "REDACTED") {
		t.Errorf("/runs does not show the masked endpoint: %s", body)
	}
	_, metrics := getWithToken(t, d.url+"/metrics", "")
	assertNoSecret(t, "/metrics", metrics)
	if code := d.stop(t); code != 0 {
		t.Fatalf("the daemon exited with %d:\n%s", code, d.errOut)
	}
	logs := d.errOut.String() + d.out.String()
	if !strings.Contains(logs, "level=WARN") {
		t.Fatalf("no log lines captured:\n%s", logs)
	}
	assertNoSecret(t, "the daemon's log", logs)
	if strings.Contains(logs, "\x1b") {
		t.Errorf("a raw ESC reached the log:\n%s", logs)
	}
}

// TestRunsNeedsAnAdminToken: /runs answers 401 without a token, 403 for a
// token without the admin scope, and only the token's datasets' runs;
// `runs --daemon` sends the token from $GROUNDTRUTH_TOKEN or --token-file.
func TestRunsNeedsAnAdminToken(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, lettersConfig+adminServe())
	appendFile(t, filepath.Join(dir, "letters.csv"), "id,name\n1,a\n")
	d := startDaemonCLI(t, nil, "run", "-c", cfg)
	waitFor(t, 20*time.Second, "a sealed run in the daemon's history", func() bool {
		_, body := getWithToken(t, d.url+"/runs", testTokens["admin-all"])
		return strings.Contains(body, `"outcome":"sealed"`)
	})
	tests := []struct {
		token      string
		status     int
		hasLetters bool
	}{
		{"", http.StatusUnauthorized, false},
		{"gt_unknown", http.StatusUnauthorized, false},
		{testTokens["reader"], http.StatusForbidden, false},
		{testTokens["admin-other"], http.StatusOK, false},
		{testTokens["admin-letters"], http.StatusOK, true},
		{testTokens["admin-all"], http.StatusOK, true},
	}
	for _, tc := range tests {
		status, body := getWithToken(t, d.url+"/runs", tc.token)
		if status != tc.status || strings.Contains(body, `"job":"letters"`) != tc.hasLetters {
			t.Errorf("token %q: %d %s, want %d with letters=%v", tc.token, status, body, tc.status, tc.hasLetters)
		}
	}
	if _, errOut, code := runCLI(t, nil, "runs", "--daemon", d.url); code != exitUsage || !strings.Contains(errOut, "admin scope") {
		t.Errorf("runs --daemon without a token: exit %d\n%s", code, errOut)
	}
	if out := mustRunEnv(t, map[string]string{"GROUNDTRUTH_TOKEN": testTokens["admin-letters"]}, "runs", "--daemon", d.url); !strings.Contains(out, "letters@1") {
		t.Errorf("runs --daemon with $GROUNDTRUTH_TOKEN printed:\n%s", out)
	}
	tf := filepath.Join(dir, "token")
	writeFile(t, tf, testTokens["admin-other"]+"\n")
	if out := mustRunEnv(t, nil, "runs", "--daemon", d.url, "--token-file", tf); strings.Contains(out, "letters@1") {
		t.Errorf("runs --daemon with another dataset's token printed:\n%s", out)
	}
}

func mustRunEnv(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, env, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

// TestRPCFromFileOrEnvironment: --rpc-file and $GROUNDTRUTH_RPC_URL give
// the endpoint without putting it in the process list; errors mask it
// whole; --rpc with --rpc-file is a usage error.
func TestRPCFromFileOrEnvironment(t *testing.T) {
	dir, _ := lettersOnce(t, "")
	data := filepath.Join(dir, "data")
	rpcFile := filepath.Join(dir, "rpc")
	writeFile(t, rpcFile, deadRPC(t)+"\n")
	base := []string{"--data-dir", data, "sign", "letters@1", "--backend", "registry",
		"--registry", "0x00000000000000000000000000000000000000aa", "--key", filepath.Join(dir, "none.json")}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		wantText string
	}{
		{"file", nil, []string{"--rpc-file", rpcFile}, exitFailure, "reading the chain id from REDACTED"},
		{"environment", map[string]string{"GROUNDTRUTH_RPC_URL": deadRPC(t)}, nil, exitFailure, "reading the chain id from ${GROUNDTRUTH_RPC_URL}"},
		{"both flags", nil, []string{"--rpc", "http://127.0.0.1:1", "--rpc-file", rpcFile}, exitUsage, "not both"},
		{"empty file", nil, []string{"--rpc-file", filepath.Join(dir, "letters.csv") + ".none"}, exitUsage, "--rpc-file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.env, append(append([]string{}, base...), tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.wantText) {
				t.Fatalf("exit %d, want %d with %q:\n%s%s", code, tc.code, tc.wantText, out, errOut)
			}
			assertNoSecret(t, "the error", out+errOut)
		})
	}
}
