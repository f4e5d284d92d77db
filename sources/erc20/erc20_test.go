package erc20_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/erc20"
)

// want is an expected event row: the event and its non-null fields.
type want struct {
	event  string
	fields map[string]any
}

func transfer(from, to common.Address, n int64) want {
	return want{erc20.EventTransfer, map[string]any{"from_address": hex(from), "to_address": hex(to), "value": chaintest.Tokens(n).String()}}
}

func delegated(who, from, to common.Address) want {
	return want{erc20.EventDelegateChanged, map[string]any{"delegator": hex(who), "from_delegate": hex(from), "to_delegate": hex(to)}}
}

func votes(who common.Address, prev, next int64) want {
	return want{erc20.EventDelegateVotesChanged, map[string]any{"delegate": hex(who), "previous_votes": chaintest.Tokens(prev).String(), "new_votes": chaintest.Tokens(next).String()}}
}

func hex(a common.Address) string { return chaintest.Hex(a[:]) }

// TestVotesToken ingests the test DAO token's events through pipeline.Ingest
// and checks them against the scenario's mints, delegations and transfer.
func TestVotesToken(t *testing.T) {
	a := chaintest.Anvil(t)
	sc := chaintest.RunDAOScenario(t, a)
	v := sc.Voters
	var zero common.Address
	all := []want{
		transfer(zero, v[0], 100), transfer(zero, v[1], 200), transfer(zero, v[2], 300), transfer(zero, v[3], 400),
		delegated(v[0], zero, v[0]), votes(v[0], 0, 100),
		delegated(v[1], zero, v[1]), votes(v[1], 0, 200),
		delegated(v[2], zero, v[2]), votes(v[2], 0, 300),
		delegated(v[3], zero, v[0]), votes(v[0], 100, 500),
		transfer(v[1], v[2], 50), votes(v[1], 200, 150), votes(v[2], 300, 350),
	}
	st, err := store.Open(context.Background(), t.TempDir(), store.Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := erc20.DefaultConfig()
	cfg.RPC.URL, cfg.Addresses = a.RPCURL(), []string{sc.DAO.Token.Hex()}
	src, err := erc20.New("gtv", cfg, chaintest.Deps(t, st.Raw()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Ingest(context.Background(), st, pipeline.Job{Name: "gtv", Dataset: "gtv", Source: src}, time.Now()); err != nil {
		t.Fatal(err)
	}
	_, rows := chaintest.StoreRows(t, st, "gtv")
	if len(rows) != len(all) {
		t.Fatalf("%d rows, want %d", len(rows), len(all))
	}
	// Rows come in chain order from the scenario's token transactions.
	var txs []string
	for _, rc := range sc.TokenReceipts {
		for range rc.Logs {
			txs = append(txs, rc.TxHash.Hex())
		}
	}
	nullable := []string{"from_address", "to_address", "value", "delegator", "from_delegate", "to_delegate", "delegate", "previous_votes", "new_votes"}
	for i, w := range all {
		r := rows[i]
		if r["event"] != w.event || r["tx_hash"] != txs[i] || r["address"] != hex(sc.DAO.Token) {
			t.Errorf("row %d: event %v tx %v address %v, want %s %s %s", i, r["event"], r["tx_hash"], r["address"], w.event, txs[i], hex(sc.DAO.Token))
		}
		for _, k := range nullable {
			if fmt.Sprint(r[k]) != fmt.Sprint(w.fields[k]) {
				t.Errorf("row %d (%s): %s = %v, want %v", i, w.event, k, r[k], w.fields[k])
			}
		}
	}

	// The events option restricts the set.
	cfg.Events = []string{erc20.EventDelegateVotesChanged}
	only, err := erc20.New("gtv-votes", cfg, chaintest.Deps(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if _, err := only.Fetch(context.Background(), nil, func(rec arrow.RecordBatch) error { n += int(rec.NumRows()); return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("DelegateVotesChanged only: %d rows, want 6", n)
	}
}
