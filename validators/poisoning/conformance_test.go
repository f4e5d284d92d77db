package poisoning

import (
	"context"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// priceCase returns a run of source a with a spike and a repeated key,
// and a history holding a's past and two peers.
func priceCase(t *testing.T) validatorstest.Case {
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	past := synthetic(100, start)
	pts := synthetic(100, start.Add(100*time.Hour))
	h := validators.NewMemHistory()
	t.Cleanup(h.Release)
	add := func(ds string, ps []validatorstest.Point) {
		r := validatorstest.PriceRecord(ds, ps)
		h.Add(ds, validatorstest.PriceSchema(), r)
		r.Release()
	}
	add("comp_a", past)
	add("comp_b", append(append([]validatorstest.Point{}, past...), pts...))
	add("comp_c", append(append([]validatorstest.Point{}, past...), pts...))
	hist := validatorstest.PriceRecord("a", past)
	tb := validators.NewTable(validatorstest.PriceSchema(), []arrow.RecordBatch{hist})
	m, err := validators.ComputeMetrics(context.Background(), "comp_a", tb, nil)
	if err != nil {
		t.Fatal(err)
	}
	hist.Release()
	h.AddMetrics(m)
	run := append([]validatorstest.Point{}, pts...)
	run[50].V *= 1.5
	run = append(run, validatorstest.Point{T: run[10].T, V: run[10].V * 1.01})
	rec := validatorstest.PriceRecord("a", run)
	t.Cleanup(rec.Release)
	return validatorstest.Case{Name: "prices", Dataset: "comp_a", Schema: validatorstest.PriceSchema(), Records: []arrow.RecordBatch{rec},
		History: h, Now: run[len(run)-2].T}
}

// lonelyCase is priceCase with peers that observed nothing of the run:
// every row is reported as not cross-checked.
func lonelyCase(t *testing.T) validatorstest.Case {
	c := priceCase(t)
	start := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	h := validators.NewMemHistory()
	t.Cleanup(h.Release)
	for _, ds := range []string{"comp_a", "comp_b", "comp_c"} {
		r := validatorstest.PriceRecord(ds, synthetic(100, start))
		h.Add(ds, validatorstest.PriceSchema(), r)
		r.Release()
	}
	c.Name, c.History = "no peer observations", h
	return c
}

func TestConformance(t *testing.T) {
	c := priceCase(t)
	lonely := lonelyCase(t)
	peers := []Peer{{Dataset: "comp_b"}, {Dataset: "comp_c"}}
	sc := DefaultSeriesConfig()
	sc.Value, sc.Time, sc.Peers = "price", "ts", peers
	cc := DefaultCrossSourceConfig()
	cc.Value, cc.Time, cc.Peers = "price", "ts", peers
	series, err1 := NewSeries("", sc)
	cross, err2 := NewCrossSource("", cc)
	dups, err3 := NewDuplicates("", DefaultDuplicatesConfig())
	schema, err4 := NewSchema("", SchemaConfig{})
	drift, err5 := NewDrift("", DefaultDriftConfig())
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []validators.Validator{series, cross, dups, schema, drift} {
		t.Run(v.Name(), func(t *testing.T) {
			validatorstest.Conformance(t, v, c, lonely)
			fails := 0
			for _, f := range validatorstest.Run(t, v, c) {
				if !f.Passed {
					fails++
				}
			}
			t.Logf("%s: %d failing findings", v.Name(), fails)
		})
	}
}

func TestCrossSourceAttribution(t *testing.T) {
	c := priceCase(t)
	cc := DefaultCrossSourceConfig()
	cc.Value, cc.Time, cc.Peers = "price", "ts", []Peer{{Dataset: "comp_b"}, {Dataset: "comp_c"}}
	v, err := NewCrossSource("", cc)
	if err != nil {
		t.Fatal(err)
	}
	var dev []int
	for _, f := range validatorstest.Run(t, v, c) {
		if f.Code == CodeCrossDeviation && !f.Passed {
			dev = append(dev, f.Rows...)
		}
	}
	if len(dev) != 1 || dev[0] != 50 {
		t.Fatalf("deviation rows %v, want [50]", dev)
	}
}

func TestDuplicatesFlagLaterRow(t *testing.T) {
	c := priceCase(t)
	v, _ := NewDuplicates("", DefaultDuplicatesConfig())
	fs := validatorstest.Run(t, v, c)
	if len(fs) != 1 || fs[0].Code != CodeConflictingDuplicate || fs[0].Rows[0] != 100 {
		t.Fatalf("findings %+v", fs)
	}
	if k := c.Input().Table.Key(100); k != "2021-05-05T14:00:00.000000Z#1" {
		t.Fatalf("key of the repeat: %s", k)
	}
}
