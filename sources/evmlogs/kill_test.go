package evmlogs_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/childtest"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
)

const (
	envKillDir  = "GT_EVMLOGS_KILL_DIR"
	envKillURL  = "GT_EVMLOGS_KILL_URL"
	envKillAddr = "GT_EVMLOGS_KILL_ADDR"
	envKillHead = "GT_EVMLOGS_KILL_HEAD"
)

// killConfig reads a few blocks per ingest with small, adapting ranges, so
// an ingest spans many versions and requests.
func killConfig(url string, addr common.Address) evmlogs.Config {
	cfg := pingConfig(url, addr)
	cfg.MaxBlocksPerFetch, cfg.BlockRange, cfg.MaxBlockRange, cfg.BatchRows = 3, 1, 4, 64
	return cfg
}

// TestKillChild is the child process of TestKillMidIngest: it ingests until
// the head named in the environment.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(envKillDir)
	if dir == "" {
		t.Skip("child process of TestKillMidIngest")
	}
	h, _ := strconv.ParseUint(os.Getenv(envKillHead), 10, 64)
	cfg := killConfig(os.Getenv(envKillURL), common.HexToAddress(os.Getenv(envKillAddr)))
	st := openStore(t, dir)
	src := newSource(t, "pings", cfg, chaintest.Deps(t, st.Raw()))
	job := pipeline.Job{Name: "pings", Dataset: "pings", Source: src}
	for {
		if _, err := pipeline.Ingest(context.Background(), st, job, time.Unix(1_800_000_000, 0)); err != nil {
			t.Fatal(err)
		}
		fmt.Println("INGESTED")
		raw, _ := st.Checkpoint(context.Background(), "pings")
		if c, _ := chainrpc.DecodeCursor(raw, 0); c.Next > h {
			return
		}
	}
}

// runAndKill starts a child, waits until it has committed after ingests,
// then a little longer, and SIGKILLs it. It reports whether the child was
// killed before it finished; a child that failed fails t.
func runAndKill(t *testing.T, child childtest.Child, after int, delay time.Duration) bool {
	p := child.Start(t)
	p.WaitOutput(t, 2*time.Minute, fmt.Sprintf("%d ingests", after), func(out string) bool {
		return strings.Count(out, "INGESTED\n") >= after
	})
	time.Sleep(delay)
	return p.Kill(t)
}

// TestKillMidIngest SIGKILLs an ingesting child process a few times and
// then lets it finish: the dataset must equal, Merkle root included, that of
// an uninterrupted ingest.
func TestKillMidIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 1200, 40)
	h := head(t, a)

	ref := openStore(t, t.TempDir())
	src := newSource(t, "pings", killConfig(a.RPCURL(), addr), chaintest.Deps(t, ref.Raw()))
	ingestUntil(t, ref, pipeline.Job{Name: "pings", Dataset: "pings", Source: src}, h)
	want, wantRows := chaintest.StoreRows(t, ref, "pings")
	if len(wantRows) != 1200 {
		t.Fatalf("uninterrupted ingest: %d rows, want 1200", len(wantRows))
	}

	dir := t.TempDir()
	child := childtest.Child{Test: "TestKillChild", Env: []string{envKillDir + "=" + dir, envKillURL + "=" + a.RPCURL(),
		envKillAddr + "=" + addr.Hex(), envKillHead + "=" + strconv.FormatUint(h, 10)}}
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	killed := 0
	for i := 0; i < 4; i++ {
		if runAndKill(t, child, rnd.IntN(4), time.Duration(rnd.IntN(40))*time.Millisecond) {
			killed++
		}
		logProgress(t, dir, i)
	}
	if killed == 0 {
		t.Fatal("no child was killed mid-ingest")
	}
	child.Run(t)
	st := openStore(t, dir)
	got, rows := chaintest.StoreRows(t, st, "pings")
	for i := range min(len(rows), len(wantRows)) {
		if fmt.Sprint(rows[i]) != fmt.Sprint(wantRows[i]) {
			t.Errorf("row %d: %v, uninterrupted %v", i, rows[i], wantRows[i])
			break
		}
	}
	if got.MerkleRoot != want.MerkleRoot || got.RowCount != want.RowCount {
		t.Fatalf("after %d kills: %d rows, root %s; uninterrupted: %d rows, root %s", killed, got.RowCount, got.MerkleRoot, want.RowCount, want.MerkleRoot)
	}
	wantPings(t, rows, 0, a.Accounts()[0].Address)
}

// logProgress logs how far a killed child got.
func logProgress(t *testing.T, dir string, i int) {
	st, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	raw, err := st.Checkpoint(context.Background(), "pings")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := chainrpc.DecodeCursor(raw, 0)
	t.Logf("after child %d: next block %d, %d rows", i, c.Next, c.Rows)
}
