package pipeline_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// startDaemon runs a daemon with one slow job and an HTTP listener; it
// returns the base URL and a function that cancels the daemon's context
// and waits for Run to return.
func startDaemon(t *testing.T, st *store.Store, src *counter, grace time.Duration) (string, func() error) {
	t.Helper()
	runner, reg := newRunner(t, st)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &pipeline.Daemon{Listener: ln, Gatherer: reg, Grace: grace,
		Scheduler: &pipeline.Scheduler{Runner: runner, Metrics: runner.Metrics, Specs: []*pipeline.Spec{spec("slow", src, every(50*time.Millisecond))}}}
	d.Handle("GET /api/hello", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hello") }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	return "http://" + ln.Addr().String(), func() error { cancel(); return <-done }
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestDaemonEndpointsAndGracefulStop serves the health, readiness, metric
// and mounted endpoints, then stops while a run is in flight: the run gets
// the grace period and seals its version.
func TestDaemonEndpointsAndGracefulStop(t *testing.T) {
	st := openStore(t, t.TempDir())
	src := &counter{id: "slow", per: 10, total: 10, hold: time.Second}
	url, stop := startDaemon(t, st, src, 10*time.Second)
	eventually(t, 3*time.Second, "a run in flight", func() bool { return src.fetches.Load() > 0 })
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": `"ready":true`, "/api/hello": "hello",
		"/metrics": "groundtruth_runs_in_flight{job=\"slow\"} 1"} {
		if code, body := get(t, url+path); code != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d %q, want %q", path, code, body, want)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	runs, _ := st.Runs(context.Background(), store.RunFilter{})
	if len(runs) != 1 || runs[0].Outcome != store.RunOK || *runs[0].Version != 1 {
		t.Fatalf("the run in flight did not finish within the grace period: %+v", runs)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the HTTP server still answers after the daemon stopped")
	}
}

// TestDaemonAbandonsRunAfterGrace stops with a grace period shorter than
// the run in flight: the run is abandoned, nothing of it is sealed, its
// history says canceled, and the next start records no stale run.
func TestDaemonAbandonsRunAfterGrace(t *testing.T) {
	st := openStore(t, t.TempDir())
	src := &counter{id: "slow", per: 10, total: 10, hold: 2 * time.Second}
	_, stop := startDaemon(t, st, src, 50*time.Millisecond)
	eventually(t, 3*time.Second, "a run in flight", func() bool { return src.fetches.Load() > 0 })
	start := time.Now()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("stopping took %v with a grace of 50ms", took)
	}
	if vs, _ := st.Versions(context.Background(), "slow"); len(vs) > 0 {
		t.Fatalf("an abandoned run sealed %+v", vs)
	}
	runs, _ := st.Runs(context.Background(), store.RunFilter{})
	if len(runs) != 1 || runs[0].Outcome != store.RunCanceled {
		t.Fatalf("runs: %+v", runs)
	}
	if cp, _ := st.Checkpoint(context.Background(), "slow"); cp != nil {
		t.Fatalf("checkpoint moved to %s", cp)
	}
}

// TestRunOnce runs every job once and reports the failed ones.
func TestRunOnce(t *testing.T) {
	st := openStore(t, t.TempDir())
	runner, _ := newRunner(t, st)
	bad := &counter{id: "bad", per: 5, total: 5}
	bad.failFirst.Store(10)
	specs := []*pipeline.Spec{spec("good", &counter{id: "good", per: 5, total: 5}, nil), spec("bad", bad, nil)}
	res, err := runner.RunOnce(context.Background(), specs, 2)
	if !errors.Is(err, pipeline.ErrRunsFailed) || !strings.Contains(err.Error(), "1 of 2: bad (failed)") {
		t.Fatalf("want ErrRunsFailed naming bad, got %v", err)
	}
	if res[0].Record.Outcome != store.RunOK || res[1].Record.Outcome != store.RunFailed || res[0].Record.Trigger != "once" {
		t.Fatalf("results: %+v %+v", res[0].Record, res[1].Record)
	}
	if bad.fetches.Load() != 1 {
		t.Fatalf("--once retried: %d fetches", bad.fetches.Load())
	}
}

// getAs is get with a bearer token ("" for none).
func getAs(t *testing.T, url, token string) (int, string) {
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

// TestDaemonReadyHook makes /readyz answer 503 with the reason while the
// Ready hook (the data API's chain freshness) fails, and 200 once it passes;
// the jobs and the hook's own reason are shown to an admin token only.

func TestDaemonReadyHook(t *testing.T) {
	st := openStore(t, t.TempDir())
	runner, reg := newRunner(t, st)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var stale atomic.Bool
	stale.Store(true)
	d := &pipeline.Daemon{Listener: ln, Gatherer: reg, Grace: time.Second,
		Scheduler: &pipeline.Scheduler{Runner: runner, Metrics: runner.Metrics, Specs: []*pipeline.Spec{spec("idle", &counter{id: "idle"}, every(time.Hour))}},
		Ready: func() error {
			if stale.Load() {
				return errors.New("chain unreachable: revocations could not be checked")
			}
			return nil
		},
		Details: func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer admin" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String() + "/readyz"
	eventually(t, 3*time.Second, "the daemon answers", func() bool {
		code, body := getAs(t, url, "admin")
		return code == 503 && strings.Contains(body, `"reason":"chain unreachable`) && strings.Contains(body, `"idle"`)
	})
	// Without an admin token: ready or not and a reason, no job names and
	// no internals (issue #13 F10).
	for _, tok := range []string{"", "someone"} {
		code, body := getAs(t, url, tok)
		if code != 503 || strings.Contains(body, "idle") || strings.Contains(body, "chain unreachable") || !strings.Contains(body, `"reason":"the data API does not serve`) {
			t.Fatalf("readyz for token %q: %d %s", tok, code, body)
		}
	}
	stale.Store(false)
	if code, body := get(t, url); code != 200 || !strings.Contains(body, `"ready":true`) {
		t.Fatalf("readyz with the hook passing: %d %s", code, body)
	}
}
