package scenarios

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// chainDriver sends the on-chain scenarios' transactions to anvil. Every
// block is 12 seconds after the previous one (anvil's timestamp interval),
// so block times look like mainnet's; batch puts many transactions in one
// block (automine off, one evm_mine), as bots and busy blocks do.
type chainDriver struct {
	t        testing.TB
	ctx      context.Context
	a        *testchain.Anvil
	chainID  *big.Int
	signer   types.Signer
	keys     map[common.Address]*ecdsa.PrivateKey
	nonces   map[common.Address]uint64
	batching bool
	pending  []common.Hash
}

func newChainDriver(t testing.TB, ctx context.Context, a *testchain.Anvil) *chainDriver {
	d := &chainDriver{t: t, ctx: ctx, a: a, chainID: a.ChainID(), signer: types.LatestSignerForChainID(a.ChainID()),
		keys: map[common.Address]*ecdsa.PrivateKey{}, nonces: map[common.Address]uint64{}}
	d.rpc(nil, "anvil_setBlockTimestampInterval", 12)
	return d
}

func (d *chainDriver) rpc(out any, method string, args ...any) {
	d.t.Helper()
	if err := d.a.RPC().CallContext(d.ctx, out, method, args...); err != nil {
		d.t.Fatalf("%s: %v", method, err)
	}
}

// account returns a funded account for a development key of anvil.
func (d *chainDriver) account(acct testchain.Account) common.Address {
	d.keys[acct.Address] = acct.Key
	return acct.Address
}

// wallet returns a new deterministic wallet with 10 ether for gas.
func (d *chainDriver) wallet(name string) common.Address {
	d.t.Helper()
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("groundtruth on-chain scenario/" + name)))
	if err != nil {
		d.t.Fatal(err)
	}
	addr := crypto.PubkeyToAddress(key.PublicKey)
	d.keys[addr] = key
	if err := d.a.Fund(d.ctx, addr, testchain.Ether(10)); err != nil {
		d.t.Fatal(err)
	}
	return addr
}

// send signs and sends a call; outside a batch it waits for its block and
// fails the test when it reverted.
func (d *chainDriver) send(from, to common.Address, data []byte) common.Hash {
	d.t.Helper()
	key := d.keys[from]
	if key == nil {
		d.t.Fatalf("no key for %s", from)
	}
	n, ok := d.nonces[from]
	if !ok {
		var err error
		if n, err = d.a.EthClient().PendingNonceAt(d.ctx, from); err != nil {
			d.t.Fatal(err)
		}
	}
	gas := uint64(400_000) + uint64(len(data))*40
	tx, err := types.SignNewTx(key, d.signer, &types.DynamicFeeTx{ChainID: d.chainID, Nonce: n, GasTipCap: big.NewInt(1e9),
		GasFeeCap: big.NewInt(100e9), Gas: gas, To: &to, Data: data})
	if err != nil {
		d.t.Fatal(err)
	}
	if err := d.a.EthClient().SendTransaction(d.ctx, tx); err != nil {
		d.t.Fatalf("send from %s to %s: %v", from, to, err)
	}
	d.nonces[from] = n + 1
	if d.batching {
		d.pending = append(d.pending, tx.Hash())
		return tx.Hash()
	}
	d.receipt(tx.Hash())
	return tx.Hash()
}

// receipt waits for a transaction's receipt and checks it succeeded.
func (d *chainDriver) receipt(h common.Hash) *types.Receipt {
	d.t.Helper()
	for i := 0; ; i++ {
		rc, err := d.a.EthClient().TransactionReceipt(d.ctx, h)
		if err == nil {
			if rc.Status != types.ReceiptStatusSuccessful {
				d.t.Fatalf("transaction %s reverted", h)
			}
			return rc
		}
		if i == 500 {
			d.t.Fatalf("no receipt for %s: %v", h, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// batch runs fn with automine off and mines the transactions it sent into
// one block.
func (d *chainDriver) batch(fn func()) {
	d.t.Helper()
	d.rpc(nil, "evm_setAutomine", false)
	d.batching = true
	fn()
	d.batching = false
	d.rpc(nil, "evm_mine")
	d.rpc(nil, "evm_setAutomine", true)
	var block uint64
	for _, h := range d.pending {
		rc := d.receipt(h)
		if block != 0 && rc.BlockNumber.Uint64() != block {
			d.t.Fatalf("a batch spans blocks %d and %d", block, rc.BlockNumber.Uint64())
		}
		block = rc.BlockNumber.Uint64()
	}
	d.pending = nil
}

// mine mines n empty blocks.
func (d *chainDriver) mine(n uint64) {
	d.t.Helper()
	if err := d.a.Mine(d.ctx, n); err != nil {
		d.t.Fatal(err)
	}
}

// head returns the latest block number.
func (d *chainDriver) head() uint64 {
	d.t.Helper()
	n, err := d.a.EthClient().BlockNumber(d.ctx)
	if err != nil {
		d.t.Fatal(err)
	}
	return n
}

// mineTo mines empty blocks until the head is at least block.
func (d *chainDriver) mineTo(block uint64) {
	d.t.Helper()
	if h := d.head(); h < block {
		d.mine(block - h)
	}
}

// tokens returns f whole tokens (18 decimals).
func tokens(f float64) *big.Int {
	b, _ := new(big.Float).Mul(big.NewFloat(f), big.NewFloat(1e18)).Int(nil)
	return b
}
