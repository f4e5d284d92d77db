package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

func TestRunHistory(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s := openStore(t, root)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	v := uint64(3)
	runs := []store.RunRecord{
		{ID: "r1", Job: "a", Dataset: "da", Trigger: "schedule", Attempt: 1, Started: t0, Outcome: store.RunOK, RowsIn: 10, RowsAccepted: 9,
			RowsQuarantined: 1, Findings: map[string]uint64{"warn": 2, "error": 1}, Version: &v, ValidationRun: "vr1", Attestation: "pending"},
		{ID: "r2", Job: "a", Dataset: "da", Trigger: "retry", Attempt: 2, Started: t0.Add(time.Minute), Outcome: store.RunFailed, Error: "connection refused"},
		{ID: "r3", Job: "b", Dataset: "db", Trigger: "schedule", Attempt: 1, Started: t0.Add(2 * time.Minute)},
	}
	for i := range runs {
		r := &runs[i]
		if err := s.StartRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.Outcome != "" {
			end := r.Started.Add(time.Second)
			r.Ended = &end
			if err := s.FinishRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n, err := s.InterruptRuns(ctx); err != nil || n != 1 {
		t.Fatalf("interrupted %d %v", n, err)
	}
	all, err := s.Runs(ctx, store.RunFilter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("runs %+v %v", all, err)
	}
	if all[0].ID != "r3" || all[0].Outcome != store.RunInterrupted || all[0].Ended == nil || all[0].Error == "" {
		t.Fatalf("interrupted run: %+v", all[0])
	}
	a, _ := s.Runs(ctx, store.RunFilter{Job: "a", Limit: 1})
	if len(a) != 1 || a[0].ID != "r2" || a[0].Error != "connection refused" || a[0].Trigger != "retry" || a[0].Attempt != 2 {
		t.Fatalf("job a: %+v", a)
	}
	r1 := all[2]
	if *r1.Version != 3 || r1.RowsQuarantined != 1 || r1.Findings["warn"] != 2 || r1.Findings["error"] != 1 || r1.Attestation != "pending" || r1.ValidationRun != "vr1" {
		t.Fatalf("r1: %+v", r1)
	}
	last, err := s.LastSuccess(ctx)
	if err != nil || !last["a"].Equal(t0.Add(time.Second)) || !last["b"].IsZero() {
		t.Fatalf("last success %v %v", last, err)
	}
	s.Close()
	s = openStore(t, root) // the DDL is idempotent
	if rs, _ := s.Runs(ctx, store.RunFilter{}); len(rs) != 3 {
		t.Fatalf("after reopening: %d runs", len(rs))
	}
}
