package main

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

// switchProxy is an HTTP proxy in front of a node that can disappear
// (its listener and connections are closed) and come back on the same port.
type switchProxy struct {
	addr     string
	upstream *url.URL
	mu       sync.Mutex
	srv      *http.Server
}

func newSwitchProxy(t *testing.T, upstream string) *switchProxy {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{addr: ln.Addr().String(), upstream: u}
	p.serve(ln)
	t.Cleanup(p.stop)
	return p
}

func (p *switchProxy) url() string { return "http://" + p.addr }

func (p *switchProxy) serve(ln net.Listener) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.srv = &http.Server{Handler: httputil.NewSingleHostReverseProxy(p.upstream)}
	go p.srv.Serve(ln)
}

// stop makes the endpoint disappear: connections are refused.
func (p *switchProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv != nil {
		p.srv.Close()
		p.srv = nil
	}
}

// start brings the endpoint back on its address.
func (p *switchProxy) start(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ln, err := net.Listen("tcp", p.addr)
		if err == nil {
			p.serve(ln)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("cannot listen on %s again: %v", p.addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const faultConfig = `version: 1
data_dir: {{.Data}}
daemon:
  listen: 127.0.0.1:0
  job_defaults: {retries: 2, retry_backoff: 100ms, retry_backoff_max: 200ms, timeout: 20s}
jobs:
  - name: pings
    dataset: pings
    schedule: "@every 200ms"
    source:
      kind: evm_logs
      rpc: {url: {{.RPC}}, retries: 1, timeout: 2s}
      addresses: ["{{.Emitter}}"]
      event: "{{.Event}}"
  - name: comp-usd
    dataset: comp_usd
    schedule: "@every 200ms"
    source:
      kind: http_prices
      preset: coingecko_range
      url: {{.Prices}}
      start: {{.Start}}
      end: {{.End}}
      window: 6h
      max_pages: 1
      http: {rate_limit: 0, attempts: 2, backoff_min: 20ms, backoff_max: 50ms}
`

// metricValue reads one series' value from a /metrics body (0 if absent).
func metricValue(body, series string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestDaemonFaults takes the chain's RPC endpoint away for a while and
// makes the price API answer 500s, then garbage: the runs fail and are
// retried as configured, the jobs are marked failing, the daemon stays up,
// and once the endpoints are back the data resumes exactly where it
// stopped (the datasets equal an undisturbed run's).
func TestDaemonFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs anvil and the daemon for several seconds")
	}
	a := chaintest.Anvil(t)
	emitter := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, emitter, 100, 10)
	prices := startPrices(t, 240, -1)
	proxy := newSwitchProxy(t, a.RPCURL())
	dir := t.TempDir()
	vars := map[string]any{"RPC": proxy.url(), "Emitter": emitter.Hex(), "Event": chaintest.PingEvent, "Prices": prices.RangeURL("comp"),
		"Start": pricesStart.Format(time.RFC3339), "End": pricesStart.Add(239 * time.Hour).Format(time.RFC3339), "Data": filepath.Join(dir, "data")}
	d := startDaemonCLI(t, nil, "run", "-c", writeConfig(t, dir, faultConfig, vars))
	m := func() string { return httpGet(t, d.url+"/metrics") }
	waitFor(t, 20*time.Second, "first versions", func() bool {
		b := m()
		return metricValue(b, `groundtruth_runs_total{job="pings",outcome="sealed"}`) >= 1 && metricValue(b, `groundtruth_runs_total{job="comp-usd",outcome="sealed"}`) >= 3
	})

	proxy.stop()
	chaintest.EmitMany(t, a, emitter, 100, 10) // new data while the endpoint is away
	prices.SetFaults(fakeapi.Always(fakeapi.Status(500)))
	waitFor(t, 30*time.Second, "both jobs failing after their retries", func() bool {
		b := m()
		return metricValue(b, `groundtruth_job_failing{job="pings"}`) == 1 && metricValue(b, `groundtruth_job_failing{job="comp-usd"}`) == 1
	})
	prices.SetFaults(fakeapi.Always(fakeapi.Garbage()))
	before := metricValue(m(), `groundtruth_source_errors_total{class="bad_input",job="comp-usd"}`)
	waitFor(t, 10*time.Second, "garbage answers refused as bad input", func() bool {
		return metricValue(m(), `groundtruth_source_errors_total{class="bad_input",job="comp-usd"}`) > before
	})
	if body := httpGet(t, d.url+"/healthz"); !strings.Contains(body, "ok") {
		t.Fatalf("healthz during the faults: %q", body)
	}
	b := m()
	// A retry waits 100ms; a tick may come first and take its place, so
	// only the fast-failing price job is sure to have started retries.
	if metricValue(b, `groundtruth_run_retries_total{job="comp-usd"}`) < 1 || metricValue(b, `groundtruth_source_errors_total{class="transient",job="pings"}`) < 3 ||
		metricValue(b, `groundtruth_source_errors_total{class="transient",job="comp-usd"}`) < 3 {
		t.Errorf("retries and errors not counted:\n%s", grepLines(b, "groundtruth_run_retries_total|groundtruth_source_errors_total"))
	}

	prices.SetFaults(nil)
	proxy.start(t)
	waitFor(t, 30*time.Second, "both jobs to recover and catch up", func() bool {
		b := m()
		return metricValue(b, `groundtruth_job_failing{job="pings"}`) == 0 && metricValue(b, `groundtruth_job_failing{job="comp-usd"}`) == 0 &&
			metricValue(b, `groundtruth_chain_head_lag_blocks{job="pings"}`) == 0 && metricValue(b, `groundtruth_runs_total{job="comp-usd",outcome="no_rows"}`) > 0
	})
	if code := d.stop(t); code != 0 {
		t.Fatalf("daemon exit %d\n%s", code, d.errOut)
	}
	vars["RPC"], vars["Data"] = a.RPCURL(), filepath.Join(dir, "reference")
	refDir := filepath.Join(dir, "ref")
	drain(t, writeConfig(t, mkdir(t, refDir), faultConfig, vars))
	// The chain rows' provenance (the digest of the eth_getLogs answer they
	// came from) depends on the block ranges fetched, so the Merkle roots
	// differ; the rows' keys, in order, must not.
	compareDatasets(t, filepath.Join(dir, "reference"), filepath.Join(dir, "data"), map[string]string{"pings": "tx_hash, log_index", "comp_usd": "source, ts"}, false)
}

func grepLines(s, pattern string) string {
	re := regexp.MustCompile(pattern)
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if re.MatchString(l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
