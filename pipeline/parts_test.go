package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// pointSource emits its points in records of per points and stops when
// told enough (sources.ErrEnough), with its cursor (the points emitted)
// after the last record. failAt > 0 fails the fetch that starts at that
// point (a crash between parts); cancel, when set, is called instead.
type pointSource struct {
	pts    []validatorstest.Point
	per    int
	failAt int
	cancel context.CancelFunc
}

var errCrash = errors.New("crash between parts")

func (s *pointSource) ID() string               { return "prices-test" }
func (s *pointSource) Schema() *datasets.Schema { return validatorstest.PriceSchema() }
func (s *pointSource) Fetch(ctx context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	n := 0
	if cur != nil {
		if err := json.Unmarshal(cur, &n); err != nil {
			return sources.Result{}, fmt.Errorf("%w: %v", sources.ErrCursor, err)
		}
	}
	if n > 0 && n == s.failAt {
		if s.cancel != nil {
			s.cancel()
			return sources.Result{}, ctx.Err()
		}
		return sources.Result{}, errCrash
	}
	for n < len(s.pts) {
		to := min(n+s.per, len(s.pts))
		rec := validatorstest.PriceRecord("prices-test", s.pts[n:to])
		err := emit(rec)
		rec.Release()
		if err != nil && !errors.Is(err, sources.ErrEnough) {
			return sources.Result{}, err
		}
		n = to
		if err != nil {
			break
		}
	}
	c, _ := json.Marshal(n)
	return sources.Result{Cursor: c, Provenance: datasets.Provenance{Sources: []string{s.ID()}}}, nil
}

// partsOutcome is what a validated backlog left in the store.
type partsOutcome struct {
	sealed, quarantined, flagged []string
	rowsIn, rowsQuarantined      uint64
}

func (o partsOutcome) String() string {
	return fmt.Sprintf("sealed %d rows (%s…), quarantined %v, failed findings %v, run rows in %d, quarantined %d",
		len(o.sealed), strings.Join(o.sealed[:min(3, len(o.sealed))], ","), o.quarantined, o.flagged, o.rowsIn, o.rowsQuarantined)
}

// backlog is 100 hourly prices with a spike at row 60 and a repeated
// timestamp at row 80 (the duplicates check quarantines it).
func backlog() []validatorstest.Point {
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	pts := hourly(start, 100, 300)
	pts[60].V *= 1.5
	pts[80].T = pts[79].T
	return pts
}

// runBacklog runs the validated job once through the Runner with the
// given part size and reads back what the store holds.
func runBacklog(t *testing.T, st *store.Store, src sources.Source, maxRows int) (*RunResult, partsOutcome) {
	t.Helper()
	ctx := context.Background()
	job := testJob(t, src, nil)
	job.MaxRunRows = maxRows
	now := time.Date(2021, 5, 6, 0, 0, 0, 0, time.UTC)
	res := (&Runner{Store: st, Now: func() time.Time { return now }}).Run(ctx, &Spec{Job: job}, TriggerManual, 1)
	return res, storeOutcome(t, st, res)
}

func storeOutcome(t *testing.T, st *store.Store, res *RunResult) partsOutcome {
	t.Helper()
	ctx := context.Background()
	var o partsOutcome
	if vs, err := st.Versions(ctx, "prices"); err == nil && len(vs) > 0 {
		err := NewCatalogHistory(st).Scan(ctx, "prices", vs[len(vs)-1].Version, 0, 0, func(rec arrow.RecordBatch) error {
			ts := rec.Column(rec.Schema().FieldIndices("ts")[0])
			for i := range int(rec.NumRows()) {
				o.sealed = append(o.sealed, ts.ValueStr(i))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	q, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "prices"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range q {
		// A repeat within one part is keyed "ts#1"; one whose first row is
		// in an earlier part is keyed by its timestamp alone.
		key, _, _ := strings.Cut(e.RowKey, "#")
		o.quarantined = append(o.quarantined, key)
	}
	slices.Sort(o.quarantined)
	for _, p := range res.Ingest.Parts() {
		for _, f := range p.Validation.Report.Findings {
			for _, k := range f.Rows {
				if !f.Passed {
					o.flagged = append(o.flagged, string(f.Code)+" "+k)
				}
			}
		}
	}
	slices.Sort(o.flagged)
	o.rowsIn, o.rowsQuarantined = res.Record.RowsIn, res.Record.RowsQuarantined
	return o
}

// TestValidatedRunInParts: a validated backlog read in parts of at most
// max_run_rows rows (1, a few, the exact row count, more) leaves the same
// sealed rows, quarantine and failed findings as one big run, in one
// scheduled run, with one version per part.
func TestValidatedRunInParts(t *testing.T) {
	pts := backlog()
	whole, want := runBacklog(t, openTestStore(t), &pointSource{pts: pts, per: 3}, 0)
	if whole.Err != nil || len(whole.Ingest.Parts()) != 1 {
		t.Fatalf("one big run: %v, %d parts", whole.Err, len(whole.Ingest.Parts()))
	}
	if len(want.quarantined) != 2 || len(want.sealed) != 98 || want.rowsIn != 100 {
		t.Fatalf("one big run: %s; want 98 sealed and the spike and the repeat quarantined", want)
	}
	// With one-row parts the repeat (row 80) is in a later part than the
	// row it repeats: it is compared with history and reported as
	// poisoning.refetch_mismatch, not conflicting_duplicate; and the
	// Hampel filter, a window within the run, does not fire on one row
	// (jump and mad_outlier, which read history, still flag the spike).
	oneRow := []string{"poisoning.jump 2021-05-03T12:00:00.000000Z", "poisoning.mad_outlier 2021-05-03T12:00:00.000000Z",
		"poisoning.refetch_mismatch 2021-05-04T07:00:00.000000Z"}
	for _, tc := range []struct {
		maxRows, per, parts int
		flagged             []string // nil: the same as one big run
	}{
		{1, 1, 100, oneRow}, {1, 3, 34, nil}, {7, 3, 12, nil}, {30, 10, 4, nil}, {100, 3, 1, nil}, {100, 100, 1, nil}, {99, 100, 1, nil}, {1000, 7, 1, nil},
	} {
		t.Run(fmt.Sprintf("max_run_rows=%d,per=%d", tc.maxRows, tc.per), func(t *testing.T) {
			st := openTestStore(t)
			res, got := runBacklog(t, st, &pointSource{pts: pts, per: tc.per}, tc.maxRows)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if n := len(res.Ingest.Parts()); n != tc.parts {
				t.Errorf("%d parts, want %d", n, tc.parts)
			}
			versions := tc.parts
			if tc.per == 1 {
				versions -= 2 // the parts of the spike and of the repeat hold no accepted row
			}
			if vs, _ := st.Versions(context.Background(), "prices"); len(vs) != versions {
				t.Errorf("%d versions, want one per part with an accepted row (%d)", len(vs), versions)
			}
			w := want
			if tc.flagged != nil {
				w.flagged = tc.flagged
			}
			if got.String() != w.String() || !slices.Equal(got.sealed, w.sealed) {
				t.Errorf("in parts: %s\nwant:     %s", got, w)
			}
			if res.Record.Outcome != store.RunOK {
				t.Errorf("run outcome %s, want ok", res.Record.Outcome)
			}
		})
	}
}

// TestValidatedRunCrashBetweenParts: a run that dies between two parts
// (its source fails, or the daemon is stopped) leaves the parts before
// committed with the checkpoint after them; the next run goes on from
// there and the store ends as after one uninterrupted run.
func TestValidatedRunCrashBetweenParts(t *testing.T) {
	pts := backlog()
	_, want := runBacklog(t, openTestStore(t), &pointSource{pts: pts, per: 10}, 0)
	for _, tc := range []struct {
		name   string
		cancel bool
	}{{"source fails", false}, {"run cancelled", true}} {
		t.Run(tc.name, func(t *testing.T) {
			st := openTestStore(t)
			src := &pointSource{pts: pts, per: 10, failAt: 40}
			ctx := context.Background()
			if tc.cancel {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				defer cancel()
				src.cancel = cancel
			}
			job := testJob(t, src, nil)
			job.MaxRunRows = 20
			res := (&Runner{Store: st}).Run(ctx, &Spec{Job: job}, TriggerManual, 1)
			if res.Err == nil {
				t.Fatal("the run went through the crash")
			}
			if cur, _ := st.Checkpoint(context.Background(), "prices"); string(cur) != "40" {
				t.Fatalf("checkpoint after the crash %q, want 40 (after part 2)", cur)
			}
			if vs, _ := st.Versions(context.Background(), "prices"); len(vs) != 2 || vs[1].Rows != 40 {
				t.Fatalf("versions after the crash: %+v, want 2 parts of 20 rows committed", vs)
			}
			src.failAt = 0
			again, got := runBacklog(t, st, src, 20)
			if again.Err != nil {
				t.Fatal(again.Err)
			}
			got.flagged, got.rowsIn, got.rowsQuarantined = want.flagged, want.rowsIn, want.rowsQuarantined // split over two runs
			if got.String() != want.String() || !slices.Equal(got.sealed, want.sealed) {
				t.Errorf("after the crash and a new run: %s\none run: %s", got, want)
			}
		})
	}
}
