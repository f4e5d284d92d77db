package testchain

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/eventemitter"
	"github.com/groundtruth-dao/groundtruth/attest/contracts/bindings/testgovernor"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, LeakOptions()...)
}

// chains lists the chain kinds every behaviour test runs on.
var chains = []struct {
	name  string
	start func(testing.TB) Chain
}{
	{"anvil", func(t testing.TB) Chain { return StartAnvil(t) }},
	{"simulated", func(t testing.TB) Chain { return StartSimulated(t) }},
}

func TestChainBasics(t *testing.T) {
	for _, tc := range chains {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := tc.start(t)
			if got := len(c.Accounts()); got < 2 {
				t.Fatalf("got %d accounts, want at least 2", got)
			}
			id, err := c.Client().ChainID(ctx)
			if err != nil || id.Cmp(c.ChainID()) != 0 {
				t.Fatalf("client chain id = %v, %v; want %v", id, err, c.ChainID())
			}
			bal, err := c.Client().BalanceAt(ctx, c.Accounts()[1].Address, nil)
			if err != nil || bal.Cmp(Ether(1000)) < 0 {
				t.Fatalf("account 1 balance = %v, %v; want at least 1000 ether", bal, err)
			}
			if (c.RPCURL() != "") != (tc.name == "anvil") {
				t.Fatalf("RPCURL() = %q for %s", c.RPCURL(), tc.name)
			}
		})
	}
}

func TestMineAndTime(t *testing.T) {
	for _, tc := range chains {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := tc.start(t)
			before := head(t, c)
			if err := c.Mine(ctx, 5); err != nil {
				t.Fatal(err)
			}
			if got := head(t, c).Number.Uint64(); got != before.Number.Uint64()+5 {
				t.Fatalf("after Mine(5) head = %d, want %d", got, before.Number.Uint64()+5)
			}
			mid := head(t, c)
			if err := c.IncreaseTime(ctx, time.Hour); err != nil {
				t.Fatal(err)
			}
			after := head(t, c)
			if after.Number.Uint64() != mid.Number.Uint64()+1 || after.Time < mid.Time+3600 {
				t.Fatalf("after IncreaseTime(1h): block %d time %d, before block %d time %d",
					after.Number, after.Time, mid.Number, mid.Time)
			}
		})
	}
}

func TestSnapshotRevert(t *testing.T) {
	for _, tc := range chains {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := tc.start(t)
			emitter := deployEmitter(t, c)
			snap, err := c.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			at := head(t, c)
			emit(t, c, emitter, 3)
			if err := c.Mine(ctx, 2); err != nil {
				t.Fatal(err)
			}
			if err := c.Revert(ctx, snap); err != nil {
				t.Fatal(err)
			}
			if got := head(t, c); got.Hash() != at.Hash() {
				t.Fatalf("after Revert head = %d %s, want %d %s", got.Number, got.Hash(), at.Number, at.Hash())
			}
			if seq := nextSeq(t, c, emitter); seq != 0 {
				t.Fatalf("after Revert nextSeq = %d, want 0", seq)
			}
			emit(t, c, emitter, 1) // the chain goes on from the snapshot
			if seq := nextSeq(t, c, emitter); seq != 1 {
				t.Fatalf("after a new emit nextSeq = %d, want 1", seq)
			}
		})
	}
}

func TestFund(t *testing.T) {
	for _, tc := range chains {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := tc.start(t)
			addr := common.HexToAddress("0x00000000000000000000000000000000000f00d5")
			for i := 0; i < 2; i++ {
				if err := c.Fund(ctx, addr, Ether(3)); err != nil {
					t.Fatal(err)
				}
			}
			bal, err := c.Client().BalanceAt(ctx, addr, nil)
			if err != nil || bal.Cmp(Ether(6)) != 0 {
				t.Fatalf("balance = %v, %v; want 6 ether", bal, err)
			}
		})
	}
}

func TestEmitterEvents(t *testing.T) {
	for _, tc := range chains {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.start(t)
			emitter := deployEmitter(t, c)
			rcpt := emit(t, c, emitter, 50)
			b := eventemitter.NewEventEmitter()
			if len(rcpt.Logs) != 50 {
				t.Fatalf("got %d logs, want 50", len(rcpt.Logs))
			}
			for i, l := range rcpt.Logs {
				ev, err := b.UnpackPingEvent(l)
				if err != nil {
					t.Fatal(err)
				}
				if ev.Seq.Int64() != int64(i) || ev.From != c.Accounts()[0].Address || ev.Value.Int64() != int64(i)*1e9+7 {
					t.Fatalf("log %d = seq %v from %s value %v", i, ev.Seq, ev.From, ev.Value)
				}
			}
		})
	}
}

func TestDeployDAO(t *testing.T) {
	for _, tc := range chains {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.start(t)
			dao, err := DeployDAO(t.Context(), c, DAOConfig{})
			if err != nil {
				t.Fatal(err)
			}
			g := testgovernor.NewTestGovernor()
			inst := g.Instance(c.Client(), dao.Governor)
			tl, err := bind.Call(inst, nil, g.PackTimelock(), g.UnpackTimelock)
			if err != nil || tl != dao.Timelock {
				t.Fatalf("governor timelock = %s, %v; want %s", tl, err, dao.Timelock)
			}
			period, err := bind.Call(inst, nil, g.PackVotingPeriod(), g.UnpackVotingPeriod)
			if err != nil || period.Int64() != 10 {
				t.Fatalf("voting period = %v, %v; want 10", period, err)
			}
		})
	}
}

func TestAnvilClosesProcess(t *testing.T) {
	a := StartAnvil(t)
	if !strings.Contains(a.Logs(), "Listening on 127.0.0.1") {
		t.Errorf("anvil output lacks the listen line:\n%s", a.Logs())
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.exited:
	default:
		t.Fatal("anvil still running after Close")
	}
	if _, err := a.EthClient().ChainID(context.Background()); err == nil {
		t.Fatal("client still answers after Close")
	}
}

// TestAnvilURLIsItsOwn starts anvils at once and checks that each one's
// URL is the address its own process printed, and that nothing answers
// there once that process is closed: no other process's anvil stood in for
// it (the race of choosing a free port before anvil bound it).
func TestAnvilURLIsItsOwn(t *testing.T) {
	const n = 3
	path, err := FindAnvil()
	if err != nil {
		MissingTool(t, err.Error())
	}
	anvils, errs := make([]*Anvil, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range anvils {
		wg.Go(func() { anvils[i], errs[i] = NewAnvil(context.Background(), AnvilConfig{Path: path}) })
	}
	wg.Wait()
	for _, a := range anvils {
		if a != nil {
			t.Cleanup(func() { _ = a.Close() })
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range anvils {
		addr := strings.TrimPrefix(a.RPCURL(), "http://")
		if seen[addr] || !strings.Contains(a.Logs(), "Listening on "+addr+"\n") {
			t.Fatalf("%s: shared, or not the address its process printed:\n%s", addr, a.Logs())
		}
		seen[addr] = true
	}
	body := `{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}`
	for _, a := range anvils {
		res, err := http.Post(a.RPCURL(), "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s before Close: %v", a.RPCURL(), err)
		}
		res.Body.Close()
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		if res, err := c.Post(a.RPCURL(), "application/json", strings.NewReader(body)); err == nil {
			res.Body.Close()
			t.Fatalf("%s still answers after its anvil was closed", a.RPCURL())
		}
	}
	http.DefaultClient.CloseIdleConnections()
}

// fakeTB records how MissingTool ended a test.
type fakeTB struct {
	testing.TB
	failed, skipped string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = format }
func (f *fakeTB) Skipf(format string, args ...any)  { f.skipped = format }

func TestMissingTool(t *testing.T) {
	cases := []struct {
		ci       bool
		wantFail bool
	}{{ci: true, wantFail: true}, {ci: false, wantFail: false}}
	for _, tc := range cases {
		f := &fakeTB{TB: t}
		missingTool(f, tc.ci, "anvil not found; run npm ci")
		if (f.failed != "") != tc.wantFail || (f.skipped != "") == tc.wantFail {
			t.Errorf("ci=%v: failed=%q skipped=%q", tc.ci, f.failed, f.skipped)
		}
	}
}

func TestFindAnvilFromEnv(t *testing.T) {
	t.Setenv(AnvilEnv, "/nonexistent/anvil")
	_, err := FindAnvil()
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Fatalf("FindAnvil() error = %v, want one that mentions npm ci", err)
	}
}

func TestRevertData(t *testing.T) {
	c := StartAnvil(t)
	reg, err := DeployRegistry(t.Context(), c, []common.Address{c.Accounts()[1].Address}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// attest with no signatures reverts with InsufficientSignatures(0, 1).
	_, err = Transact(t.Context(), c, c.Accounts()[0], reg, registryAttestNoSigs())
	data, ok := RevertData(err)
	if !ok || len(data) < 4 {
		t.Fatalf("RevertData(%v) = %x, %v", err, data, ok)
	}
}
