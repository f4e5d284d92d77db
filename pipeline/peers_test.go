package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
	"github.com/groundtruth-dao/groundtruth/validators/poisoning"
	"github.com/groundtruth-dao/groundtruth/validators/validatorstest"
)

// peerJobsFor builds three price jobs a, b, c whose series and
// cross-source checks read the other two as peers.
func peerJobsFor(t *testing.T, srcs map[string]*batchSource) map[string]Job {
	t.Helper()
	out := map[string]sources.Source{}
	for n, s := range srcs {
		out[n] = s
	}
	return peerJobsWith(t, out, poisoning.DefaultMaxHold)
}

// peerJobsWith is peerJobsFor for any sources, with max_hold set.
func peerJobsWith(t *testing.T, srcs map[string]sources.Source, maxHold time.Duration) map[string]Job {
	t.Helper()
	names := []string{"a", "b", "c"}
	jobs := map[string]Job{}
	for _, n := range names {
		var peers []poisoning.Peer
		var pjobs []PeerJob
		for _, o := range names {
			if o != n {
				peers = append(peers, poisoning.Peer{Dataset: "p_" + o})
				pjobs = append(pjobs, PeerJob{Name: "job-" + o, Dataset: "p_" + o, Source: srcs[o]})
			}
		}
		sc := poisoning.DefaultSeriesConfig()
		sc.Value, sc.Time, sc.Peers, sc.MaxHold = "price", "ts", peers, validators.Duration(maxHold)
		series, err := poisoning.NewSeries("", sc)
		if err != nil {
			t.Fatal(err)
		}
		cc := poisoning.DefaultCrossSourceConfig()
		cc.Value, cc.Time, cc.Peers, cc.MaxHold = "price", "ts", peers, validators.Duration(maxHold)
		cross, err := poisoning.NewCrossSource("", cc)
		if err != nil {
			t.Fatal(err)
		}
		suite, err := validators.NewSuite([]validators.Validator{series, cross}, nil, validators.SuiteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		jobs[n] = Job{Name: "job-" + n, Dataset: "p_" + n, Source: srcs[n], Validation: suite, Peers: pjobs}
	}
	return jobs
}

// TestPeersOrderIndependent runs three price jobs whose second batch holds
// a real +40% move in every source and a spike in b, in three orders: the
// quarantined rows are the same in every order (only b's spike), and the
// real move is kept everywhere although each job sees its peers' rows
// sealed, quarantined or not yet validated depending on the order.
func TestPeersOrderIndependent(t *testing.T) {
	start := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	var want map[string][]string
	for _, order := range [][]string{{"a", "b", "c"}, {"c", "b", "a"}, {"b", "a", "c"}} {
		ctx := context.Background()
		st, err := store.Open(ctx, t.TempDir(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srcs := map[string]*batchSource{}
		for i, n := range []string{"a", "b", "c"} {
			hist := hourly(start, 120, 100)
			next := hourly(start.Add(120*time.Hour), 6, 100)
			for j := range next {
				next[j].T = next[j].T.Add(time.Duration(i) * time.Minute)
				if j >= 2 {
					next[j].V *= 1.4 // the real move, in every source
				}
			}
			if n == "b" {
				next[4].V *= 1.5 // b alone
			}
			srcs[n] = &batchSource{batches: [][]validatorstest.Point{hist, next}}
		}
		jobs := peerJobsFor(t, srcs)
		got := map[string][]string{}
		for batch := range 2 {
			for _, n := range order {
				if _, err := Ingest(ctx, st, jobs[n], start.Add(time.Duration(127+batch)*time.Hour)); err != nil {
					t.Fatalf("order %v batch %d job %s: %v", order, batch, n, err)
				}
			}
		}
		for _, n := range []string{"a", "b", "c"} {
			es, err := st.QuarantineList(ctx, store.QuarantineFilter{Dataset: "p_" + n})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				got[n] = append(got[n], e.RowKey+" "+fmt.Sprint(e.Codes))
			}
		}
		st.Close()
		if len(got["b"]) != 1 || len(got["a"])+len(got["c"]) != 0 {
			t.Errorf("order %v: quarantined %v, want only b's spike", order, got)
		}
		if want == nil {
			want = got
		} else if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Errorf("order %v: quarantined %v, first order %v", order, got, want)
		}
	}
}
