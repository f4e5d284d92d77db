package testchain

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

// TestPoolSettles sends several transactions of each account right after a
// block, waits for each to be pending, and mines one block: every
// transaction is in it, and the pool is empty afterwards. Without the waits
// (settle after a commit, WaitPooled after a send) an account's second
// transaction sometimes stayed queued and landed in the next block, the
// TestSender flake in internal/demo.
func TestPoolSettles(t *testing.T) {
	s := StartSimulated(t)
	if s.rpc == nil {
		t.Fatal("the simulated backend's client has no RPC client: rawClient no longer finds it")
	}
	ctx := t.Context()
	accts := s.Accounts()
	for round := 0; round < 5; round++ {
		head, err := s.client.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(4)), big.NewInt(2e9))
		var sent []*types.Transaction
		for i := 0; i < 6; i++ {
			from := accts[i%2]
			nonce, err := s.client.PendingNonceAt(ctx, from.Address)
			if err != nil {
				t.Fatal(err)
			}
			to := accts[2].Address
			tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: s.ChainID(), Nonce: nonce,
				GasTipCap: big.NewInt(1e9), GasFeeCap: feeCap, Gas: 21_000, To: &to, Value: big.NewInt(1)}),
				types.LatestSignerForChainID(s.ChainID()), from.Key)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.client.SendTransaction(ctx, tx); err != nil {
				t.Fatal(err)
			}
			if err := s.WaitPooled(ctx, tx); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, tx)
		}
		if pending, queued, err := s.poolStatus(ctx); err != nil || pending != 6 || queued != 0 {
			t.Fatalf("round %d: pool before mining: %d pending, %d queued (%v); want 6, 0", round, pending, queued, err)
		}
		if err := s.Mine(ctx, 1); err != nil {
			t.Fatal(err)
		}
		var block *big.Int
		for i, tx := range sent {
			rc, err := s.receipt(ctx, tx.Hash())
			if err != nil {
				t.Fatal(err)
			}
			if block == nil {
				block = rc.BlockNumber
			}
			if rc.BlockNumber.Cmp(block) != 0 {
				t.Fatalf("round %d: transaction %d in block %s, the first in %s: want one block", round, i, rc.BlockNumber, block)
			}
		}
		if pending, queued, err := s.poolStatus(ctx); err != nil || pending+queued != 0 {
			t.Fatalf("round %d: pool after mining: %d pending, %d queued (%v); want empty", round, pending, queued, err)
		}
	}
}
