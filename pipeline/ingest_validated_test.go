package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// batchSource emits one prepared batch per Fetch; its cursor is the
// number of batches already read.
type batchSource struct {
	batches [][]validatorstest.Point
}

func (s *batchSource) ID() string               { return "prices-test" }
func (s *batchSource) Schema() *datasets.Schema { return validatorstest.PriceSchema() }
func (s *batchSource) Fetch(_ context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	n := 0
	if cur != nil {
		json.Unmarshal(cur, &n)
	}
	if n < len(s.batches) {
		rec := validatorstest.PriceRecord("prices-test", s.batches[n])
		defer rec.Release()
		if err := emit(rec); err != nil {
			return sources.Result{}, err
		}
		n++
	}
	c, _ := json.Marshal(n)
	return sources.Result{Cursor: c, Provenance: datasets.Provenance{Sources: []string{s.ID()}}}, nil
}

func hourly(start time.Time, n int, base float64) []validatorstest.Point {
	out := make([]validatorstest.Point, n)
	for i := range out {
		out[i] = validatorstest.Point{T: start.Add(time.Duration(i) * time.Hour), V: base * (1 + 0.003*math.Sin(float64(i)))}
	}
	return out
}

func testJob(t *testing.T, src sources.Source, rules map[string]validators.Action) Job {
	t.Helper()
	cfg := poisoning.DefaultSeriesConfig()
	cfg.Value, cfg.Time = "price", "ts"
	series, err := poisoning.NewSeries("", cfg)
	if err != nil {
		t.Fatal(err)
	}
	dups, _ := poisoning.NewDuplicates("", poisoning.DefaultDuplicatesConfig())
	suite, err := validators.NewSuite([]validators.Validator{series, dups}, rules, validators.SuiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Job{Name: "prices", Dataset: "prices", Source: src, Validation: suite}
}

func TestIngestQuarantineApproveLineage(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	first := hourly(start, 100, 300)
	first[60].V *= 1.5 // a spike: quarantined
	src := &batchSource{batches: [][]validatorstest.Point{first}}
	job := testJob(t, src, nil)
	now := start.Add(100 * time.Hour)

	res, err := Ingest(ctx, st, job, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest == nil || res.Manifest.RowCount != 99 || res.Manifest.ReportHash == nil || *res.Manifest.ReportHash != res.Validation.ReportHash {
		t.Fatalf("version 1: %+v", res.Manifest)
	}
	q, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
	if err != nil || len(q) != 1 || q[0].RowKey != "2021-05-03T12:00:00.000000Z" {
		t.Fatalf("quarantine: %+v %v", q, err)
	}
	var findings, pending int
	st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM gt.findings`).Scan(&findings)
	st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM gt.validation_runs WHERE outcome = 'sealed' AND version = 1`).Scan(&pending)
	if findings < 3 || pending != 1 {
		t.Fatalf("findings %d, sealed runs %d", findings, pending)
	}
	if _, err := st.DecideQuarantine(ctx, q[0].ID[:8], store.Decision{Status: store.QuarantineApproved, Steward: "alice", Note: "exchange outage, value checked"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DecideQuarantine(ctx, q[0].ID, store.Decision{Status: store.QuarantineRejected, Steward: "bob"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second decision: %v", err)
	}
	res, err = Ingest(ctx, st, job, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest == nil || res.Manifest.Version != 2 || res.Manifest.RowCount != 100 {
		t.Fatalf("version 2: %+v", res.Manifest)
	}
	if d := res.Validation.Report.Decisions; len(d) != 1 || d[0].Steward != "alice" || d[0].Decision != "approved" {
		t.Fatalf("decisions in the report: %+v", d)
	}
	var lineage int
	st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM gt.lineage WHERE dataset = 'prices' AND version = 2 AND kind = 'quarantine_decision'`).Scan(&lineage)
	if lineage != 1 {
		t.Fatalf("lineage rows: %d", lineage)
	}
	res, err = Ingest(ctx, st, job, now.Add(2*time.Hour))
	if err != nil || res.Manifest != nil {
		t.Fatalf("third ingest applied something again: %+v %v", res, err)
	}
	bs, err := NewCatalogHistory(st).Baselines(ctx, "prices", 5)
	if err != nil || len(bs) != 1 || bs[0].Rows != 99 {
		t.Fatalf("baselines: %+v %v", bs, err)
	}
}

func TestIngestBlockedKeepsCheckpoint(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	pts := hourly(start, 80, 300)
	pts[40].V *= 2
	job := testJob(t, &batchSource{batches: [][]validatorstest.Point{pts}}, map[string]validators.Action{"poisoning.*": validators.Block})
	res, err := Ingest(ctx, st, job, start)
	if !errors.Is(err, validators.ErrBlocked) || res == nil || !res.Validation.Report.Blocked {
		t.Fatalf("want a blocked ingest, got %+v %v", res, err)
	}
	if cur, _ := st.Checkpoint(ctx, "prices"); cur != nil {
		t.Fatalf("checkpoint moved: %s", cur)
	}
	var blocked int
	st.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM gt.validation_runs WHERE outcome = 'blocked'`).Scan(&blocked)
	if blocked != 1 {
		t.Fatalf("blocked runs: %d", blocked)
	}
	if _, err := st.Versions(ctx, "prices"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a blocked run sealed a version: %v", err)
	}
}

func TestReconcileAbortsPendingRun(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run := &store.ValidationRun{ID: "r1", Job: "j", Dataset: "d", Outcome: store.RunPending, ReportJSON: []byte("{}"), Cursor: []byte("x"),
		Quarantine: []store.QuarantineEntry{{ID: "qabc123", RowKey: "k", RowJSON: json.RawMessage(`{}`), RowIPC: []byte{1}}}}
	if err := st.SaveValidationRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := st.ReconcileValidationRuns(ctx, "d"); err != nil {
		t.Fatal(err)
	}
	var outcome string
	st.DB().QueryRowContext(context.Background(), `SELECT outcome FROM gt.validation_runs WHERE run_id = 'r1'`).Scan(&outcome)
	q, _ := st.QuarantineList(ctx, store.QuarantineFilter{})
	if outcome != store.RunAborted || len(q) != 0 {
		t.Fatalf("outcome %s, quarantine %d", outcome, len(q))
	}
}

var _ arrow.RecordBatch
