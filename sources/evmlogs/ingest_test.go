package evmlogs_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir, store.Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// ingestUntil runs pipeline.Ingest until the job's cursor has passed head.
func ingestUntil(t testing.TB, st *store.Store, job pipeline.Job, head uint64) {
	t.Helper()
	ctx := chaintest.Ctx(t)
	for i := 0; ; i++ {
		if _, err := pipeline.Ingest(ctx, st, job, time.Unix(1_800_000_000, 0)); err != nil {
			t.Fatalf("ingest %d: %v", i, err)
		}
		raw, err := st.Checkpoint(ctx, job.Name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := chainrpc.DecodeCursor(raw, 0)
		if err != nil {
			t.Fatal(err)
		}
		if c.Next > head {
			return
		}
		if i > 10_000 {
			t.Fatalf("no progress: cursor %+v, head %d", c, head)
		}
	}
}

func head(t testing.TB, c testchain.Chain) uint64 {
	t.Helper()
	n, err := c.Client().BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIngestThroughFaultyProxy reads through a proxy that refuses ranges of
// more than 1,000 logs with the node's error text and injects HTTP 5xx and
// timeouts; the dataset must still hold every log exactly once, in order.
func TestIngestThroughFaultyProxy(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	var rcpts []*types.Receipt
	for i := 0; i < 4; i++ {
		rcpts = append(rcpts, chaintest.EmitMany(t, a, addr, 1500, 600)...)
		if err := a.Mine(context.Background(), 3); err != nil {
			t.Fatal(err)
		}
	}
	const total = 6000
	p := chaintest.NewProxy(t, a.RPCURL(), chaintest.ProxyOptions{MaxLogs: 1000, FailRate: 0.15, HangRate: 0.05, Seed: 1})
	cfg := pingConfig(p.URL, addr)
	cfg.RPC.Timeout, cfg.RPC.Retries = 300*time.Millisecond, 10
	cfg.BatchRows = 512
	st := openStore(t, t.TempDir())
	src := newSource(t, "pings", cfg, chaintest.Deps(t, st.Raw()))
	job := pipeline.Job{Name: "pings", Dataset: "pings", Source: src}
	ingestUntil(t, st, job, head(t, a))

	_, rows := chaintest.StoreRows(t, st, "pings")
	if len(rows) != total {
		t.Fatalf("%d rows, want %d", len(rows), total)
	}
	wantPings(t, rows, 0, a.Accounts()[0].Address)
	checkReceipts(t, rows, rcpts)
	if p.Refused.Load() == 0 || p.Failed.Load() == 0 || p.Hung.Load() == 0 {
		t.Errorf("the proxy refused %d, failed %d and hung %d requests; want all three > 0", p.Refused.Load(), p.Failed.Load(), p.Hung.Load())
	}
	// Every digest names a raw body the store keeps, and that body holds the row.
	seen := map[string]bool{}
	for _, r := range rows {
		d := r[chainrpc.ColRawSHA256].(string)
		if seen[d] {
			continue
		}
		seen[d] = true
		h, err := datasets.ParseHash(d)
		if err != nil {
			t.Fatal(err)
		}
		body, err := st.Raw().Get(context.Background(), h)
		if err != nil {
			t.Fatalf("raw body %s: %v", d, err)
		}
		if !strings.Contains(string(body), strings.TrimPrefix(r["tx_hash"].(string), "0x")) {
			t.Errorf("raw body %s does not hold tx %s", d, r["tx_hash"])
		}
	}
	t.Logf("proxy: forwarded %d, refused %d, failed %d, hung %d; %d raw bodies", p.Forwarded.Load(), p.Refused.Load(), p.Failed.Load(), p.Hung.Load(), len(seen))
}

// checkReceipts checks that rows come from the receipts' blocks and
// transactions, in order.
func checkReceipts(t testing.TB, rows []chaintest.Row, rcpts []*types.Receipt) {
	t.Helper()
	i := 0
	for _, rc := range rcpts {
		for _, lg := range rc.Logs {
			r := rows[i]
			if r["tx_hash"] != lg.TxHash.Hex() || r["block_hash"] != lg.BlockHash.Hex() || r["block_number"] != lg.BlockNumber || r["log_index"] != uint64(lg.Index) {
				t.Fatalf("row %d: %v, want log %d of tx %s in block %d", i, r, lg.Index, lg.TxHash.Hex(), lg.BlockNumber)
			}
			i++
		}
	}
}

// TestReorg ingests a chain, replaces its last blocks with different ones
// of the same height (evm_snapshot, evm_revert, new transactions) and
// ingests again: the source must detect the reorganisation, the pipeline
// commit a non-append version noting it, and the final rows equal the new
// chain's logs.
func TestReorg(t *testing.T) {
	a := chaintest.Anvil(t)
	ctx := chaintest.Ctx(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 4, 4) // kept by the reorganisation
	snap, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.EmitMany(t, a, addr, 6, 3) // two blocks, replaced below
	cfg := pingConfig(a.RPCURL(), addr)
	st := openStore(t, t.TempDir())
	src := newSource(t, "pings", cfg, chaintest.Deps(t, st.Raw()))
	job := pipeline.Job{Name: "pings", Dataset: "pings", Source: src}
	oldHead := head(t, a)
	ingestUntil(t, st, job, oldHead)
	oldHdr, _ := a.EthClient().HeaderByNumber(ctx, new(big.Int).SetUint64(oldHead))

	if err := a.Revert(ctx, snap); err != nil {
		t.Fatal(err)
	}
	em := eventemitter.NewEventEmitter()
	var newRcpts []*types.Receipt
	for _, n := range []int64{2, 5} { // same height, other logs
		rc, err := testchain.Transact(ctx, a, a.Accounts()[1], addr, em.PackEmitTagged(big.NewInt(n), common.Hash{0x42}))
		if err != nil {
			t.Fatal(err)
		}
		newRcpts = append(newRcpts, rc)
	}
	if h := head(t, a); h != oldHead {
		t.Fatalf("new head %d, want the old height %d", h, oldHead)
	}
	newHdr, _ := a.EthClient().HeaderByNumber(ctx, new(big.Int).SetUint64(oldHead))
	ingestUntil(t, st, job, oldHead)

	vs, err := st.Versions(ctx, "pings")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || vs[1].AppendOnly || !vs[2].AppendOnly || vs[1].Rows != 4 || vs[2].Rows != 11 {
		t.Fatalf("versions %+v, want 10 rows, a non-append version keeping 4, then 11 rows", vs)
	}
	for _, want := range []string{"chain reorganisation", fmt.Sprintf("block %d", oldHead), oldHdr.Hash().Hex(), newHdr.Hash().Hex()} {
		if !strings.Contains(vs[1].Note, want) {
			t.Errorf("rewind note %q does not mention %q", vs[1].Note, want)
		}
	}
	_, rows := chaintest.StoreRows(t, st, "pings")
	if len(rows) != 11 {
		t.Fatalf("%d rows, want 11", len(rows))
	}
	wantPings(t, rows[:4], 0, a.Accounts()[0].Address)
	for i, r := range rows[4:] {
		if r["seq"] != fmt.Sprint(4+i) || r["from"] != chaintest.Hex(a.Accounts()[1].Address[:]) || r["tag"] != (common.Hash{0x42}).Hex() {
			t.Errorf("row %d after the reorganisation: %v", 4+i, r)
		}
	}
	checkReceipts(t, rows[4:], newRcpts)
	// A fresh ingest of the new chain gives the same rows (digests aside).
	fresh := openStore(t, t.TempDir())
	job.Source = newSource(t, "pings", cfg, chaintest.Deps(t, nil))
	ingestUntil(t, fresh, job, oldHead)
	_, freshRows := chaintest.StoreRows(t, fresh, "pings")
	for i := range rows {
		delete(rows[i], chainrpc.ColRawSHA256)
		delete(freshRows[i], chainrpc.ColRawSHA256)
		if fmt.Sprint(rows[i]) != fmt.Sprint(freshRows[i]) {
			t.Fatalf("row %d: %v, a fresh ingest has %v", i, rows[i], freshRows[i])
		}
	}
}

var _ sources.Source = (*chainrpc.LogSource)(nil)
