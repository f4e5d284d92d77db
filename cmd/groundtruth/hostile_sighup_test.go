package main

import (
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// reloadConfig is signalConfig with the data API on the daemon's listener
// and the tokens of the reload test.
const reloadConfig = signalConfig + `serve:
  metrics: public
  tokens:
{{.Tokens}}`

// reloadToken is one serve.tokens entry of reloadConfig.
func reloadToken(name, text, scopes string) string {
	h := serve.HashToken(text)
	return "    - {name: " + name + ", sha256: 0x" + hex.EncodeToString(h[:]) + ", datasets: [\"*\"]" + scopes + "}\n"
}

// TestHostileSIGHUP is the black-box attack F6: SIGHUP reloads the tokens
// and never stops the daemon; an edit of the configuration file is picked
// up without a signal; a removed token is refused on its next request
// (the data API and the admin endpoints share the tokens); a broken file
// keeps the tokens in force and says where it is broken; SIGTERM still
// takes the graceful stop.
func TestHostileSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	prices := startPrices(t, 240, -1)
	dir := t.TempDir()
	vals := map[string]any{"Prices": prices.RangeURL("comp"), "Start": pricesStart.Format(time.RFC3339),
		"End": pricesStart.Add(239 * time.Hour).Format(time.RFC3339)}
	both := reloadToken("ops", "gt-reload-ops", ", scopes: [admin]") + reloadToken("agent", "gt-reload-agent", "")
	vals["Tokens"] = both
	cfg := writeConfig(t, dir, reloadConfig, vals)
	p := startChild(t, "run", "-c", cfg, "--listen", "127.0.0.1:0")
	addr := boundAddr(t, stringerFunc(p.Output), p.Exited)
	status := func(tok, path string) int {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitStatus := func(what, tok, path string, want int) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			got := status(tok, path)
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: GET %s is %d, want %d\n%s", what, path, got, want, p.Output())
			}
		}
	}
	waitStatus("start", "gt-reload-agent", "/v1/datasets", http.StatusOK)
	waitStatus("start", "gt-reload-ops", "/runs", http.StatusOK)
	// F10: /metrics (serve.metrics: public) names the job to the admin token only.
	for tok, want := range map[string]bool{"": false, "gt-reload-agent": false, "gt-reload-ops": true} {
		if got := strings.Contains(get(t, "http://"+addr+"/metrics", tok), `job="comp-usd"`); got != want {
			t.Errorf("/metrics with token %q: job label shown %v, want %v", tok, got, want)
		}
	}

	_ = p.Signal(syscall.SIGHUP)
	if !p.WaitOutput(t, 10*time.Second, "reload", func(out string) bool {
		return strings.Contains(out, `msg="tokens reloaded" trigger=SIGHUP`)
	}) || p.Exited() {
		t.Fatalf("SIGHUP did not reload the tokens (or stopped the daemon)\n%s", p.Output())
	}

	// An edit (an editor's rename) removes agent: refused without a signal.
	vals["Tokens"] = reloadToken("ops", "gt-reload-ops", ", scopes: [admin]")
	next := writeConfig(t, t.TempDir(), reloadConfig, vals)
	if err := os.Rename(next, cfg); err != nil {
		t.Fatal(err)
	}
	waitStatus("agent removed", "gt-reload-agent", "/v1/datasets", http.StatusUnauthorized)
	waitStatus("ops kept", "gt-reload-ops", "/runs", http.StatusOK)

	// A broken file: the error names the file and line, ops still works,
	// and neither the edit nor a SIGHUP brings agent back or stops the daemon.
	broken := strings.Replace(readFile(t, cfg), "serve:\n", "serve:\n  tokens: [\n", 1) + both
	if err := os.WriteFile(cfg, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	if !p.WaitOutput(t, 10*time.Second, "refused reload", func(out string) bool {
		return strings.Contains(out, `msg="tokens not reloaded`) && strings.Contains(out, filepath.Base(cfg)+":")
	}) {
		t.Fatalf("a broken file was not reported with its name and line\n%s", p.Output())
	}
	_ = p.Signal(syscall.SIGHUP)
	time.Sleep(500 * time.Millisecond)
	if p.Exited() {
		t.Fatalf("SIGHUP with a broken file stopped the daemon\n%s", p.Output())
	}
	if got := status("gt-reload-agent", "/v1/datasets"); got != http.StatusUnauthorized {
		t.Errorf("agent after a refused reload: %d, want 401", got)
	}
	if got := status("gt-reload-ops", "/runs"); got != http.StatusOK {
		t.Errorf("ops after a refused reload: %d, want 200", got)
	}

	_ = p.Signal(syscall.SIGTERM)
	if code := p.Wait(t, 20*time.Second); code != 0 || !strings.Contains(p.Output(), `msg="daemon stopped"`) {
		t.Fatalf("SIGTERM after the reloads: exit %d (want 0 after the graceful stop)\n%s", code, p.Output())
	}
}

// get returns the body of a GET with bearer token tok ("" none).
func get(t *testing.T, url, tok string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
