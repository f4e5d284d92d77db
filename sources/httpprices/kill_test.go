package httpprices

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
	"github.com/groundtruth-dao/groundtruth/sources"
)

const (
	killEnvDir = "GROUNDTRUTH_PRICES_KILL_DIR"
	killEnvURL = "GROUNDTRUTH_PRICES_KILL_URL"
	killPoints = 2400
)

// killConfig is the configuration shared by the parent and the children:
// small windows and few pages per ingest, so a run is many versions.
func killConfig(url string) Config {
	cfg := cgConfig(url, 5*24*time.Hour, t0.Add((killPoints-1)*time.Hour))
	cfg.MaxPages = 2
	return cfg
}

// ingestAll ingests until a fetch reads nothing; it returns the latest
// version's Merkle root and row count.
func ingestAll(t testing.TB, dir, url string) (datasets.Hash, uint64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := mustNew(t, "gt", killConfig(url), testDeps(t, st.Raw()))
	for {
		res, err := ingest(ctx, st, s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows == 0 {
			break
		}
	}
	rec, err := st.Version(ctx, "prices", 0)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Manifest.MerkleRoot, rec.Manifest.RowCount
}

// TestKillChild is the child of TestKillResume: it ingests everything and
// exits. It does nothing when run on its own.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(killEnvDir)
	if dir == "" {
		t.Skip("child process of TestKillResume")
	}
	ingestAll(t, dir, os.Getenv(killEnvURL))
}

// TestKillResume kills child processes ingesting a price series with
// SIGKILL at random moments, each time early in the work that remains, then
// runs to the end: the final dataset must have the Merkle root of an
// uninterrupted run.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	srv := fakeapi.StartPrices(fakeapi.PriceOptions{})
	defer srv.Close()
	srv.AddSeries("gt", series(killPoints))
	srv.SetFaults(fakeapi.Always(fakeapi.Fault{Delay: 10 * time.Millisecond})) // a slow origin
	url := srv.RangeURL("gt")

	ref := filepath.Join(t.TempDir(), "reference")
	wantRoot, wantRows := ingestAll(t, ref, url)
	if wantRows != killPoints {
		t.Fatalf("reference run stored %d rows, want %d", wantRows, killPoints)
	}
	// A child's run is its start-up (measured on the finished store) plus
	// the work (measured on an empty one).
	idle := child(ref, url).Run(t)
	full := child(filepath.Join(t.TempDir(), "timing"), url).Run(t)
	work := max(full-idle, 10*time.Millisecond)

	dir := filepath.Join(t.TempDir(), "killed")
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	kills := 0
	for i := 0; i < 10 && kills < 4; i++ {
		frac := 0.05 + rng.Float64()*0.2
		if child(dir, url).KillAfter(t, idle+time.Duration(frac*float64(work))) {
			kills++
		}
	}
	gotRoot, gotRows := ingestAll(t, dir, url)
	if gotRoot != wantRoot || gotRows != wantRows {
		t.Fatalf("after %d kills: root %s with %d rows, want %s with %d", kills, gotRoot, gotRows, wantRoot, wantRows)
	}
	if kills < 2 {
		t.Fatalf("only %d children were killed mid-run (start-up %v, work %v)", kills, idle, work)
	}
	t.Logf("%d children killed mid-ingest (start-up %v, work %v); final root %s over %d rows equals the uninterrupted run's",
		kills, idle, work, gotRoot, gotRows)
}

var _ sources.Source = (*Source)(nil)

// child is TestKillChild ingesting from url into dir.
func child(dir, url string) childtest.Child {
	return childtest.Child{Test: "TestKillChild", Env: []string{killEnvDir + "=" + dir, killEnvURL + "=" + url}}
}
