package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// counter is a deterministic source: each Fetch emits the next per rows of
// datasetstest's votes table, up to total; its cursor is the row count.
// It can fail its first fetches and hold each fetch for a while (a test
// stand-in for a slow origin; real sources never sleep).
type counter struct {
	id         string
	per, total int
	failFirst  atomic.Int64
	hold       time.Duration
	fetches    atomic.Int64
}

func (c *counter) ID() string               { return c.id }
func (c *counter) Schema() *datasets.Schema { return datasetstest.VotesSchema() }

func (c *counter) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	c.fetches.Add(1)
	if c.failFirst.Add(-1) >= 0 {
		return sources.Result{}, fmt.Errorf("%w: counter %s: connection refused", sources.ErrTransient, c.id)
	}
	if c.hold > 0 {
		t := time.NewTimer(c.hold)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return sources.Result{}, fmt.Errorf("counter %s: %w", c.id, ctx.Err())
		case <-t.C:
		}
	}
	from := 0
	if cur != nil {
		from, _ = strconv.Atoi(string(cur))
	}
	to := min(from+c.per, c.total)
	if to > from {
		rec := datasetstest.VotesBatch(nil, from, to-from)
		err := emit(rec)
		rec.Release()
		if err != nil && !errors.Is(err, sources.ErrEnough) { // one record: enough is its end
			return sources.Result{}, err
		}
	}
	return sources.Result{Cursor: sources.Cursor(strconv.Itoa(to)), Provenance: datasets.Provenance{Sources: []string{c.id}}}, nil
}

// every is a sub-second schedule for tests.
type every time.Duration

func (e every) Next(t time.Time) time.Time { return t.Truncate(time.Duration(e)).Add(time.Duration(e)) }

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir, store.Options{MemoryLimit: "128MB"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newRunner(t *testing.T, st *store.Store) (*pipeline.Runner, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := pipeline.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Runner{Store: st, Metrics: m}, reg
}

func spec(name string, src sources.Source, sched pipeline.Schedule) *pipeline.Spec {
	return &pipeline.Spec{Job: pipeline.Job{Name: name, Dataset: name, Source: src}, Schedule: sched,
		Retries: 2, Backoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
}

// metric returns the value of a counter or gauge series (0 when absent).
func metric(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if matches(m, labels) {
				switch {
				case m.Counter != nil:
					return m.Counter.GetValue()
				case m.Gauge != nil:
					return m.Gauge.GetValue()
				case m.Histogram != nil:
					return float64(m.Histogram.GetSampleCount())
				}
			}
		}
	}
	return 0
}

func matches(m *dto.Metric, labels map[string]string) bool {
	n := 0
	for _, lp := range m.GetLabel() {
		if v, ok := labels[lp.GetName()]; ok {
			if v != lp.GetValue() {
				return false
			}
			n++
		}
	}
	return n == len(labels)
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
