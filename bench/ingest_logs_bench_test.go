//go:build duckdb_arrow

package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
)

const envBenchLogs = "GROUNDTRUTH_BENCH_LOGS"

// benchLogs is the number of logs: 200,000 unless GROUNDTRUTH_BENCH_LOGS says otherwise.
func benchLogs() int {
	if n, err := strconv.Atoi(os.Getenv(envBenchLogs)); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// logsPerTx is how many Ping events one emitMany transaction emits (one
// block each on anvil).
const logsPerTx = 5000

// emitPings sends emitMany transactions with a fixed gas limit (no gas
// estimation, which would run each one twice) and waits for the last.
func emitPings(b *testing.B, a *testchain.Anvil, addr common.Address, n int) {
	ctx := context.Background()
	em := eventemitter.NewEventEmitter()
	inst := bind.NewBoundContract(addr, abi.ABI{}, a.Client(), a.Client(), a.Client())
	var last *types.Transaction
	for n > 0 {
		k := min(n, logsPerTx)
		opts := a.Transactor(ctx, a.Accounts()[0])
		opts.GasLimit = uint64(k)*2600 + 100_000
		tx, err := bind.Transact(inst, opts, em.PackEmitMany(big.NewInt(int64(k))))
		if err != nil {
			b.Fatalf("emitMany(%d): %v", k, err)
		}
		last, n = tx, n-k
	}
	if _, err := testchain.WaitSuccess(ctx, a, last); err != nil {
		b.Fatal(err)
	}
}

// bareGetLogs reads the range with go-ethereum's ethclient in one
// eth_getLogs call: the baseline a source is compared with.
func bareGetLogs(b *testing.B, a *testchain.Anvil, addr common.Address, head uint64) (time.Duration, int) {
	began := time.Now()
	logs, err := a.EthClient().FilterLogs(context.Background(), ethereum.FilterQuery{
		FromBlock: big.NewInt(0), ToBlock: new(big.Int).SetUint64(head), Addresses: []common.Address{addr},
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(began), len(logs)
}

// rawGetLogs only transfers the same answer (no decoding): the node's floor.
func rawGetLogs(b *testing.B, url string, addr common.Address, head uint64) (time.Duration, int) {
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"0x%x","address":"%s"}]}`, head, addr.Hex())
	began := time.Now()
	resp, err := http.Post(url, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(began), int(n)
}

// sourceIngest runs the evm_logs source into a store version: fetch, decode
// and stage (Write), then seal (Commit), timed separately.
func sourceIngest(b *testing.B, a *testchain.Anvil, addr common.Address) (stage, seal time.Duration, rows uint64) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir(), store.Options{MemoryLimit: "256MB"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cfg := evmlogs.DefaultConfig()
	cfg.RPC.URL, cfg.Addresses, cfg.Event = a.RPCURL(), []string{addr.Hex()}, chaintest.PingEvent
	cfg.BlockRange, cfg.MaxBlockRange, cfg.Concurrency = 2, 2, 4
	src, err := evmlogs.New("pings", cfg, chaintest.Deps(b, st.Raw()))
	if err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	w, err := st.Begin(ctx, "pings", src.Schema(), store.WriteOptions{Job: "pings"})
	if err != nil {
		b.Fatal(err)
	}
	res, err := src.Fetch(ctx, nil, w.Write)
	if err != nil {
		b.Fatal(err)
	}
	stage = time.Since(began)
	rows = w.Rows()
	w.SetCheckpoint(res.Cursor, res.Provenance)
	began = time.Now()
	if _, err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	return stage, time.Since(began), rows
}

// BenchmarkIngestLogs ingests the Ping events of an EventEmitter on anvil
// (200,000 by default) through the evm_logs source into a store and
// compares it with a bare eth_getLogs client over the same range.
func BenchmarkIngestLogs(b *testing.B) {
	n := benchLogs()
	a := chaintest.Anvil(b, "--gas-limit", "100000000")
	addr := chaintest.DeployEmitter(b, a)
	setup := time.Now()
	emitPings(b, a, addr, n)
	head, err := a.EthClient().BlockNumber(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("\nemitted %d logs in %d blocks in %v\n", n, (n+logsPerTx-1)/logsPerTx, time.Since(setup).Round(time.Millisecond))
	for i := 0; i < b.N; i++ {
		rawD, size := rawGetLogs(b, a.RPCURL(), addr, head)
		bareD, got := bareGetLogs(b, a, addr, head)
		if got != n {
			b.Fatalf("bare client read %d logs, want %d", got, n)
		}
		stage, seal, rows := sourceIngest(b, a, addr)
		if rows != uint64(n) {
			b.Fatalf("source read %d rows, want %d", rows, n)
		}
		fmt.Printf("\n%-36s %12s %12s %9s\n", fmt.Sprintf("phase (%d logs, %d MB JSON)", n, size>>20), "time", "logs/s", "x bare")
		for _, p := range []struct {
			name string
			d    time.Duration
		}{
			{"eth_getLogs body only (node floor)", rawD},
			{"bare ethclient.FilterLogs", bareD},
			{"evm_logs source: fetch+decode+stage", stage},
			{"seal (commit the version)", seal},
			{"source total", stage + seal},
		} {
			fmt.Printf("%-36s %12v %12.0f %9.2f\n", p.name, p.d.Round(time.Millisecond), float64(n)/p.d.Seconds(), p.d.Seconds()/bareD.Seconds())
		}
		b.ReportMetric(float64(n)/stage.Seconds(), "source-logs/s")
		b.ReportMetric(stage.Seconds()/bareD.Seconds(), "x-bare")
	}
}
