package evmlogs_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc"
	"github.com/groundtruth-dao/groundtruth/sources/chainrpc/chaintest"
)

// TestConfirmationsAndFinality: the source reads only up to head minus
// confirmations, or up to the node's finalized block.
func TestConfirmationsAndFinality(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 6, 2) // three blocks
	h := head(t, a)

	cfg := pingConfig(a.RPCURL(), addr)
	cfg.Confirmations = 1
	rows, res := fetchAll(t, newSource(t, "pings", cfg, chaintest.Deps(t, nil)), nil)
	c, _ := chainrpc.DecodeCursor(res.Cursor, 0)
	if len(rows) != 4 || c.Next != h || rows[3]["block_number"] != h-1 {
		t.Errorf("confirmations 1: %d rows, next block %d; want 4 rows up to block %d", len(rows), c.Next, h-1)
	}

	var fin struct{ Number hexutil.Uint64 }
	if err := a.RPC().CallContext(context.Background(), &fin, "eth_getBlockByNumber", "finalized", false); err != nil {
		t.Fatal(err)
	}
	cfg = pingConfig(a.RPCURL(), addr)
	cfg.Finality = chainrpc.FinalityFinalized
	rows, res = fetchAll(t, newSource(t, "pings", cfg, chaintest.Deps(t, nil)), nil)
	c, _ = chainrpc.DecodeCursor(res.Cursor, 0)
	if c.Next != uint64(fin.Number)+1 {
		t.Errorf("finalized: next block %d, want the block after anvil's finalized block %d (head %d)", c.Next, fin.Number, h)
	}
	for _, r := range rows {
		if r["block_number"].(uint64) > uint64(fin.Number) {
			t.Errorf("row of block %v beyond the finalized block %d", r["block_number"], fin.Number)
		}
	}
}

// TestBadResponse corrupts eth_getLogs answers where the corruption leaves
// no row to place (a malformed log index, a truncated body): the fetch must
// fail with a bad-input error naming the source, the method, the range and
// the byte offset, and emit nothing. A malformed value that leaves the row
// placed is a bad value instead (TestBadValuesQuarantined).
func TestBadResponse(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	chaintest.EmitMany(t, a, addr, 3, 3)
	for name, mutate := range map[string]func([]byte) []byte{
		"bad hex": func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"logIndex":"0x1"`), []byte(`"logIndex":"0xZ"`), 1)
		},
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
	} {
		t.Run(name, func(t *testing.T) {
			p := chaintest.NewProxy(t, a.RPCURL(), chaintest.ProxyOptions{Mutate: func(method string, body []byte) []byte {
				if method == "eth_getLogs" && bytes.Contains(body, []byte(`"logIndex"`)) {
					return mutate(body)
				}
				return body
			}})
			src := newSource(t, "pings", pingConfig(p.URL, addr), chaintest.Deps(t, nil))
			emitted := 0
			_, err := src.Fetch(context.Background(), nil, func(arrow.RecordBatch) error { emitted++; return nil })
			if !errors.Is(err, sources.ErrBadInput) || emitted != 0 {
				t.Fatalf("error %v after %d records, want bad input and nothing emitted", err, emitted)
			}
			t.Log(err)
			for _, want := range []string{`source "pings"`, "eth_getLogs (blocks ", "byte "} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestBlockTimeFromHeaders strips blockTimestamp from the logs (older
// nodes do not send it): block_time must then come from the headers.
func TestBlockTimeFromHeaders(t *testing.T) {
	a := chaintest.Anvil(t)
	addr := chaintest.DeployEmitter(t, a)
	rcpts := chaintest.EmitMany(t, a, addr, 4, 2)
	strip := regexp.MustCompile(`"blockTimestamp":"0x[0-9a-f]+",?`)
	p := chaintest.NewProxy(t, a.RPCURL(), chaintest.ProxyOptions{Mutate: func(method string, body []byte) []byte {
		if method == "eth_getLogs" {
			return strip.ReplaceAll(body, nil)
		}
		return body
	}})
	rows, _ := fetchAll(t, newSource(t, "pings", pingConfig(p.URL, addr), chaintest.Deps(t, nil)), nil)
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	for i, r := range rows {
		hdr, err := a.EthClient().HeaderByNumber(context.Background(), rcpts[i/2].BlockNumber)
		if err != nil {
			t.Fatal(err)
		}
		if r["block_time"] != int64(hdr.Time) {
			t.Errorf("row %d: block_time %v, want %d", i, r["block_time"], hdr.Time)
		}
	}
}
