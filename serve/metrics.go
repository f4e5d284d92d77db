package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the server's Prometheus collectors, registered on the
// registry given to NewMetrics (never the global one). A nil *Metrics
// records nothing.
type Metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	bytes       *prometheus.CounterVec
	revocations prometheus.Counter
	watchErrors prometheus.Counter
	watchBlock  prometheus.Gauge
	queries     *prometheus.CounterVec
	corrupt     prometheus.Counter
	badSegs     prometheus.Gauge
	chainOK     prometheus.Gauge
	limits      *prometheus.CounterVec // limits.go
	rowCache    prometheus.Counter     // rowcheck.go
}

// NewMetrics creates the collectors and registers them on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_serve_requests_total",
			Help: "API requests by route, status code and token."}, []string{"route", "code", "token"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "groundtruth_serve_request_duration_seconds",
			Help: "API request durations by route.", Buckets: prometheus.ExponentialBuckets(0.0001, 3, 12)}, []string{"route"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_serve_response_bytes_total",
			Help: "Response body bytes by route."}, []string{"route"}),
		revocations: prometheus.NewCounter(prometheus.CounterOpts{Name: "groundtruth_serve_revocations_total",
			Help: "Revocations the watcher saw on-chain."}),
		watchErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "groundtruth_serve_watch_errors_total",
			Help: "Failed polls of the revocation watcher."}),
		watchBlock: prometheus.NewGauge(prometheus.GaugeOpts{Name: "groundtruth_serve_watch_block",
			Help: "The last block the revocation watcher has read."}),
		queries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_serve_queries_total",
			Help: "Read-only SQL queries by outcome (ok, refused, failed, timeout)."}, []string{"outcome"}),
		corrupt: prometheus.NewCounter(prometheus.CounterOpts{Name: "groundtruth_serve_corrupt_segments_total",
			Help: "Times a segment file was found missing or not matching its attested SHA-256."}),
		badSegs: prometheus.NewGauge(prometheus.GaugeOpts{Name: "groundtruth_serve_corrupt_segments",
			Help: "Segment files that do not match their attested SHA-256 now (their versions are not served)."}),
		chainOK: prometheus.NewGauge(prometheus.GaugeOpts{Name: "groundtruth_serve_chain_checked_timestamp_seconds",
			Help: "When the revocation watcher last read the chain successfully (Unix time)."}),
		limits:   newLimitsMetric(),
		rowCache: newRowCacheMetric(),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.bytes, m.revocations, m.watchErrors, m.watchBlock, m.queries, m.corrupt, m.badSegs, m.chainOK, m.limits, m.rowCache} {
		if err := reg.Register(c); err != nil {
			return nil, errors.Join(errors.New("registering serve metrics"), err)
		}
	}
	return m, nil
}

func (m *Metrics) request(route, code, token string, d time.Duration, n int64) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, code, TokenLabel(token)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
	m.bytes.WithLabelValues(route).Add(float64(n))
}

func (m *Metrics) revoked() {
	if m != nil {
		m.revocations.Inc()
	}
}

func (m *Metrics) watchFailed() {
	if m != nil {
		m.watchErrors.Inc()
	}
}

func (m *Metrics) watched(block uint64) {
	if m != nil {
		m.watchBlock.Set(float64(block))
	}
}

func (m *Metrics) query(outcome string) {
	if m != nil {
		m.queries.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) corruptSegment() {
	if m != nil {
		m.corrupt.Inc()
		m.badSegs.Inc()
	}
}

func (m *Metrics) segmentRestored() {
	if m != nil {
		m.badSegs.Dec()
	}
}

func (m *Metrics) chainChecked(t time.Time) {
	if m != nil {
		m.chainOK.Set(float64(t.UnixNano()) / 1e9)
	}
}

// TokenLabel is the token label of a token name in the metrics: "t-" and
// the first 12 hex digits of the name's SHA-256 (/metrics is not
// authenticated, and token names may say who a token was given to); "-"
// (no token) stays "-". The request log, which is not public, has the name.
func TokenLabel(name string) string {
	if name == "-" || name == "" {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return "t-" + hex.EncodeToString(sum[:6])
}
