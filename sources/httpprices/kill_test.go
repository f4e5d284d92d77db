package httpprices

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
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

// ingestAll ingests until a fetch reads nothing, calling committed (when
// not nil) after each ingest; it returns the latest version's Merkle root
// and row count.
func ingestAll(t testing.TB, dir, url string, committed func()) (datasets.Hash, uint64) {
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
		if committed != nil {
			committed()
		}
	}
	rec, err := st.Version(ctx, "prices", 0)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Manifest.MerkleRoot, rec.Manifest.RowCount
}

// TestKillChild is the child of TestKillResume: it ingests everything,
// printing INGESTED after each ingest, and exits. It does nothing when run
// on its own.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(killEnvDir)
	if dir == "" {
		t.Skip("child process of TestKillResume")
	}
	ingestAll(t, dir, os.Getenv(killEnvURL), func() { fmt.Println("INGESTED") })
}

// TestKillResume kills child processes ingesting a price series with
// SIGKILL at random moments, each time after the child committed one or
// two ingests, somewhere in the next; then it runs to the end: the final
// dataset must have the Merkle root of an uninterrupted run.
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
	began := time.Now()
	wantRoot, wantRows := ingestAll(t, ref, url, nil)
	perIngest := time.Since(began) / (killPoints / 240) // 2 pages of 5 days of hourly points
	if wantRows != killPoints {
		t.Fatalf("reference run stored %d rows, want %d", wantRows, killPoints)
	}
	// Each child is killed by its progress, not by a clock estimate, so a
	// loaded machine cannot make it finish first: after n ingests (1 or 2)
	// it is killed within about one ingest's time.
	dir := filepath.Join(t.TempDir(), "killed")
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	kills := 0
	for i := 0; i < 10 && kills < 4; i++ {
		p := child(dir, url).Start(t)
		n := 1 + rng.IntN(2)
		p.WaitOutput(t, time.Minute, fmt.Sprintf("%d ingests", n), func(out string) bool { return strings.Count(out, "INGESTED\n") >= n })
		time.Sleep(time.Duration(rng.Int64N(int64(perIngest) + 1)))
		if p.Kill(t) {
			kills++
		}
	}
	gotRoot, gotRows := ingestAll(t, dir, url, nil)
	if gotRoot != wantRoot || gotRows != wantRows {
		t.Fatalf("after %d kills: root %s with %d rows, want %s with %d", kills, gotRoot, gotRows, wantRoot, wantRows)
	}
	if kills < 2 {
		t.Fatalf("only %d children were killed mid-run (an ingest takes about %v)", kills, perIngest)
	}
	t.Logf("%d children killed mid-ingest (an ingest takes about %v); final root %s over %d rows equals the uninterrupted run's",
		kills, perIngest, gotRoot, gotRows)
}

var _ sources.Source = (*Source)(nil)

// child is TestKillChild ingesting from url into dir.
func child(dir, url string) childtest.Child {
	return childtest.Child{Test: "TestKillChild", Env: []string{killEnvDir + "=" + dir, killEnvURL + "=" + url}}
}
