package testchain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// Transactor returns transaction options signed by the account, bound to ctx.
func (a *Anvil) Transactor(ctx context.Context, acct Account) *bind.TransactOpts {
	return transactor(ctx, acct.Key, a.chainID)
}

// WaitMined returns the receipt of tx. Anvil mines each transaction as it arrives, so
// this normally returns at once; with a block time it polls until the block is mined.
func (a *Anvil) WaitMined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	return pollReceipt(ctx, a.client, tx.Hash(), 10*time.Millisecond)
}

// Mine mines n empty blocks (anvil_mine).
func (a *Anvil) Mine(ctx context.Context, n uint64) error {
	if err := a.rpc.CallContext(ctx, nil, "anvil_mine", hexutil.Uint64(n)); err != nil {
		return fmt.Errorf("anvil_mine %d: %w", n, err)
	}
	return nil
}

// IncreaseTime moves the clock forward by d, whole seconds (evm_increaseTime), and mines
// one block carrying the new time.
func (a *Anvil) IncreaseTime(ctx context.Context, d time.Duration) error {
	secs := int64(d / time.Second)
	if err := a.rpc.CallContext(ctx, nil, "evm_increaseTime", secs); err != nil {
		return fmt.Errorf("evm_increaseTime %d: %w", secs, err)
	}
	return a.Mine(ctx, 1)
}

// Snapshot records the chain state (evm_snapshot) and returns its id.
func (a *Anvil) Snapshot(ctx context.Context) (string, error) {
	var id hexutil.Big
	if err := a.rpc.CallContext(ctx, &id, "evm_snapshot"); err != nil {
		return "", fmt.Errorf("evm_snapshot: %w", err)
	}
	return id.String(), nil
}

// Revert returns the chain to a snapshot (evm_revert); anvil forgets the id afterwards.
func (a *Anvil) Revert(ctx context.Context, id string) error {
	var ok bool
	if err := a.rpc.CallContext(ctx, &ok, "evm_revert", id); err != nil {
		return fmt.Errorf("evm_revert %s: %w", id, err)
	}
	if !ok {
		return fmt.Errorf("evm_revert %s: unknown snapshot", id)
	}
	return nil
}

// Fund adds wei to the balance of addr (anvil_setBalance).
func (a *Anvil) Fund(ctx context.Context, addr common.Address, wei *big.Int) error {
	bal, err := a.client.BalanceAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("balance of %s: %w", addr, err)
	}
	next := new(big.Int).Add(bal, wei)
	if err := a.rpc.CallContext(ctx, nil, "anvil_setBalance", addr, (*hexutil.Big)(next)); err != nil {
		return fmt.Errorf("anvil_setBalance %s: %w", addr, err)
	}
	return nil
}
