package serve_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestHostileMetricsAccess is F10 of the black-box attack: with
// serve.metrics: public /metrics does not name jobs or datasets to
// anonymous callers, with admin it answers only admin tokens; the default
// (open) answers every series to anyone, as a Prometheus scraper expects.
func TestHostileMetricsAccess(t *testing.T) {
	reg := prometheus.NewRegistry()
	jobs := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_job_failing", Help: "h"}, []string{"job"})
	jobs.WithLabelValues("secret-job").Set(1)
	up := prometheus.NewCounter(prometheus.CounterOpts{Name: "groundtruth_plain_total", Help: "h"})
	up.Inc()
	reg.MustRegister(jobs, up)
	ts := serve.NewTokenSet([]serve.Token{
		{Name: "ops", SHA256: serve.HashToken("gt-ops"), Scope: serve.Scope{Datasets: []string{"*"}, Admin: true}},
		{Name: "agent", SHA256: serve.HashToken("gt-agent"), Scope: serve.Scope{Datasets: []string{"*"}}},
	}, &serve.Scope{Datasets: []string{"*"}})
	if err := ts.Register(reg); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /open", ts.Auth().MetricsHandler(reg, ""))
	mux.Handle("GET /public", ts.Auth().MetricsHandler(reg, serve.MetricsPublic))
	mux.Handle("GET /admin", ts.Auth().MetricsHandler(reg, serve.MetricsAdmin))
	ln := listen(t)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); _ = hs.Serve(ln) }()
	t.Cleanup(func() { hs.Close(); <-done })
	cases := []struct {
		path, token string
		status      int
		jobs        bool // the job-labelled series is shown
	}{
		{"/open", "", http.StatusOK, true},
		{"/open", "gt-unknown", http.StatusOK, true},
		{"/public", "", http.StatusOK, false},
		{"/public", "gt-agent", http.StatusOK, false},
		{"/public", "gt-unknown", http.StatusOK, false},
		{"/public", "gt-ops", http.StatusOK, true},
		{"/admin", "", http.StatusUnauthorized, false},
		{"/admin", "gt-unknown", http.StatusUnauthorized, false},
		{"/admin", "gt-agent", http.StatusForbidden, false},
		{"/admin", "gt-ops", http.StatusOK, true},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+tc.path, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		if resp.StatusCode != tc.status {
			t.Errorf("%s with %q: %d, want %d: %s", tc.path, tc.token, resp.StatusCode, tc.status, body)
			continue
		}
		if got := strings.Contains(body, "secret-job"); got != tc.jobs {
			t.Errorf("%s with %q: job series shown %v, want %v:\n%s", tc.path, tc.token, got, tc.jobs, body)
		}
		if tc.status == http.StatusOK && !strings.Contains(body, "groundtruth_plain_total 1") {
			t.Errorf("%s with %q: the unlabelled series is missing:\n%s", tc.path, tc.token, body)
		}
		if tc.status != http.StatusOK && strings.Contains(body, "groundtruth_") {
			t.Errorf("%s with %q: a refusal carries metrics:\n%s", tc.path, tc.token, body)
		}
	}
}
