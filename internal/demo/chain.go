package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// actorAccounts returns the scenario's numAccounts accounts: the chain's
// own, then (on a chain with fewer, such as anvil's ten) keys derived from
// a fixed seed, each given 100 ether so that it pays for its transactions.
func actorAccounts(ctx context.Context, c testchain.Chain) ([]testchain.Account, error) {
	accts := c.Accounts()
	if len(accts) > numAccounts {
		accts = accts[:numAccounts]
	}
	for i := len(accts); i < numAccounts; i++ {
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("groundtruth demo actor %d", i))))
		if err != nil {
			return nil, fmt.Errorf("actor %d: %w", i, err)
		}
		a := testchain.NewAccount(key)
		if err := c.Fund(ctx, a.Address, testchain.Ether(100)); err != nil {
			return nil, fmt.Errorf("fund actor %d: %w", i, err)
		}
		accts = append(accts, a)
	}
	return accts, nil
}

// batchBlocks lets the scenario put many transactions in one block, as on
// the simulated chain: on anvil it turns automatic mining off
// (evm_setAutomine), so that sent transactions wait in the pool until the
// scenario mines. The returned function turns it back on, for the
// pipeline's attestations. Other chains are left as they are.
func batchBlocks(ctx context.Context, c testchain.Chain) (func() error, error) {
	a, ok := c.(*testchain.Anvil)
	if !ok {
		return func() error { return nil }, nil
	}
	if err := a.RPC().CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		return nil, fmt.Errorf("evm_setAutomine false: %w", err)
	}
	return func() error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := a.RPC().CallContext(ctx, nil, "evm_setAutomine", true); err != nil {
			return fmt.Errorf("evm_setAutomine true: %w", err)
		}
		return nil
	}, nil
}
