package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// daemonProc is a `groundtruth run` running in-process.
type daemonProc struct {
	out, errOut *syncBuffer
	cancel      context.CancelFunc
	done        chan int
	url         string
}

var servingRE = regexp.MustCompile(`serving .* on (http://\S+)`)

// startDaemonCLI runs the CLI with args until stop is called; it waits
// for the HTTP server's address when the daemon serves one.
func startDaemonCLI(t *testing.T, env map[string]string, args ...string) *daemonProc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &daemonProc{out: &syncBuffer{}, errOut: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		cmd := newRootCmd(p.out, p.errOut, func(k string) string { return env[k] })
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(ctx)
		if err != nil {
			fmt.Fprintln(p.errOut, "groundtruth:", err)
		}
		p.done <- exitCode(err)
	}()
	t.Cleanup(func() { p.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for p.url == "" {
		if m := servingRE.FindStringSubmatch(p.errOut.String()); m != nil {
			p.url = m[1]
			break
		}
		select {
		case code := <-p.done:
			p.done <- code
			t.Fatalf("the daemon exited with %d:\n%s%s", code, p.out, p.errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the daemon did not start:\n%s", p.errOut)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p
}

// stop cancels the daemon (a first SIGTERM) and returns its exit code.
func (p *daemonProc) stop(t *testing.T) int {
	t.Helper()
	p.cancel()
	select {
	case code := <-p.done:
		p.done <- code
		return code
	case <-time.After(60 * time.Second):
		t.Fatalf("the daemon did not stop:\n%s", p.errOut)
	}
	return -1
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// waitFor polls cond until it holds or fails the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const lettersConfig = `version: 1
data_dir: data
daemon:
  listen: 127.0.0.1:0
  shutdown_grace: 5s
jobs:
  - name: letters
    dataset: letters
    schedule: "@every 100ms"
    source:
      kind: file
      path: letters.csv
      header: true
      key: [id]
      columns:
        - {name: id, type: uint64}
        - {name: name, type: string}
`

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestRunOnceJobRunHistoryAndLock runs a file job with run --once, job
// run and the daemon; while the daemon holds the data directory another
// writer is refused (exit 5) and the history is read from the daemon.
func TestRunOnceJobRunHistoryAndLock(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "groundtruth.yaml")
	writeFile(t, cfg, lettersConfig+adminServe())
	csv := filepath.Join(dir, "letters.csv")
	appendFile(t, csv, "id,name\n1,a\n2,b\n")

	out := mustRun(t, "run", "--once", "-c", cfg)
	if !regexp.MustCompile(`letters\s+sealed\s+letters@1\s+2/2/0`).MatchString(out) {
		t.Fatalf("run --once printed:\n%s", out)
	}
	appendFile(t, csv, "3,c\n")
	if out := mustRun(t, "job", "run", "letters", "-c", cfg); !strings.Contains(out, "letters@2") {
		t.Fatalf("job run printed:\n%s", out)
	}
	if out := mustRun(t, "job", "list", "-c", cfg); !strings.Contains(out, "@every 100ms") {
		t.Fatalf("job list printed:\n%s", out)
	}
	data := filepath.Join(dir, "data")
	if out := mustRun(t, "--data-dir", data, "runs", "--json"); strings.Count(out, `"outcome": "sealed"`) != 2 || !strings.Contains(out, `"trigger": "once"`) {
		t.Fatalf("runs --json printed:\n%s", out)
	}

	d := startDaemonCLI(t, nil, "run", "-c", cfg, "--log-format", "json")
	appendFile(t, csv, "4,d\n5,e\n")
	waitFor(t, 10*time.Second, "letters@3 in the daemon's history", func() bool {
		_, body := getWithToken(t, d.url+"/runs?job=letters", testTokens["admin-letters"])
		return strings.Contains(body, `"version":3`)
	})
	_, errOut, code := runCLI(t, nil, "run", "--once", "-c", cfg)
	if code != exitLocked || !strings.Contains(errOut, "another process runs job letters in") || !strings.Contains(errOut, "one process runs a job at a time") {
		t.Fatalf("a second writer: exit %d\n%s", code, errOut)
	}
	// The catalog is not locked: runs reads the history while the daemon runs.
	if out, errOut, code := runCLI(t, nil, "--data-dir", data, "runs", "--job", "letters"); code != 0 || !strings.Contains(out, "letters@3") {
		t.Fatalf("runs while the daemon runs: exit %d\n%s%s", code, out, errOut)
	}
	if out := mustRunEnv(t, map[string]string{"GROUNDTRUTH_TOKEN": testTokens["admin-letters"]}, "runs", "--daemon", d.url, "--job", "letters", "--limit", "1"); !strings.Contains(out, "letters@3") {
		t.Fatalf("runs --daemon printed:\n%s", out)
	}
	for path, want := range map[string]string{"/metrics": `groundtruth_runs_total{job="letters",outcome="sealed"}`, "/healthz": "ok", "/readyz": `"ready":true`} {
		if body := httpGet(t, d.url+path); !strings.Contains(body, want) {
			t.Errorf("GET %s: no %q in\n%.2000s", path, want, body)
		}
	}
	// The daemon's listener has the serve limits (defaults without a
	// serve: section): 80 KiB of headers are over max_header_bytes.
	req, _ := http.NewRequest(http.MethodGet, d.url+"/healthz", nil)
	req.Header.Set("X-Junk", strings.Repeat("j", 80<<10))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("80 KiB of headers to /healthz: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if code := d.stop(t); code != 0 {
		t.Fatalf("the daemon exited with %d:\n%s", code, d.errOut)
	}
	if log := d.errOut.String(); !strings.Contains(log, `"msg":"daemon stopped"`) || !strings.Contains(log, `"msg":"run","job":"letters"`) {
		t.Errorf("no JSON log lines of the runs and the stop:\n%s", log)
	}

	appendFile(t, csv, "six,f\n") // not a uint64: the next run fails
	out, _, code = runCLI(t, nil, "run", "--once", "-c", cfg)
	if code != exitRuns || !strings.Contains(out, "failed") {
		t.Fatalf("run --once with a failing job: exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, nil, "job", "run", "letters", "-c", cfg); code != exitSource {
		t.Fatalf("job run of a failing job: exit %d, want the source's %d", code, exitSource)
	}
}

// TestRunRefusesBadConfig lists every problem of a bad configuration with
// file:line and runs nothing.
func TestRunRefusesBadConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.yaml")
	writeFile(t, cfg, `version: 1
data_dir: data
daemon:
  listen: nowhere
  shutdwn_grace: 5s
jobs:
  - name: letters
    dataset: letters
    schedule: "*/61 * * * *"
    retries: -2
    timezone: Atlantis/Capital
    source:
      kind: file
      path: letters.csv
      columns:
        - {name: id, type: uint65}
  - name: prices
    dataset: prices
    schedule: "@every 1m"
    attest: {review: [critical]}
    source: {kind: nosuch}
`)
	_, errOut, code := runCLI(t, nil, "run", "-c", cfg)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", code, exitUsage, errOut)
	}
	for _, want := range []string{
		"bad.yaml:4:11: daemon listen \"nowhere\"",
		"bad.yaml:5:3: unknown field \"shutdwn_grace\"",
		"bad.yaml:10:14: retries of job \"letters\": -2",
		"bad.yaml:11:15: timezone \"Atlantis/Capital\"",
		"bad.yaml:16:28: field \"type\" in column \"id\"",
		"bad.yaml:20:13: job \"prices\" attests its versions but the file has no attestation: section",
		"review severity \"critical\"",
		"bad.yaml:21:20: unknown source kind \"nosuch\"",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in\n%s", want, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Fatalf("the data directory was created for a bad configuration: %v", err)
	}
}
