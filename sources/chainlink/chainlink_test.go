package chainlink_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainlink"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

func feedConfig(url string, f *mockFeed) chainlink.Config {
	cfg := chainlink.DefaultConfig()
	cfg.RPC.URL, cfg.Feed, cfg.Heartbeat = url, f.addr.Hex(), time.Hour
	return cfg
}

func newSource(t testing.TB, cfg chainlink.Config) *chainlink.Source {
	t.Helper()
	src, err := chainlink.New("feed", cfg, chaintest.Deps(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func fetch(t testing.TB, src sources.Source, cur sources.Cursor) ([]chaintest.Row, sources.Result) {
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

func mine(t testing.TB, f *mockFeed) {
	t.Helper()
	if err := f.a.Mine(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	a := chaintest.Anvil(t)
	n := uint64(0)
	sourcetest.Run(t, sourcetest.Harness{
		CloseIdle: a.CloseIdleConnections,
		// A feed source finishes the poll (the rounds up to the latest) it was told enough in.
		FinishesUnit: true,
		New: func(t testing.TB) sourcetest.Instance {
			n++
			f := newMockFeed(t, a, n, 8)
			next := uint64(1)
			add := func() {
				f.round(roundID(1, next), int64(100*next), 1_700_000_000+next, 1_700_000_010+next)
				next++
			}
			add()
			add()
			add()
			mine(t, f)
			cfg := feedConfig(a.RPCURL(), f)
			cfg.Backfill, cfg.BatchRows = 100, 1
			return sourcetest.Instance{Source: newSource(t, cfg), Grow: func(t testing.TB) { add(); mine(t, f) }}
		},
		Provenance: []string{chainrpc.ColSource, chainrpc.ColRawSHA256, chainrpc.ColBlockNumber, chainrpc.ColBlockHash},
		// A round read again is read at a later block.
		Volatile: []string{chainrpc.ColBlockNumber, chainrpc.ColBlockHash, chainrpc.ColBlockTime},
	})
}

// round is an expected row.
type round struct {
	id     string
	phase  uint64
	agg    uint64
	answer string
}

func checkRounds(t *testing.T, label string, rows []chaintest.Row, want []round) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("%s: %d rows, want %d: %v", label, len(rows), len(want), rows)
	}
	for i, w := range want {
		r := rows[i]
		if r["round_id"] != w.id || r["phase_id"] != w.phase || r["aggregator_round"] != w.agg || r["answer"] != w.answer {
			t.Errorf("%s: row %d: round %v phase %v agg %v answer %v, want %+v", label, i, r["round_id"], r["phase_id"], r["aggregator_round"], r["answer"], w)
		}
		if r["decimals"] != uint64(8) || r["heartbeat_seconds"] != uint64(3600) || r["answered_in_round"] != w.id {
			t.Errorf("%s: row %d: decimals %v heartbeat %v answered %v", label, i, r["decimals"], r["heartbeat_seconds"], r["answered_in_round"])
		}
	}
}

// TestRounds covers backfill, negative answers, a phase change (the old
// phase's rounds are finished first), a missing round and resuming.
func TestRounds(t *testing.T) {
	a := chaintest.Anvil(t)
	f := newMockFeed(t, a, 1, 8)
	f.round(roundID(1, 1), 100, 1_700_000_000, 1_700_000_001)
	f.round(roundID(1, 2), -5, 1_700_000_100, 1_700_000_101)
	f.round(roundID(1, 3), 300, 1_700_000_200, 1_700_000_201)
	mine(t, f)
	cfg := feedConfig(a.RPCURL(), f)
	cfg.Backfill = 1
	src := newSource(t, cfg)
	rows, res := fetch(t, src, nil)
	checkRounds(t, "backfill", rows, []round{
		{roundID(1, 2).String(), 1, 2, "-5"}, {roundID(1, 3).String(), 1, 3, "300"},
	})
	if rows[0]["updated_at"] != int64(1_700_000_101) || rows[0]["started_at"] != int64(1_700_000_100) || rows[0]["feed"] != chaintest.Hex(f.addr[:]) {
		t.Errorf("row 0: %v", rows[0])
	}

	f.round(roundID(1, 4), 400, 1_700_000_300, 1_700_000_301)
	f.round(roundID(2, 1), 500, 1_700_000_400, 1_700_000_401)
	f.round(roundID(2, 2), 600, 1_700_000_500, 1_700_000_501)
	mine(t, f)
	rows, res = fetch(t, src, res.Cursor)
	checkRounds(t, "phase change", rows, []round{
		{roundID(1, 4).String(), 1, 4, "400"}, {roundID(2, 1).String(), 2, 1, "500"}, {roundID(2, 2).String(), 2, 2, "600"},
	})

	f.round(roundID(2, 4), 800, 1_700_000_700, 1_700_000_701) // round 3 never got data
	mine(t, f)
	rows, res = fetch(t, src, res.Cursor)
	checkRounds(t, "gap", rows, []round{{roundID(2, 4).String(), 2, 4, "800"}})
	if rows, _ = fetch(t, src, res.Cursor); len(rows) != 0 {
		t.Errorf("fetching again gave %d rows", len(rows))
	}

	cfg.MaxRoundsPerFetch, cfg.Backfill = 2, 10
	capped := newSource(t, cfg)
	rows, res = fetch(t, capped, nil)
	checkRounds(t, "capped 1", rows, []round{{roundID(2, 1).String(), 2, 1, "500"}, {roundID(2, 2).String(), 2, 2, "600"}})
	mine(t, f)
	rows, _ = fetch(t, capped, res.Cursor)
	checkRounds(t, "capped 2", rows, []round{{roundID(2, 4).String(), 2, 4, "800"}})
}

// TestReorg polls, replaces the polled block by a different one of the
// same height, and polls again: a rewind to the rows before it, then the
// new block's answer.
func TestReorg(t *testing.T) {
	a := chaintest.Anvil(t)
	ctx := context.Background()
	f := newMockFeed(t, a, 1, 8)
	f.round(roundID(1, 1), 100, 1_700_000_000, 1_700_000_001)
	mine(t, f)
	src := newSource(t, feedConfig(a.RPCURL(), f))
	_, res := fetch(t, src, nil)
	snap, err := a.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.round(roundID(1, 2), 200, 1_700_000_100, 1_700_000_101)
	mine(t, f)
	rows, res := fetch(t, src, res.Cursor)
	checkRounds(t, "before", rows, []round{{roundID(1, 2).String(), 1, 2, "200"}})
	if err := a.Revert(ctx, snap); err != nil {
		t.Fatal(err)
	}
	f.round(roundID(1, 2), 222, 1_700_000_100, 1_700_000_102)
	mine(t, f)
	var emitted int
	res, err = src.Fetch(ctx, res.Cursor, func(rec arrow.RecordBatch) error { emitted++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Rewind == nil || res.Rewind.KeepRows != 1 || emitted != 0 || !strings.Contains(res.Rewind.Reason, "chain reorganisation") {
		t.Fatalf("after the reorganisation: rewind %+v, %d records emitted; want a rewind keeping 1 row", res.Rewind, emitted)
	}
	rows, _ = fetch(t, src, res.Cursor)
	checkRounds(t, "after", rows, []round{{roundID(1, 2).String(), 1, 2, "222"}})
}

// TestBadAnswer points the source at an account without code: eth_call
// returns no bytes, which must be a bad-input error naming the call.
func TestBadAnswer(t *testing.T) {
	a := chaintest.Anvil(t)
	cfg := chainlink.DefaultConfig()
	cfg.RPC.URL, cfg.Feed, cfg.Heartbeat = a.RPCURL(), a.Accounts()[3].Address.Hex(), time.Hour
	_, err := newSource(t, cfg).Fetch(context.Background(), nil, func(arrow.RecordBatch) error { return nil })
	if !errors.Is(err, sources.ErrBadInput) || !strings.Contains(err.Error(), "latestRoundData()") || !strings.Contains(err.Error(), "byte ") {
		t.Fatalf("Fetch from an account without code: %v", err)
	}
}
