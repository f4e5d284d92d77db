package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
)

const (
	killEnvDir   = "GROUNDTRUTH_KILL_CHILD_DIR"
	killEnvStart = "GROUNDTRUTH_KILL_CHILD_START"
	killRows     = 60_000
)

// TestKillChild is the child of TestKillDuringSeal: it seals one version of
// killRows rows and exits. It does nothing when run on its own.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(killEnvDir)
	if dir == "" {
		t.Skip("child process of TestKillDuringSeal")
	}
	start, _ := strconv.Atoi(os.Getenv(killEnvStart))
	ctx := context.Background()
	s, err := store.Open(ctx, dir, store.Options{Builder: datasets.BuilderOptions{SegmentRows: 16_384, BatchRows: 4096}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.Begin(ctx, "votes", datasetstest.VotesSchema(), store.WriteOptions{Job: "kill", Checkpoint: []byte(strconv.Itoa(start + killRows))})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < killRows; off += 5000 {
		rec := datasetstest.VotesBatch(nil, start+off, 5000)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestKillDuringSeal kills a child process sealing a large version with
// SIGKILL at random moments; after each kill the store must open with no
// partial version visible, the earlier versions intact, and the next seal
// must succeed.
func TestKillDuringSeal(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	full := child(dir, 0).Run(t) // one uninterrupted seal measures the window
	committed := uint64(1)
	kills := 0
	for i := 0; kills < 30 && i < 60; i++ {
		delay := time.Duration(rng.Int64N(int64(full)))
		if child(dir, int(committed)*killRows).KillAfter(t, delay) {
			kills++
		}
		committed = checkAfterKill(t, dir, committed)
	}
	t.Logf("%d children killed mid-seal, %d versions committed; a seal takes %v", kills, committed, full)
	if kills < 30 {
		t.Fatalf("only %d children were killed before finishing; the window estimate is off", kills)
	}
	// The next seal succeeds and every version verifies.
	child(dir, int(committed)*killRows).Run(t)
	s := openStore(t, dir)
	vs, err := s.Versions(context.Background(), "votes")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if ver, err := s.Verify(context.Background(), "votes", v.Version); err != nil || ver.Err() != nil {
			t.Fatalf("version %d: %v %v", v.Version, err, ver.Err())
		}
	}
	// Pruning the leftovers the check listed leaves a clean directory.
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Prune(context.Background(), rep); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Check(context.Background()); err != nil || !rep.Clean() {
		t.Fatalf("after prune: %+v %v", rep, err)
	}
	t.Logf("pruned %d leftovers of killed writes", len(rep.Pruned))
}

// checkAfterKill opens the store and checks its state; it returns the
// number of committed versions.
func checkAfterKill(t *testing.T, dir string, before uint64) uint64 {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatalf("store does not open after a kill: %v", err)
	}
	defer s.Close()
	vs, err := s.Versions(ctx, "votes")
	if err != nil {
		t.Fatal(err)
	}
	n := uint64(len(vs))
	if n != before && n != before+1 {
		t.Fatalf("%d versions after a kill, had %d", n, before)
	}
	last := vs[n-1]
	if last.Rows != n*killRows {
		t.Fatalf("latest version has %d rows, want %d: a partial version is visible", last.Rows, n*killRows)
	}
	rows := count(t, s, fmt.Sprintf(`SELECT count(*) FROM "votes@%d"`, last.Version))
	cp, _ := s.Checkpoint(ctx, "kill")
	if uint64(rows) != last.Rows || string(cp) != strconv.Itoa(int(last.Rows)) {
		t.Fatalf("catalog has %d rows and checkpoint %s for a version of %d rows", rows, cp, last.Rows)
	}
	if v, err := s.Verify(ctx, "votes", last.Version); err != nil || v.Err() != nil {
		t.Fatalf("latest version after a kill: %v %v", err, v.Err())
	}
	for _, v := range vs {
		rec, _ := s.Version(ctx, "votes", v.Version)
		for _, seg := range rec.Manifest.Segments {
			if _, err := os.Stat(filepath.Join(dir, seg.Path)); err != nil {
				t.Fatal(fmt.Errorf("version %d lost a segment: %w", v.Version, err))
			}
		}
	}
	// Leftovers of the killed write stay (nothing is deleted at open) and
	// are the only thing Check reports.
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.MissingFiles)+len(rep.CatalogRowsWithoutFiles)+len(rep.HashMismatches)+len(rep.UnindexedManifests) != 0 {
		t.Fatalf("check after a kill: %+v", rep)
	}
	for _, f := range rep.UnreferencedFiles {
		if !strings.HasPrefix(f, "tmp/") && !strings.HasPrefix(f, "segments/") {
			t.Fatalf("unexpected unreferenced file %s", f)
		}
	}
	return n
}

// child is TestKillChild sealing rows from start into dir.
func child(dir string, start int) childtest.Child {
	return childtest.Child{Test: "TestKillChild", Env: []string{killEnvDir + "=" + dir, killEnvStart + "=" + strconv.Itoa(start)}}
}
