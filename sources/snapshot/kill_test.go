package snapshot

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/internal/fakeapi"
)

const (
	killEnvDir = "GROUNDTRUTH_SNAPSHOT_KILL_DIR"
	killEnvURL = "GROUNDTRUTH_SNAPSHOT_KILL_URL"
)

// ingestAll ingests the votes until a fetch reads nothing (two pages of
// 100 per ingest, so a run is many versions); it returns the latest
// version's Merkle root and row count.
func ingestAll(t testing.TB, dir, url string) (datasets.Hash, uint64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := testConfig(url, TableVotes, "groundtruth.eth", 100)
	cfg.MaxPages = 2
	s := mustNew(t, "snap", cfg, testDeps(t, st.Raw()))
	for {
		res, err := ingest(ctx, st, s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows == 0 {
			break
		}
	}
	rec, err := st.Version(ctx, "votes", 0)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Manifest.MerkleRoot, rec.Manifest.RowCount
}

// TestKillChild is the child of TestKillResume.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(killEnvDir)
	if dir == "" {
		t.Skip("child process of TestKillResume")
	}
	ingestAll(t, dir, os.Getenv(killEnvURL))
}

// TestKillResume kills child processes ingesting votes with SIGKILL at
// random moments early in the remaining work, then runs to the end: the
// final dataset must have the Merkle root of an uninterrupted run.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	const votes = 2000
	hub := fakeapi.StartHub(fakeapi.Generate(fakeapi.GenOptions{Votes: votes, Burst: 7}), fakeapi.HubOptions{})
	defer hub.Close()
	hub.SetFaults(fakeapi.Always(fakeapi.Fault{Delay: 10 * time.Millisecond}))

	ref := filepath.Join(t.TempDir(), "reference")
	wantRoot, wantRows := ingestAll(t, ref, hub.URL)
	if wantRows != votes {
		t.Fatalf("reference run stored %d rows, want %d", wantRows, votes)
	}
	idle := child(ref, hub.URL).Run(t)
	work := max(child(filepath.Join(t.TempDir(), "timing"), hub.URL).Run(t)-idle, 10*time.Millisecond)

	dir := filepath.Join(t.TempDir(), "killed")
	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	kills := 0
	for i := 0; i < 10 && kills < 4; i++ {
		frac := 0.05 + rng.Float64()*0.2
		if child(dir, hub.URL).KillAfter(t, idle+time.Duration(frac*float64(work))) {
			kills++
		}
	}
	gotRoot, gotRows := ingestAll(t, dir, hub.URL)
	if gotRoot != wantRoot || gotRows != wantRows {
		t.Fatalf("after %d kills: root %s with %d rows, want %s with %d", kills, gotRoot, gotRows, wantRoot, wantRows)
	}
	if kills < 2 {
		t.Fatalf("only %d children were killed mid-run (start-up %v, work %v)", kills, idle, work)
	}
	t.Logf("%d children killed mid-ingest (start-up %v, work %v); final root %s over %d rows equals the uninterrupted run's",
		kills, idle, work, gotRoot, gotRows)
}

// child is TestKillChild ingesting from url into dir.
func child(dir, url string) childtest.Child {
	return childtest.Child{Test: "TestKillChild", Env: []string{killEnvDir + "=" + dir, killEnvURL + "=" + url}}
}
