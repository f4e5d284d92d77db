package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// writeVersion seals rows [from, to) of the votes table as a new version
// of dataset, with the job's checkpoint.
func writeVersion(ctx context.Context, s *store.Store, dataset string, from, to int) (*datasets.Manifest, error) {
	w, err := s.Begin(ctx, dataset, datasetstest.VotesSchema(), store.WriteOptions{Job: dataset + "-job", Checkpoint: fmt.Appendf(nil, "%d", to)})
	if err != nil {
		return nil, err
	}
	for off := from; off < to; off += 100 {
		rec := datasetstest.VotesBatch(nil, off, min(100, to-off))
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			w.Abort()
			return nil, err
		}
	}
	return w.Commit()
}

// TestWritersOfDifferentDatasetsProceedAtOnce holds a writer of one dataset
// open while a writer of another commits, then writes two datasets from
// several goroutines at once (run it with -race): every version is
// numbered in order, holds its rows and verifies, and each dataset's
// checkpoint is the last one committed.
func TestWritersOfDifferentDatasetsProceedAtOnce(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	held, err := s.Begin(ctx, "alpha", datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := writeVersion(bctx, s, "beta", 0, 250); err != nil {
		t.Fatalf("a writer of beta waited for the writer of alpha: %v", err)
	}
	held.Abort()

	const versions = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*versions)
	for _, ds := range []string{"alpha", "beta"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			base := 0
			if ds == "beta" {
				base = 250
			}
			for v := range versions {
				if _, err := writeVersion(ctx, s, ds, base+v*500, base+(v+1)*500); err != nil {
					errs <- fmt.Errorf("%s version %d: %w", ds, v+1, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, tc := range []struct {
		dataset    string
		versions   int
		rows       uint64
		checkpoint string
	}{
		{"alpha", versions, versions * 500, "2000"},
		{"beta", versions + 1, 250 + versions*500, "2250"},
	} {
		vs, err := s.Versions(ctx, tc.dataset)
		if err != nil || len(vs) != tc.versions {
			t.Fatalf("%s: %d versions (%v), want %d", tc.dataset, len(vs), err, tc.versions)
		}
		for i, v := range vs {
			ver, err := s.Verify(ctx, tc.dataset, v.Version)
			if err != nil || ver.Err() != nil {
				t.Errorf("%s@%d does not verify: %v %v", tc.dataset, v.Version, err, ver.Err())
			}
			if v.Version != uint64(i+1) {
				t.Errorf("%s: version %d at position %d", tc.dataset, v.Version, i)
			}
		}
		if last := vs[len(vs)-1]; last.Rows != tc.rows {
			t.Errorf("%s@%d has %d rows, want %d", tc.dataset, last.Version, last.Rows, tc.rows)
		}
		if got := count(t, s, fmt.Sprintf(`SELECT count(*) FROM "%s@%d"`, tc.dataset, vs[len(vs)-1].Version)); got != int64(tc.rows) {
			t.Errorf("SQL view %s has %d rows, want %d", tc.dataset, got, tc.rows)
		}
		if cp, err := s.Checkpoint(ctx, tc.dataset+"-job"); err != nil || string(cp) != tc.checkpoint {
			t.Errorf("checkpoint of %s-job: %q (%v), want %s", tc.dataset, cp, err, tc.checkpoint)
		}
	}
	if n := count(t, s, `SELECT count(*) - count(DISTINCT id) FROM gt.segments`); n != 0 {
		t.Errorf("%d segment ids allocated twice", n)
	}
}

// TestWriterOfOneDatasetWaits: a second writer of a dataset waits for the
// first (giving up with its context), then starts from the first's version.
func TestWriterOfOneDatasetWaits(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	first, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if w, err := s.Begin(short, "votes", datasetstest.VotesSchema(), store.WriteOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		if w != nil {
			w.Abort()
		}
		t.Fatalf("second writer of votes while the first is open: %v, want a deadline error", err)
	}
	second := make(chan *datasets.Manifest, 1)
	go func() {
		m, err := writeVersion(ctx, s, "votes", 100, 200)
		if err != nil {
			t.Error(err)
		}
		second <- m
	}()
	rec := datasetstest.VotesBatch(nil, 0, 100)
	if err := first.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	select {
	case m := <-second:
		t.Fatalf("the second writer committed %+v while the first was open", m)
	case <-time.After(100 * time.Millisecond):
	}
	if m, err := first.Commit(); err != nil || m.Version != 1 {
		t.Fatalf("first commit: %+v %v", m, err)
	}
	if m := <-second; m == nil || m.Version != 2 || m.RowCount != 200 || m.Parent == nil || m.Parent.Version != 1 {
		t.Fatalf("second writer's version: %+v", m)
	}
}
