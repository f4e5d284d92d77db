package txmgr_test

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"go.uber.org/goleak"

	"github.com/groundtruth-dao/groundtruth/attest/txmgr"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, testchain.LeakOptions()...) }

// dead is the recipient of the test transactions.
var dead = common.HexToAddress("0x000000000000000000000000000000000000dEaD")

// observed is anvil's client with a record of every transaction sent
// through it: the test reads what the manager sent (fee fields, nonces,
// resends) from the real node's client, not from a mock.
type observed struct {
	*ethclient.Client
	mu   sync.Mutex
	sent []*types.Transaction
}

func (o *observed) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	o.mu.Lock()
	o.sent = append(o.sent, tx)
	o.mu.Unlock()
	return o.Client.SendTransaction(ctx, tx)
}

// txs returns what was sent so far.
func (o *observed) txs() []*types.Transaction {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]*types.Transaction(nil), o.sent...)
}

// waitSent waits until at least n transactions were sent.
func (o *observed) waitSent(t *testing.T, n int) []*types.Transaction {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if s := o.txs(); len(s) >= n {
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("only %d transaction(s) sent, want %d", len(o.txs()), n)
	return nil
}

// startAnvil starts anvil, with --no-mining when manual is set.
func startAnvil(t *testing.T, manual bool) *testchain.Anvil {
	t.Helper()
	var args []string
	if manual {
		args = []string{"--no-mining"}
	}
	return testchain.StartAnvilWith(t, testchain.AnvilConfig{Args: args})
}

// manager returns a manager sending from anvil's first account through an
// observed client.
func manager(t *testing.T, a *testchain.Anvil, cfg txmgr.Config) (*txmgr.Manager, *observed) {
	t.Helper()
	return managerOn(t, a.EthClient(), cfg)
}

// managerOn returns a manager sending from anvil's first account on c.
func managerOn(t *testing.T, c *ethclient.Client, cfg txmgr.Config) (*txmgr.Manager, *observed) {
	t.Helper()
	obs := &observed{Client: c}
	acct := testchain.AnvilAccounts()[0]
	signer := types.LatestSignerForChainID(big.NewInt(testchain.AnvilChainID))
	cfg.Client, cfg.ChainID, cfg.From = obs, testchain.AnvilChainID, acct.Address
	cfg.Sign = func(_ context.Context, tx *types.Transaction) (*types.Transaction, error) {
		return types.SignTx(tx, signer, acct.Key)
	}
	if cfg.Poll == 0 {
		cfg.Poll = 20 * time.Millisecond
	}
	m, err := txmgr.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, obs
}

// call makes an anvil RPC call or fails the test.
func call(t *testing.T, a *testchain.Anvil, result any, method string, args ...any) {
	t.Helper()
	if err := a.RPC().CallContext(context.Background(), result, method, args...); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

// mine mines one block (evm_mine).
func mine(t *testing.T, a *testchain.Anvil) {
	t.Helper()
	call(t, a, nil, "evm_mine")
}

// setBaseFee sets the next block's base fee in gwei.
func setBaseFee(t *testing.T, a *testchain.Anvil, g int64) {
	t.Helper()
	call(t, a, nil, "anvil_setNextBlockBaseFeePerGas", (*hexutil.Big)(big.NewInt(g*params.GWei)))
}

// result is the outcome of a Send run in the background.
type result struct {
	rc  *types.Receipt
	err error
}

// sendAsync runs m.Send in a goroutine; the channel yields its outcome.
func sendAsync(ctx context.Context, m *txmgr.Manager) <-chan result {
	ch := make(chan result, 1)
	go func() {
		rc, err := m.Send(ctx, txmgr.Request{To: &dead, Value: big.NewInt(1)})
		ch <- result{rc, err}
	}()
	return ch
}

// await returns the background Send's outcome, failing after 30 s.
func await(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(30 * time.Second):
		t.Fatal("Send did not return within 30 s")
		return result{}
	}
}

// atLeast125 reports whether b ≥ a × 1.125.
func atLeast125(a, b *big.Int) bool {
	want := new(big.Int).Mul(a, big.NewInt(9))
	return new(big.Int).Mul(b, big.NewInt(8)).Cmp(want) >= 0
}
