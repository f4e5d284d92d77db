package evmlogs_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/evmlogs"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

// pingConfig returns an evm_logs configuration for the Ping events of an
// EventEmitter at addr behind url.
func pingConfig(url string, addr common.Address) evmlogs.Config {
	cfg := evmlogs.DefaultConfig()
	cfg.RPC.URL = url
	cfg.Addresses = []string{addr.Hex()}
	cfg.Event = chaintest.PingEvent
	return cfg
}

func newSource(t testing.TB, id string, cfg evmlogs.Config, deps sources.Deps) *chainrpc.LogSource {
	t.Helper()
	src, err := evmlogs.New(id, cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// fetchAll fetches once and returns the rendered rows and the result.
func fetchAll(t testing.TB, src sources.Source, cur sources.Cursor) ([]chaintest.Row, sources.Result) {
	t.Helper()
	var rows []chaintest.Row
	res, err := src.Fetch(context.Background(), cur, func(rec arrow.RecordBatch) error {
		rows = append(rows, chaintest.RecordRows(src.Schema(), rec)...)
		return nil
	})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return rows, res
}

// wantPings checks rows against Ping events seq first..first+len(rows)-1
// sent by from.
func wantPings(t testing.TB, rows []chaintest.Row, first int, from common.Address) {
	t.Helper()
	for i, r := range rows {
		seq := first + i
		want := map[string]any{
			"seq": fmt.Sprint(seq), "from": chaintest.Hex(from[:]),
			"value": fmt.Sprint(uint64(seq)*1_000_000_000 + 7), "tag": chaintest.Hex(make([]byte, 32)),
		}
		for k, v := range want {
			if r[k] != v {
				t.Fatalf("row %d: %s = %v, want %v (row %v)", i, k, r[k], v, r)
			}
		}
	}
}

func TestConformance(t *testing.T) {
	a := chaintest.Anvil(t)
	sourcetest.Run(t, sourcetest.Harness{
		CloseIdle: a.CloseIdleConnections,
		// A log source stops after the eth_getLogs block range it was told enough in.
		FinishesUnit: true,
		New: func(t testing.TB) sourcetest.Instance {
			addr := chaintest.DeployEmitter(t, a)
			chaintest.EmitMany(t, a, addr, 3, 2)
			cfg := pingConfig(a.RPCURL(), addr)
			cfg.BatchRows = 1
			src := newSource(t, "pings", cfg, chaintest.Deps(t, nil))
			return sourcetest.Instance{Source: src, Grow: func(t testing.TB) { chaintest.EmitMany(t, a, addr, 2, 2) }}
		},
		Provenance: []string{chainrpc.ColSource, chainrpc.ColRawSHA256, chainrpc.ColBlockNumber, chainrpc.ColBlockHash},
		// The digest names the response a row came from; a re-read over
		// other ranges gets other responses.
		Volatile: []string{chainrpc.ColRawSHA256},
	})
}

func TestFetchDecodesPings(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	rcpts := chaintest.EmitMany(t, a, addr, 7, 3)
	cfg := pingConfig(a.RPCURL(), addr)
	cfg.BlockRange, cfg.MaxBlockRange, cfg.Concurrency = 1, 1, 3 // one request per block, fetched concurrently
	src := newSource(t, "pings", cfg, chaintest.Deps(t, nil))
	rows, res := fetchAll(t, src, nil)
	if len(rows) != 7 {
		t.Fatalf("got %d rows, want 7", len(rows))
	}
	sender := a.Accounts()[0].Address
	wantPings(t, rows, 0, sender)
	for i, r := range rows {
		rc := rcpts[i/3]
		if r["block_number"] != rc.BlockNumber.Uint64() || r["tx_hash"] != rc.TxHash.Hex() || r["block_hash"] != rc.BlockHash.Hex() {
			t.Errorf("row %d: block %v tx %v hash %v, want %v %v %v", i, r["block_number"], r["tx_hash"], r["block_hash"], rc.BlockNumber, rc.TxHash.Hex(), rc.BlockHash.Hex())
		}
		if r["address"] != chaintest.Hex(addr[:]) || r["log_index"] != uint64(i%3) || r["_source"] != "pings" {
			t.Errorf("row %d: address %v log_index %v source %v", i, r["address"], r["log_index"], r["_source"])
		}
		hdr, err := a.EthClient().HeaderByNumber(context.Background(), rc.BlockNumber)
		if err != nil {
			t.Fatal(err)
		}
		if r["block_time"] != int64(hdr.Time) {
			t.Errorf("row %d: block_time %v, want %d", i, r["block_time"], hdr.Time)
		}
	}
	c, err := chainrpc.DecodeCursor(res.Cursor, 0)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := a.EthClient().BlockNumber(context.Background())
	if c.Next != head+1 || c.Rows != 7 || c.ChainID != testchain.AnvilChainID {
		t.Errorf("cursor %+v, want next %d, rows 7, chain %d", c, head+1, testchain.AnvilChainID)
	}
	if res.Provenance.BlockRange == nil || res.Provenance.BlockRange.To != head || len(res.Provenance.Inputs) != 3 {
		t.Errorf("provenance %+v, want blocks up to %d and 3 inputs", res.Provenance, head)
	}
}
