package txmgr_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/groundtruth-dao/groundtruth/attest/txmgr"
)

func gweiInt(g float64) *big.Int {
	w, _ := new(big.Float).Mul(big.NewFloat(g), big.NewFloat(params.GWei)).Int(nil)
	return w
}

// TestFeesFromNode: the tip is eth_maxPriorityFeePerGas (1 gwei on anvil),
// the fee cap twice the next base fee plus the tip, both under the cap.
func TestFeesFromNode(t *testing.T) {
	a := startAnvil(t, true)
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		cap         *big.Int
		tip, feeCap *big.Int
	}{
		{"uncapped", nil, gweiInt(1), gweiInt(3)},
		{"cap above the suggestion", gweiInt(10), gweiInt(1), gweiInt(3)},
		{"cap below twice the base fee", gweiInt(2), gweiInt(1), gweiInt(2)},
		{"cap leaves less than the tip", gweiInt(1.5), gweiInt(0.5), gweiInt(1.5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setBaseFee(t, a, 1)
			m, obs := manager(t, a, txmgr.Config{MaxFeePerGas: tc.cap})
			ch := sendAsync(ctx, m)
			tx := obs.waitSent(t, 1)[0]
			mine(t, a)
			r := await(t, ch)
			if r.err != nil || r.rc.Status != 1 || r.rc.TxHash != tx.Hash() {
				t.Fatalf("Send: %v (receipt %+v)", r.err, r.rc)
			}
			if tx.GasTipCap().Cmp(tc.tip) != 0 || tx.GasFeeCap().Cmp(tc.feeCap) != 0 {
				t.Fatalf("tip %s, fee cap %s; want %s and %s", tx.GasTipCap(), tx.GasFeeCap(), tc.tip, tc.feeCap)
			}
		})
	}
}

// TestStuckReplaced: with manual mining nothing is mined, so after
// ReplaceAfter the transaction is replaced twice with the same nonce and
// both fee fields at least 12.5 % higher each time; the block mined then
// holds the last replacement only.
func TestStuckReplaced(t *testing.T) {
	a := startAnvil(t, true)
	ctx := context.Background()
	m, obs := manager(t, a, txmgr.Config{ReplaceAfter: 200 * time.Millisecond})
	ch := sendAsync(ctx, m)
	sent := obs.waitSent(t, 3)
	mine(t, a)
	r := await(t, ch)
	if r.err != nil {
		t.Fatal(r.err)
	}
	for i := 1; i < 3; i++ {
		old, cur := sent[i-1], sent[i]
		if cur.Nonce() != old.Nonce() || cur.Hash() == old.Hash() {
			t.Fatalf("replacement %d: nonce %d (was %d), same hash %v", i, cur.Nonce(), old.Nonce(), cur.Hash() == old.Hash())
		}
		if !atLeast125(old.GasTipCap(), cur.GasTipCap()) || !atLeast125(old.GasFeeCap(), cur.GasFeeCap()) {
			t.Fatalf("replacement %d: tip %s → %s, fee cap %s → %s: want ≥ 12.5 %% more each", i, old.GasTipCap(), cur.GasTipCap(), old.GasFeeCap(), cur.GasFeeCap())
		}
	}
	final := obs.txs()[len(obs.txs())-1]
	if r.rc.TxHash != final.Hash() {
		t.Fatalf("mined %s, want the last replacement %s", r.rc.TxHash.Hex(), final.Hash().Hex())
	}
	blk, err := a.EthClient().BlockByNumber(ctx, r.rc.BlockNumber)
	if err != nil || len(blk.Transactions()) != 1 {
		t.Fatalf("block %s: %v, %d transactions; want 1", r.rc.BlockNumber, err, len(blk.Transactions()))
	}
}

// TestReplacementCapped: when the cap leaves no room for a 12.5 % bump the
// manager says so (ErrStuck) without sending a replacement; the original
// stays in the pool and is mined later.
func TestReplacementCapped(t *testing.T) {
	a := startAnvil(t, true)
	ctx := context.Background()
	setBaseFee(t, a, 1)
	m, obs := manager(t, a, txmgr.Config{ReplaceAfter: 100 * time.Millisecond, MaxFeePerGas: gweiInt(3.2)})
	r := await(t, sendAsync(ctx, m))
	if !errors.Is(r.err, txmgr.ErrStuck) || !strings.Contains(r.err.Error(), "cannot be raised by 12.5 % under max_fee_gwei 3.200") {
		t.Fatalf("Send: %v; want ErrStuck naming the cap", r.err)
	}
	sent := obs.txs()
	if len(sent) != 1 {
		t.Fatalf("%d transactions sent, want the original only", len(sent))
	}
	mine(t, a)
	if rc, err := a.EthClient().TransactionReceipt(ctx, sent[0].Hash()); err != nil || rc.Status != 1 {
		t.Fatalf("the original was not mined: %v", err)
	}
}

// TestDroppedResent: a transaction dropped from the pool
// (anvil_dropTransaction) is sent again, unchanged, and mined.
func TestDroppedResent(t *testing.T) {
	a := startAnvil(t, true)
	ctx := context.Background()
	m, obs := manager(t, a, txmgr.Config{})
	ch := sendAsync(ctx, m)
	first := obs.waitSent(t, 1)[0]
	call(t, a, nil, "anvil_dropTransaction", first.Hash())
	again := obs.waitSent(t, 2)[1]
	if again.Hash() != first.Hash() {
		t.Fatalf("sent %s after the drop, want %s again", again.Hash().Hex(), first.Hash().Hex())
	}
	mine(t, a)
	if r := await(t, ch); r.err != nil || r.rc.TxHash != first.Hash() {
		t.Fatalf("Send: %v", r.err)
	}
}

// TestFeeCapNothingSent: with the next base fee above the cap nothing is
// sent (ErrFeeCap, the nonce unchanged); once it drops the same call sends.
func TestFeeCapNothingSent(t *testing.T) {
	a := startAnvil(t, false)
	ctx := context.Background()
	from := a.Accounts()[0].Address
	m, obs := manager(t, a, txmgr.Config{MaxFeePerGas: gweiInt(50)})
	setBaseFee(t, a, 100)
	_, err := m.Send(ctx, txmgr.Request{To: &dead, Value: big.NewInt(1)})
	if !errors.Is(err, txmgr.ErrFeeCap) || !strings.Contains(err.Error(), "base fee 100.000 gwei, cap 50.000 gwei; nothing was sent") {
		t.Fatalf("Send above the cap: %v", err)
	}
	if n, _ := a.EthClient().PendingNonceAt(ctx, from); n != 0 || len(obs.txs()) != 0 {
		t.Fatalf("pending nonce %d, %d sent: want nothing sent", n, len(obs.txs()))
	}
	setBaseFee(t, a, 1)
	rc, err := m.Send(ctx, txmgr.Request{To: &dead, Value: big.NewInt(1)})
	if err != nil || rc.Status != 1 {
		t.Fatalf("Send once the base fee dropped: %v", err)
	}
	if fc := obs.txs()[0].GasFeeCap(); fc.Cmp(gweiInt(50)) > 0 {
		t.Fatalf("fee cap %s above the cap", fc)
	}
}

// TestReorgResent: the block holding the transaction is reverted
// (evm_snapshot/evm_revert) before it is Confirmations deep; the manager
// sends the transaction again and returns the receipt of its canonical
// block once 3 deep. The nonce is used once.
func TestReorgResent(t *testing.T) {
	a := startAnvil(t, true)
	ctx := context.Background()
	var snap hexutil.Big
	call(t, a, &snap, "evm_snapshot")
	m, obs := manager(t, a, txmgr.Config{Confirmations: 3})
	ch := sendAsync(ctx, m)
	tx := obs.waitSent(t, 1)[0]
	mine(t, a)
	rc1, err := a.EthClient().TransactionReceipt(ctx, tx.Hash())
	if err != nil {
		t.Fatalf("receipt after the first block: %v", err)
	}
	var ok bool
	call(t, a, &ok, "evm_revert", &snap)
	if again := obs.waitSent(t, 2)[1]; again.Hash() != tx.Hash() {
		t.Fatalf("sent %s after the revert, want %s again", again.Hash().Hex(), tx.Hash().Hex())
	}
	for i := 0; i < 3; i++ {
		mine(t, a)
	}
	r := await(t, ch)
	if r.err != nil {
		t.Fatal(r.err)
	}
	head, _ := a.EthClient().HeaderByNumber(ctx, nil)
	canon, _ := a.EthClient().HeaderByNumber(ctx, r.rc.BlockNumber)
	if canon.Hash() != r.rc.BlockHash || head.Number.Uint64()-r.rc.BlockNumber.Uint64()+1 < 3 {
		t.Fatalf("receipt in block %s (%s), head %s: want a canonical block 3 deep", r.rc.BlockNumber, r.rc.BlockHash.Hex(), head.Number)
	}
	if n, _ := a.EthClient().NonceAt(ctx, a.Accounts()[0].Address, nil); n != 1 {
		t.Fatalf("nonce %d after one transaction", n)
	}
	t.Logf("first mined in %s (block %s), after the revert in %s (block %s)", rc1.BlockHash.Hex()[:10], rc1.BlockNumber, r.rc.BlockHash.Hex()[:10], r.rc.BlockNumber)
}

// TestNonceTaken: another tool replaces our pending transaction (same
// nonce, higher fees); once that one is mined the manager reports
// ErrNonceTaken instead of waiting for ever.
func TestNonceTaken(t *testing.T) {
	a := startAnvil(t, true)
	ctx := context.Background()
	m, obs := manager(t, a, txmgr.Config{})
	ch := sendAsync(ctx, m)
	ours := obs.waitSent(t, 1)[0]
	acct := a.Accounts()[0]
	other, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: a.ChainID(), Nonce: ours.Nonce(), GasTipCap: gweiInt(10),
		GasFeeCap: gweiInt(100), Gas: 21000, To: &dead, Value: big.NewInt(2)}), types.LatestSignerForChainID(a.ChainID()), acct.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EthClient().SendTransaction(ctx, other); err != nil {
		t.Fatal(err)
	}
	mine(t, a)
	r := await(t, ch)
	if !errors.Is(r.err, txmgr.ErrNonceTaken) {
		t.Fatalf("Send: %v, want ErrNonceTaken", r.err)
	}
}
