package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// TestRunnerLocksPerJob is the regression test of what the 3-process kill
// test (cmd/groundtruth TestStoreKill) found first: one runner lock for the
// whole data directory made an `ingest` of another dataset exit 5 while
// the daemon ran. Runners of disjoint jobs now open the directory at once;
// a second runner of one job is refused naming it; an exclusive runner
// (catalog rebuild, migrate, prune) is refused while any job runs and
// refuses job runners while it works; closing a store frees its locks.
func TestRunnerLocksPerJob(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	open := func(jobs ...string) (*store.Store, error) {
		return store.Open(ctx, root, store.Options{JobRunner: true, Jobs: jobs})
	}
	daemon, err := open("comp", "aave")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		jobs []string
		want string // "" for success
	}{
		{"another job", []string{"bravo"}, ""},
		{"a job the daemon runs", []string{"aave"}, "another process runs job aave in"},
		{"jobs one of which the daemon runs", []string{"x", "comp"}, "another process runs job comp in"},
		{"the whole directory", nil, "another process runs jobs in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := open(tc.jobs...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("a runner of %v beside the daemon: %v", tc.jobs, err)
				}
				s.Close()
				return
			}
			if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("a runner of %v beside the daemon: %v, want ErrLocked with %q", tc.jobs, err, tc.want)
			}
		})
	}
	daemon.Close()
	excl, err := open()
	if err != nil {
		t.Fatalf("the exclusive runner once the daemon closed: %v", err)
	}
	if _, err := open("comp"); !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "holds it") {
		t.Fatalf("a job runner beside the exclusive one: %v", err)
	}
	excl.Close()
	if s, err := open("comp"); err != nil {
		t.Fatalf("a job runner after the exclusive one closed: %v", err)
	} else {
		s.Close()
	}
}

// TestInterruptRunsOfJobs: a runner marks interrupted only the runs of the
// jobs it runs; a run of another process's job stays running.
func TestInterruptRunsOfJobs(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, r := range []store.RunRecord{
		{ID: "mine", Job: "comp", Dataset: "comp_usd", Trigger: "schedule", Attempt: 1, Started: t0},
		{ID: "theirs", Job: "bravo", Dataset: "compound_bravo", Trigger: "manual", Attempt: 1, Started: t0},
	} {
		if err := s.StartRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.InterruptRuns(ctx, "comp", "aave"); err != nil || n != 1 {
		t.Fatalf("interrupted %d runs of comp and aave, %v; want 1", n, err)
	}
	runs, err := s.Runs(ctx, store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		want := map[string]string{"mine": store.RunInterrupted, "theirs": store.RunRunning}[r.ID]
		if r.Outcome != want {
			t.Errorf("run %s of %s: %s, want %s", r.ID, r.Job, r.Outcome, want)
		}
	}
}

// TestReaderOfACatalogBeingCreated is the regression test of what the
// kill test found on its first reads: a reader that opened the directory
// while the first writer had created the catalog file but not its tables
// (or a new, empty PostgreSQL database) failed with "no such table"; it
// now gets ErrNotFound, as when there is no catalog at all.
func TestReaderOfACatalogBeingCreated(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, store.CatalogFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), root, store.Options{ReadOnly: true})
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "run an ingest first") {
		t.Fatalf("a reader of a catalog without tables: %v, want ErrNotFound", err)
	}
}
