package gaps

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/validators"
	vt "github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

var t0 = time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)

// priceRun is an hourly series with a 5-hour hole and a frozen stretch.
func priceRun(t *testing.T) vt.Case {
	var pts []vt.Point
	for i := 0; i < 72; i++ {
		if i >= 20 && i < 25 {
			continue
		}
		v := 100 + float64(i%7)
		if i >= 40 && i < 46 {
			v = 55
		}
		pts = append(pts, vt.Point{T: t0.Add(time.Duration(i) * time.Hour), V: v})
	}
	rec := vt.PriceRecord("a", pts)
	t.Cleanup(rec.Release)
	return vt.Case{Name: "prices", Dataset: "p", Schema: vt.PriceSchema(), Records: []arrow.RecordBatch{rec}, Now: t0.Add(80 * time.Hour),
		Provenance: datasets.Provenance{BlockRange: &datasets.BlockRange{From: 10, To: 20}}}
}

// governanceRun has proposals 1, 2, 4 (3 missing), votes for 1, 2 and 9,
// and proposal 2 executed with too few votes.
func governanceRun(t *testing.T) vt.Case {
	ev := func(b uint64) vt.Event {
		return vt.Event{Block: b, Time: t0.Add(time.Duration(b) * 12 * time.Second), Tx: vt.Hash(b), Log: 0}
	}
	var outs []vt.Outcome
	for _, o := range []struct {
		kind string
		id   uint64
	}{{"created", 1}, {"created", 2}, {"created", 4}, {"queued", 1}, {"executed", 2}} {
		outs = append(outs, vt.Outcome{Event: ev(uint64(100 + len(outs))), State: o.kind, Proposal: o.id})
	}
	// the governor source's states table: state + proposal_id
	rec := vt.StatesRecord(outs)
	t.Cleanup(rec.Release)
	votes := vt.VotesRecord([]vt.Vote{
		{Event: ev(200), Proposal: 1, Voter: vt.Addr(1), Support: 1, Weight: vt.Tokens(500_000)},
		{Event: ev(201), Proposal: 2, Voter: vt.Addr(2), Support: 1, Weight: vt.Tokens(10)},
		{Event: ev(202), Proposal: 9, Voter: vt.Addr(3), Support: 0, Weight: vt.Tokens(10)},
	})
	h := validators.NewMemHistory()
	t.Cleanup(h.Release)
	h.Add("votes", vt.VotesSchema(), votes)
	votes.Release()
	return vt.Case{Name: "governance", Dataset: "governor_states", Schema: vt.StatesSchema(), Records: []arrow.RecordBatch{rec}, History: h}
}

func TestGapsValidators(t *testing.T) {
	prices, gov := priceRun(t), governanceRun(t)
	max0 := 0.0
	tests := []struct {
		v    func() (validators.Validator, error)
		c    vt.Case
		want validators.Code
		rows int
	}{
		{func() (validators.Validator, error) {
			return NewTimeBuckets("", TimeBucketsConfig{Time: "ts", Interval: validators.Duration(time.Hour), MinMissing: 2})
		}, prices, CodeTimeBucket, 2},
		{func() (validators.Validator, error) {
			return NewFreshness("", FreshnessConfig{Time: "ts", Heartbeat: validators.Duration(2 * time.Hour), Value: "price"})
		}, prices, CodeStaleValue, 5},
		{func() (validators.Validator, error) {
			return NewFreshness("", FreshnessConfig{Time: "ts", Heartbeat: validators.Duration(time.Hour)})
		}, prices, CodeStale, 0},
		{func() (validators.Validator, error) {
			return NewCompleteness("", CompletenessConfig{Columns: []NullRule{{Column: "price", MaxNullRate: &max0}}})
		}, prices, "", 0},
		{func() (validators.Validator, error) {
			return NewBlockRange("", BlockRangeConfig{})
		}, prices, "", 0},
		{func() (validators.Validator, error) {
			return NewSequence("", SequenceConfig{Column: "proposal_id", Step: 1, Where: validators.Where{Column: "state", In: []string{"created"}}})
		}, gov, CodeSequenceGap, 2},
		{func() (validators.Validator, error) {
			c := DefaultTallyConfig()
			c.Weight, c.Quorum, c.PassedProposal, c.VotesDataset = "weight", 4e23, "proposal_id", "votes"
			c.Passed = validators.Where{Column: "state", In: []string{"queued", "executed"}}
			return NewTally("", c)
		}, gov, CodeTallyShortfall, 1},
	}
	for _, tc := range tests {
		v, err := tc.v()
		if err != nil {
			t.Fatal(err)
		}
		t.Run(v.Name(), func(t *testing.T) {
			vt.Conformance(t, v, tc.c)
			if tc.want == "" {
				return
			}
			var got *validators.Finding
			for _, f := range vt.Run(t, v, tc.c) {
				if f.Code == tc.want && !f.Passed {
					got = &f
				}
			}
			if got == nil || len(got.Rows) != tc.rows {
				t.Fatalf("want a failing %s with %d rows, got %+v", tc.want, tc.rows, got)
			}
			t.Logf("%s %s: %s", got.Code, got.Subject, got.Message)
		})
	}
}

func TestRowCount(t *testing.T) {
	c := priceRun(t)
	h := validators.NewMemHistory()
	for i := 0; i < 6; i++ {
		h.AddMetrics(&validators.Metrics{Dataset: "p", Input: 1000 + i})
	}
	c.History = h
	v, _ := NewRowCount("", DefaultRowCountConfig())
	vt.Conformance(t, v, c)
	fs := vt.Run(t, v, c)
	if len(fs) != 1 || fs[0].Passed {
		t.Fatalf("67 rows against ~1000 per run should be anomalous: %+v", fs)
	}
}
