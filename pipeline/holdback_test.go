package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// liveSource reports its points up to a clock the test moves; its cursor
// is the number of points emitted, so a fetch from the same cursor
// re-reads the same rows.
type liveSource struct {
	pts  []validatorstest.Point
	upTo *time.Time
}

func (s *liveSource) ID() string               { return "live" }
func (s *liveSource) Schema() *datasets.Schema { return validatorstest.PriceSchema() }
func (s *liveSource) Fetch(_ context.Context, cur sources.Cursor, emit sources.Emit) (sources.Result, error) {
	n := 0
	if cur != nil {
		if err := json.Unmarshal(cur, &n); err != nil {
			return sources.Result{}, fmt.Errorf("%w: %v", sources.ErrCursor, err)
		}
	}
	m := n
	for m < len(s.pts) && !s.pts[m].T.After(*s.upTo) {
		m++
	}
	if m > n {
		rec := validatorstest.PriceRecord("live", s.pts[n:m])
		defer rec.Release()
		if err := emit(rec); err != nil {
			return sources.Result{}, err
		}
	}
	c, _ := json.Marshal(m)
	return sources.Result{Cursor: c, Provenance: datasets.Provenance{Sources: []string{"live"}}}, nil
}

// holdWorld is three sources of a 30-minute series: a and b read it 5
// and 6 minutes after each half hour, c 3 minutes before. A real +15%
// move at point move reaches c first (3 minutes before the tick at which
// c is judged, while its peers read it 8 minutes later); b alone spikes
// +50% at point spike. down, when set, stops a and b after that point.
type holdWorld struct {
	start       time.Time
	n, move     int
	spike, down int
	clock       time.Time
	srcs        map[string]*liveSource
}

func newHoldWorld(down int) *holdWorld {
	w := &holdWorld{start: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), n: 76, move: 64, spike: 68, down: down, srcs: map[string]*liveSource{}}
	offsets := map[string]time.Duration{"a": 5 * time.Minute, "b": 6 * time.Minute, "c": -3 * time.Minute}
	for s, off := range offsets {
		var pts []validatorstest.Point
		for i := range w.n {
			if down > 0 && s != "c" && i > down {
				break
			}
			v := 100 * (1 + 0.003*math.Sin(float64(i)))
			if i >= w.move {
				v *= 1.15
			}
			if s == "b" && i == w.spike {
				v *= 1.5
			}
			pts = append(pts, validatorstest.Point{T: w.at(i).Add(off), V: v})
		}
		w.srcs[s] = &liveSource{pts: pts, upTo: &w.clock}
	}
	return w
}

func (w *holdWorld) at(i int) time.Time { return w.start.Add(time.Duration(i) * 30 * time.Minute) }

// ticks runs the jobs at one minute before every half hour from point
// first on (the first run reads everything before it), in order ("all":
// concurrently), until three hours after the last point; then, at each
// tick, hook (when not nil). It returns the rows held back, summed over
// the runs.
func (w *holdWorld) ticks(t *testing.T, st *store.Store, jobs map[string]Job, first int, order []string, hook func(i int)) (held int) {
	ctx := context.Background()
	var mu sync.Mutex
	ingest := func(n string) {
		res, err := Ingest(ctx, st, jobs[n], w.clock)
		if err != nil {
			t.Errorf("tick %s job %s: %v", w.clock, n, err)
			return
		}
		mu.Lock()
		held += res.Held
		mu.Unlock()
	}
	for i := first; i < w.n+6; i++ {
		w.clock = w.at(i).Add(-time.Minute)
		if order[0] == "all" {
			var wg sync.WaitGroup
			for _, n := range []string{"a", "b", "c"} {
				wg.Go(func() { ingest(n) })
			}
			wg.Wait()
		} else {
			for _, n := range order {
				ingest(n)
			}
		}
		if hook != nil {
			hook(i)
		}
	}
	return held
}

// stored returns, per dataset, the times of the rows in the latest
// version and the quarantined ones with their codes.
func stored(t *testing.T, st *store.Store, dataset string) (sealed []int64, quarantined []string) {
	t.Helper()
	ctx := context.Background()
	err := NewCatalogHistory(st).Scan(ctx, dataset, 0, 0, 0, func(r arrow.RecordBatch) error {
		ts := r.Column(0).(*array.Timestamp)
		for i := range ts.Len() {
			sealed = append(sealed, int64(ts.Value(i)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(sealed, func(i, j int) bool { return sealed[i] < sealed[j] })
	es, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: dataset})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		quarantined = append(quarantined, e.RowKey+" "+fmt.Sprint(e.Codes))
	}
	return sealed, quarantined
}

// keyOf renders a row key of the price schema (its ts).
func keyOf(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// TestHoldBackOrderIndependent runs the three jobs of holdWorld tick by
// tick in the orders a→b→c, c→b→a and all at once: with the hold-back,
// c's reading of the real move waits until its peers have reported past
// it and is kept, b's spike is quarantined, and the quarantine and the
// failing findings (code and rows) are the same in every order; every row of every source is in the latest
// version or the quarantine exactly once. With max_hold 0s (no hold-back)
// c's reading of the real move is quarantined: the test can fail.
func TestHoldBackOrderIndependent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxHold time.Duration
		orders  [][]string
	}{
		{"hold-back", poisoning.DefaultMaxHold, [][]string{{"a", "b", "c"}, {"c", "b", "a"}, {"all"}}},
		{"no hold-back", 0, [][]string{{"a", "b", "c"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want string
			for _, order := range tc.orders {
				w := newHoldWorld(0)
				st := openTestStore(t)
				jobs := holdJobs(t, w, tc.maxHold)
				held := w.ticks(t, st, jobs, 56, order, nil)
				got, findings := map[string][]string{}, map[string][]string{}
				for _, n := range []string{"a", "b", "c"} {
					sealed, q := stored(t, st, "p_"+n)
					checkExactlyOnce(t, w.srcs[n].pts, sealed, q)
					got[n] = q
					findings[n] = failingFindings(t, st, "p_"+n)
				}
				moveC := keyOf(w.srcs["c"].pts[w.move].T)
				cQuarantinedMove := fmt.Sprint(got["c"]) != "[]" && len(got["c"]) == 1 && got["c"][0][:len(moveC)] == moveC
				if tc.maxHold == 0 {
					if !cQuarantinedMove {
						t.Errorf("without hold-back c's reading of the move at %s was not quarantined: %v", moveC, got)
					}
					return
				}
				if held == 0 {
					t.Errorf("order %v: no row was held back", order)
				}
				if len(got["a"])+len(got["c"]) != 0 || len(got["b"]) != 1 || got["b"][0][:len(keyOf(w.srcs["b"].pts[w.spike].T))] != keyOf(w.srcs["b"].pts[w.spike].T) {
					t.Errorf("order %v: quarantined %v, want only b's spike at %s", order, got, keyOf(w.srcs["b"].pts[w.spike].T))
				}
				if s := fmt.Sprint(got, findings); want == "" {
					want = s
				} else if s != want {
					t.Errorf("order %v: quarantine and findings\n%s\nfirst order\n%s", order, s, want)
				}
			}
		})
	}
}

// TestHoldBackPeerDown stops a and b after point 60: c's newer rows are
// held while they are younger than max_hold, then judged without peers
// (every row consumed once, none lost), and c falls behind by no more
// than max_hold.
func TestHoldBackPeerDown(t *testing.T) {
	w := newHoldWorld(60)
	st := openTestStore(t)
	jobs := holdJobs(t, w, time.Hour)
	ctx := context.Background()
	held := 0
	w.ticks(t, st, jobs, 56, []string{"a", "b"}, func(i int) {
		res, err := Ingest(ctx, st, jobs["c"], w.clock)
		if err != nil {
			t.Fatal(err)
		}
		held = res.Held
		if i > 62 && i < w.n && (held < 1 || held > 2) {
			t.Errorf("tick %s: %d rows held, want the rows of the last hour (1 or 2)", w.clock, held)
		}
	})
	if held != 0 {
		t.Errorf("%d rows still held after max_hold", held)
	}
	sealed, q := stored(t, st, "p_c")
	checkExactlyOnce(t, w.srcs["c"].pts, sealed, q)
}

// TestHoldBackSealFails fails c's seal while rows are held (its SQL copy
// cannot be written: the run aborts before its commit), then runs again:
// the held checkpoint is where it was, and every row ends up in the
// version or the quarantine exactly once.
func TestHoldBackSealFails(t *testing.T) {
	w := newHoldWorld(0)
	root := t.TempDir()
	st, err := store.Open(context.Background(), root, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	jobs := holdJobs(t, w, poisoning.DefaultMaxHold)
	ctx := context.Background()
	sqlDir := filepath.Join(root, "sql")
	failed := false
	w.ticks(t, st, jobs, 56, []string{"a", "b"}, func(i int) {
		before, err := st.Checkpoint(ctx, "job-c")
		if err != nil {
			t.Fatal(err)
		}
		if _, skip, _ := unwrapHeld(before); skip > 0 && !failed { // rows are held: fail the seal
			failed = true
			if err := os.RemoveAll(sqlDir); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(sqlDir, []byte("not a directory"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := Ingest(ctx, st, jobs["c"], w.clock); err == nil {
				t.Fatal("the seal cannot write DATA/sql, yet the run reported no error")
			}
			after, _ := st.Checkpoint(ctx, "job-c")
			if string(after) != string(before) {
				t.Fatalf("the failed run moved the checkpoint: %s → %s", before, after)
			}
			if err := os.Remove(sqlDir); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Ingest(ctx, st, jobs["c"], w.clock); err != nil {
			t.Fatal(err)
		}
	})
	if !failed {
		t.Fatal("c never held rows back")
	}
	sealed, q := stored(t, st, "p_c")
	checkExactlyOnce(t, w.srcs["c"].pts, sealed, q)
	if len(q) != 0 {
		t.Errorf("quarantined %v; the move is real", q)
	}
}

// checkExactlyOnce fails unless every point is in sealed or quarantined
// exactly once.
func checkExactlyOnce(t *testing.T, pts []validatorstest.Point, sealed []int64, quarantined []string) {
	t.Helper()
	count := map[string]int{}
	for _, us := range sealed {
		count[keyOf(time.UnixMicro(us))]++
	}
	for _, q := range quarantined {
		count[strings.Fields(q)[0]]++
	}
	for _, p := range pts {
		if n := count[keyOf(p.T)]; n != 1 {
			t.Errorf("row %s is %d times in the version and the quarantine, want once", keyOf(p.T), n)
		}
		delete(count, keyOf(p.T))
	}
	if len(count) > 0 {
		t.Errorf("rows the source never had: %v", count)
	}
}

func openTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// holdJobs builds the jobs of w with peerJobsFor and max_hold.
func holdJobs(t *testing.T, w *holdWorld, maxHold time.Duration) map[string]Job {
	srcs := map[string]sources.Source{}
	for n, s := range w.srcs {
		srcs[n] = s
	}
	return peerJobsWith(t, srcs, maxHold)
}

// failingFindings returns a dataset's failing findings at warn or above
// of sealed runs (code and row keys), sorted.
func failingFindings(t *testing.T, st *store.Store, dataset string) []string {
	t.Helper()
	rows, err := st.DB().QueryContext(context.Background(), `SELECT f.code || ' ' || f.row_keys FROM gt.findings f
		JOIN gt.validation_runs r ON r.run_id = f.run_id
		WHERE f.dataset = ? AND NOT f.passed AND f.severity IN ('warn', 'error') AND r.outcome = 'sealed' ORDER BY 1`, dataset)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHoldBackThenValidationRemoved holds rows of c back, then removes c's
// validation section: the stream path resumes after the held checkpoint's
// consumed rows (it used to hand the held checkpoint to the source, which
// could not decode it), and every row of c is in the version or the
// quarantine exactly once.
func TestHoldBackThenValidationRemoved(t *testing.T) {
	w := newHoldWorld(0)
	st := openTestStore(t)
	jobs := holdJobs(t, w, poisoning.DefaultMaxHold)
	held := 0
	w.clock = w.at(56).Add(-time.Minute)
	for _, n := range []string{"c", "a", "b"} { // c first: its newest rows wait for a and b
		res, err := Ingest(context.Background(), st, jobs[n], w.clock)
		if err != nil {
			t.Fatal(err)
		}
		if n == "c" {
			held = res.Held
		}
	}
	if held == 0 {
		t.Fatal("c held nothing back: the test needs a held checkpoint")
	}
	plain := jobs["c"]
	plain.Validation, plain.Peers = nil, nil
	w.clock = w.at(w.n + 6)
	if _, err := Ingest(context.Background(), st, plain, w.clock); err != nil {
		t.Fatalf("ingest without validation after a hold: %v", err)
	}
	sealed, q := stored(t, st, "p_c")
	checkExactlyOnce(t, w.srcs["c"].pts, sealed, q)
}

// TestHoldBackMetric: a run that holds rows back says how many in
// groundtruth_rows_held (a steward cannot see held rows in the quarantine),
// and a later run that releases them sets it back to 0.
func TestHoldBackMetric(t *testing.T) {
	w := newHoldWorld(0)
	st := openTestStore(t)
	jobs := holdJobs(t, w, poisoning.DefaultMaxHold)
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Store: st, Metrics: m, Now: func() time.Time { return w.clock }}
	gauge := func() float64 {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() == "groundtruth_rows_held" {
				for _, x := range mf.GetMetric() {
					return x.GetGauge().GetValue()
				}
			}
		}
		return -1
	}
	ctx := context.Background()
	run := func(n string) *RunResult {
		res := r.Run(ctx, &Spec{Job: jobs[n]}, TriggerManual, 1)
		if res.Err != nil {
			t.Fatalf("job %s: %v", n, res.Err)
		}
		return res
	}
	w.clock = w.at(56).Add(-time.Minute)
	res := run("c") // before its peers: its newest rows wait
	if res.Ingest == nil || res.Ingest.Held == 0 {
		t.Fatal("c held nothing back")
	}
	if g := gauge(); g != float64(res.Ingest.Held) {
		t.Fatalf("groundtruth_rows_held = %v, want %d", g, res.Ingest.Held)
	}
	run("a")
	run("b")
	w.clock = w.at(w.n + 6)
	run("a")
	run("b")
	run("c")
	if g := gauge(); g != 0 {
		t.Fatalf("groundtruth_rows_held = %v after the peers reported past the held rows, want 0", g)
	}
}
