package scenarios

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// The production protocol: the daemon runs each price job once per tick,
// at half past every hour (schedule "30 * * * *": the sources report near
// the full hour, a few minutes apart, so one tick holds one report of
// each); a run fetches the rows after the job's checkpoint, validates
// them against the catalog (the peers' sealed versions, their quarantined
// rows and, read from the peers' sources, the rows they have not
// validated yet) and seals the accepted rows; quarantined rows go to the
// catalog. The jobs of one tick run one after the other in configuration
// order (the daemon with no jitter and one run slot), in reverse order, or
// all at once (each sees the others' rows as pending). As in the
// pipeline, a run holds back its rows newer than what every peer has
// observed (pipeline.JudgedNow): they stay in the source, unconsumed and
// visible to the peers as pending, until a later tick judges them.

// protocolOrder is one order in which the jobs of a tick run.
type protocolOrder struct {
	name string
	// steps lists the sources run together: each step sees the commits of
	// the steps before it.
	steps [][]string
}

var protocolOrders = []protocolOrder{
	{"a→b→c", [][]string{{"a"}, {"b"}, {"c"}}},
	{"c→b→a", [][]string{{"c"}, {"b"}, {"a"}}},
	{"all at once", [][]string{{"a", "b", "c"}}},
}

// observed is what one source's runs decided, by observation time (µs).
type observed struct {
	codes       map[int64][]validators.Finding // failing findings at warn or above
	quarantined map[int64]bool
	gaps        []validators.Finding // time-bucket findings
	findings    []string             // every finding, rendered, for order comparisons
}

func newObserved() *observed {
	return &observed{codes: map[int64][]validators.Finding{}, quarantined: map[int64]bool{}}
}

// protocolRun runs the window of every source tick by tick under order and
// returns what each source's runs decided.
func protocolRun(t *testing.T, suites map[string]*validators.Suite, prefix string, seed, win map[string][]validatorstest.Point, from, to time.Time, order protocolOrder) map[string]*observed {
	h := validators.NewMemHistory()
	t.Cleanup(h.Release)
	for _, s := range sourceNames {
		rec := validatorstest.PriceRecord(s, seed[s])
		h.Add(prefix+s, validatorstest.PriceSchema(), rec)
		rec.Release()
	}
	out := map[string]*observed{}
	for _, s := range sourceNames {
		out[s] = newObserved()
	}
	src := map[string]*heldSource{}
	for _, s := range sourceNames {
		src[s] = &heldSource{pts: win[s]}
	}
	// after the window, ticks go on until every held row was judged
	// (max_hold at the latest): no row stays unconsumed
	for tick := from.Add(-30 * time.Minute); tick.Before(to) || (tick.Before(to.Add(6*time.Hour)) && !allConsumed(src)); tick = tick.Add(time.Hour) {
		now := tick.Add(time.Hour + time.Minute)
		unconsumed := map[string]arrow.RecordBatch{}
		for _, s := range sourceNames {
			unconsumed[s] = src[s].reported(s, tick.Add(time.Hour))
		}
		for _, step := range order.steps {
			outs, judged := map[string]*validators.Outcome{}, map[string]int{}
			for _, s := range step {
				if unconsumed[s] == nil {
					continue
				}
				pending := map[string][]arrow.RecordBatch{}
				for _, p := range sourceNames {
					if p != s && unconsumed[p] != nil {
						pending[prefix+p] = []arrow.RecordBatch{unconsumed[p]}
					}
				}
				hist := validators.WithPending(h, pending)
				k := judgedNow(t, suites[s], prefix+s, unconsumed[s], hist, now)
				judged[s] = k
				if k > 0 {
					rec := unconsumed[s].NewSlice(0, int64(k))
					defer rec.Release()
					outs[s] = run(t, suites[s], prefix+s, validatorstest.PriceSchema(), []arrow.RecordBatch{rec}, hist, now)
				}
			}
			for _, s := range step {
				if o := outs[s]; o != nil {
					commit(t, h, prefix+s, o)
					out[s].add(o, tick)
				}
				if unconsumed[s] != nil {
					unconsumed[s] = src[s].consume(unconsumed[s], judged[s])
				}
			}
		}
		for _, r := range unconsumed {
			if r != nil {
				r.Release()
			}
		}
	}
	return out
}

// heldSource is a source under the hold-back: the points it has reported
// and how many of them its job consumed.
type heldSource struct {
	pts  []validatorstest.Point
	used int
}

// reported returns the unconsumed points reported before until (nil when
// there are none).
func (hs *heldSource) reported(s string, until time.Time) arrow.RecordBatch {
	n := hs.used
	for n < len(hs.pts) && hs.pts[n].T.Before(until) {
		n++
	}
	if n == hs.used {
		return nil
	}
	return validatorstest.PriceRecord(s, hs.pts[hs.used:n])
}

// consume marks the first k rows of rec consumed and returns the rest
// (the held rows, still the peers' pending observations), releasing rec.
func (hs *heldSource) consume(rec arrow.RecordBatch, k int) arrow.RecordBatch {
	hs.used += k
	defer rec.Release()
	if k == int(rec.NumRows()) {
		return nil
	}
	return rec.NewSlice(int64(k), rec.NumRows())
}

func allConsumed(src map[string]*heldSource) bool {
	for _, hs := range src {
		if hs.used < len(hs.pts) {
			return false
		}
	}
	return true
}

// judgedNow is pipeline.JudgedNow on one source's unconsumed rows.
func judgedNow(t *testing.T, suite *validators.Suite, dataset string, rec arrow.RecordBatch, hist validators.History, now time.Time) int {
	in := &validators.Input{Dataset: dataset, Schema: validatorstest.PriceSchema(), Records: []arrow.RecordBatch{rec}, History: hist, Now: now}
	defer in.Close()
	k, err := pipeline.JudgedNow(context.Background(), suite, in)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// commit seals the accepted rows, records the quarantined ones and the
// flagged keys, as the pipeline does.
func commit(t *testing.T, h *validators.MemHistory, dataset string, o *validators.Outcome) {
	var acc []arrow.RecordBatch
	if err := o.Accepted(func(r arrow.RecordBatch) error {
		r.Retain()
		acc = append(acc, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(acc) > 0 {
		h.Add(dataset, validatorstest.PriceSchema(), acc...)
	}
	releaseAll(acc)
	if err := o.QuarantinedRecords(func(_ int, r arrow.RecordBatch) error {
		h.AddUnsealed(dataset, validators.StatusQuarantined, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range o.FlaggedRows() {
		keys = append(keys, o.Input.Table.Key(r))
	}
	h.Flag(dataset, keys...)
}

// add records a run's decisions.
func (ob *observed) add(o *validators.Outcome, tick time.Time) {
	ts, _ := o.Input.Table.Ints("ts")
	for _, f := range o.Findings {
		if !f.Passed {
			ob.findings = append(ob.findings, fmt.Sprintf("%s %s %s rows %v", tick.Format(time.RFC3339), f.Code, f.Subject, o.Input.Table.Keys(f.Rows)))
		}
	}
	for _, f := range failing(o, "") {
		if f.Code == "gaps.time_bucket" {
			ob.gaps = append(ob.gaps, f)
			continue
		}
		for _, r := range f.Rows {
			ob.codes[ts.Values[r]] = append(ob.codes[ts.Values[r]], f)
		}
	}
	for _, r := range o.QuarantinedRows() {
		ob.quarantined[ts.Values[r]] = true
	}
}
