package chaintest

import (
	"context"
	"log/slog"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Ctx returns a context that ends with the test (or after a few minutes).
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Deps returns source dependencies for a test: a logger that writes to
// t.Log, an HTTP client with its own transport (its idle connections are
// closed when the test ends, for goleak) and raw (may be nil). A fetch
// that stops early (cancelled, or told sources.ErrEnough) cancels the
// requests it had in flight; a connection whose dial was under way then
// completes in the background: before the test ends it joins the pool
// that the clean-up closes, after it the transport closes it at once
// (net/http pools nothing after CloseIdleConnections until the next
// request). The idle timeout is short all the same.
func Deps(t testing.TB, raw sources.RawStore) sources.Deps {
	tr := &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return sources.Deps{
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		HTTP:   &http.Client{Transport: tr},
		Raw:    raw,
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

// Anvil starts anvil for the test (skipped when missing, failed under CI).
func Anvil(t testing.TB, args ...string) *testchain.Anvil {
	t.Helper()
	return testchain.StartAnvilWith(t, testchain.AnvilConfig{Args: args})
}

// DeployEmitter deploys an EventEmitter.
func DeployEmitter(t testing.TB, c testchain.Chain) common.Address {
	t.Helper()
	addr, err := testchain.DeployEmitter(Ctx(t), c)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// EmitMany makes the emitter emit n Ping events, in transactions of at
// most per events each (one block per transaction on anvil).
func EmitMany(t testing.TB, c testchain.Chain, emitter common.Address, n, per int) []*types.Receipt {
	t.Helper()
	ctx := Ctx(t)
	em := eventemitter.NewEventEmitter()
	var out []*types.Receipt
	for n > 0 {
		k := min(n, per)
		rcpt, err := testchain.Transact(ctx, c, c.Accounts()[0], emitter, em.PackEmitMany(big.NewInt(int64(k))))
		if err != nil {
			t.Fatalf("emitMany(%d): %v", k, err)
		}
		out = append(out, rcpt)
		n -= k
	}
	return out
}

// PingEvent is the EventEmitter's event as an evm_logs declaration.
const PingEvent = "event Ping(uint256 indexed seq, address indexed from, uint256 value, bytes32 tag)"
