package serve_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// TestMetricsHideTokenNames (attack J): /metrics is not authenticated, so
// its token label carries a pseudonym of the token's name (the first 12
// hex digits of its SHA-256), never the name.
func TestMetricsHideTokenNames(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := serve.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, serve.Config{Metrics: m})
	if resp, b := f.get(t, tokenVotes, "/v1/datasets/votes/versions/1"); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	hs := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer hs.Close()
	resp, err := hs.Client().Get(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("votes"))
	want := `token="t-` + hex.EncodeToString(sum[:])[:12] + `"`
	if strings.Contains(string(b), `token="votes"`) || !strings.Contains(string(b), want) {
		t.Fatalf("/metrics does not label the token %s (or names it):\n%s", want, b)
	}
}
