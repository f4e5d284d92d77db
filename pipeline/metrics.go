package pipeline

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// Metrics are the daemon's Prometheus collectors, registered on the
// registry given to NewMetrics (never the global one). A nil *Metrics
// records nothing.
type Metrics struct {
	runs         *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	rows         *prometheus.CounterVec
	findings     *prometheus.CounterVec
	lastSuccess  *prometheus.GaugeVec
	failing      *prometheus.GaugeVec
	failures     *prometheus.GaugeVec
	retries      *prometheus.CounterVec
	skipped      *prometheus.CounterVec
	lateness     prometheus.Histogram
	inFlight     *prometheus.GaugeVec
	headLag      *prometheus.GaugeVec
	sourceErrors *prometheus.CounterVec
	requests     *prometheus.CounterVec
	attestations *prometheus.CounterVec
	held         *prometheus.GaugeVec
}

// NewMetrics creates the collectors and registers them on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_runs_total",
			Help: "Job runs by outcome (sealed, no_rows, failed, timeout, canceled)."}, []string{"job", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "groundtruth_run_duration_seconds",
			Help: "Duration of job runs.", Buckets: prometheus.ExponentialBuckets(0.01, 3, 12)}, []string{"job"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_rows_total",
			Help: "Rows by stage: in (read from the source), accepted (sealed), quarantined."}, []string{"job", "stage"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_findings_total",
			Help: "Failing validation findings by reason code and severity."}, []string{"job", "code", "severity"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_last_success_timestamp_seconds",
			Help: "Unix time of the job's last run that ended without an error."}, []string{"job"}),
		failing: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_job_failing",
			Help: "1 when the job's runs failed and its retries are exhausted, until a run succeeds."}, []string{"job"}),
		failures: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_job_consecutive_failures",
			Help: "Failed runs of the job since its last success."}, []string{"job"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_run_retries_total",
			Help: "Runs started as retries of a failed run."}, []string{"job"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_ticks_skipped_total",
			Help: "Scheduled ticks skipped because the job's previous run was still in flight."}, []string{"job"}),
		lateness: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "groundtruth_tick_lateness_seconds",
			Help: "How late scheduled runs started after their tick (jitter excluded).", Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12)}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_runs_in_flight",
			Help: "1 while a run of the job is in flight."}, []string{"job"}),
		headLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_chain_head_lag_blocks",
			Help: "Blocks between the chain head and the last block the job ingested (chain sources)."}, []string{"job"}),
		sourceErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_source_errors_total",
			Help: "Failed runs by error class (transient, bad_input, changed, config, cursor, blocked, timeout, canceled, other)."}, []string{"job", "class"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_source_requests_total",
			Help: "Requests (RPC attempts, retries included) sent by the job's source, where the source counts them."}, []string{"job"}),
		attestations: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "groundtruth_attestations_total",
			Help: "Attestation attempts by resulting state (attested, pending, review, failed)."}, []string{"job", "state"}),
		held: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "groundtruth_rows_held",
			Help: "Rows the job's last successful run held back until its peers report past them (hold-back, max_hold)."}, []string{"job"}),
	}
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.runs, m.duration, m.rows, m.findings, m.lastSuccess, m.failing, m.failures,
		m.retries, m.skipped, m.lateness, m.inFlight, m.headLag, m.sourceErrors, m.requests, m.attestations, m.held}
}

// initJob makes the job's series exist (at zero) before its first run.
func (m *Metrics) initJob(job string, lastSuccess time.Time) {
	if m == nil {
		return
	}
	m.failing.WithLabelValues(job).Set(0)
	m.failures.WithLabelValues(job).Set(0)
	m.skipped.WithLabelValues(job)
	m.retries.WithLabelValues(job)
	m.inFlight.WithLabelValues(job).Set(0)
	if !lastSuccess.IsZero() {
		m.lastSuccess.WithLabelValues(job).Set(float64(lastSuccess.Unix()))
	}
}

// tick records a scheduled tick that started late by lateness.
func (m *Metrics) tick(lateness time.Duration) {
	if m != nil {
		m.lateness.Observe(max(lateness, 0).Seconds())
	}
}

// skip records a tick skipped because the previous run is in flight.
func (m *Metrics) skip(job string) {
	if m != nil {
		m.skipped.WithLabelValues(job).Inc()
	}
}

// state records whether the job is failing and its failures in a row.
func (m *Metrics) state(job string, failing bool, failures int) {
	if m == nil {
		return
	}
	v := 0.0
	if failing {
		v = 1
	}
	m.failing.WithLabelValues(job).Set(v)
	m.failures.WithLabelValues(job).Set(float64(failures))
}

// running marks a run of job in flight (or not).
func (m *Metrics) running(job string, on bool, trig Trigger) {
	if m == nil {
		return
	}
	if on {
		m.inFlight.WithLabelValues(job).Set(1)
		if trig == TriggerRetry {
			m.retries.WithLabelValues(job).Inc()
		}
		return
	}
	m.inFlight.WithLabelValues(job).Set(0)
}

// observe records a finished run.
func (m *Metrics) observe(res *RunResult, took time.Duration, requests uint64) {
	if m == nil {
		return
	}
	r := res.Record
	m.runs.WithLabelValues(r.Job, r.Outcome).Inc()
	m.duration.WithLabelValues(r.Job).Observe(took.Seconds())
	m.rows.WithLabelValues(r.Job, "in").Add(float64(r.RowsIn))
	m.rows.WithLabelValues(r.Job, "accepted").Add(float64(r.RowsAccepted))
	m.rows.WithLabelValues(r.Job, "quarantined").Add(float64(r.RowsQuarantined))
	if requests > 0 {
		m.requests.WithLabelValues(r.Job).Add(float64(requests))
	}
	if res.Err == nil {
		m.lastSuccess.WithLabelValues(r.Job).Set(float64(time.Now().Unix()))
		if res.Ingest != nil {
			m.held.WithLabelValues(r.Job).Set(float64(res.Ingest.Held))
		}
	} else {
		m.sourceErrors.WithLabelValues(r.Job, errorClass(res.Err, r.Outcome)).Inc()
	}
	if r.Attestation != "" {
		m.attestations.WithLabelValues(r.Job, r.Attestation).Inc()
	}
	if res.Ingest != nil && res.Ingest.Validation != nil {
		for _, f := range res.Ingest.Validation.Report.Findings {
			if !f.Passed {
				m.findings.WithLabelValues(r.Job, string(f.Code), string(f.Severity)).Inc()
			}
		}
	}
	if res.HeadLag != nil {
		m.headLag.WithLabelValues(r.Job).Set(float64(*res.HeadLag))
	}
}

// errorClass names the class of a run's error for the metrics.
func errorClass(err error, outcome string) string {
	switch {
	case outcome == "timeout" || outcome == "canceled":
		return outcome
	case errors.Is(err, validators.ErrBlocked):
		return "blocked"
	case errors.Is(err, sources.ErrTransient):
		return "transient"
	case errors.Is(err, sources.ErrBadInput):
		return "bad_input"
	case errors.Is(err, sources.ErrChanged):
		return "changed"
	case errors.Is(err, sources.ErrConfig):
		return "config"
	case errors.Is(err, sources.ErrCursor):
		return "cursor"
	}
	return "other"
}
