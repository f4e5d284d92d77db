package testchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/rpc"
)

// SimulatedChainID is the chain id of go-ethereum's simulated backend.
const SimulatedChainID = 1337

// faucetIndex is the DeterministicKey index of the simulated chain's faucet account,
// which Fund spends from; it is not among Accounts.
const faucetIndex = 1 << 20

// SimConfig configures NewSimulated. The zero value gives ten accounts with 10,000
// ether each.
type SimConfig struct {
	// Accounts is how many funded accounts to create; 0 means 10.
	Accounts int
	// Balance is each account's starting balance in wei; nil means 10,000 ether.
	Balance *big.Int
}

// Simulated is go-ethereum's in-process simulated chain. It implements Chain without
// any external process: blocks are mined when WaitMined, Mine or IncreaseTime ask.
type Simulated struct {
	mu       sync.Mutex // serialises mining, forks and rollbacks
	backend  *simulated.Backend
	client   simulated.Client
	rpc      *rpc.Client // the in-process RPC client, for the txpool namespace
	accounts []Account
	faucet   Account
}

// NewSimulated starts a simulated chain whose accounts are DeterministicKey(0..n-1).
// The caller must Close it.
func NewSimulated(cfg SimConfig) *Simulated {
	if cfg.Accounts == 0 {
		cfg.Accounts = 10
	}
	if cfg.Balance == nil {
		cfg.Balance = Ether(10_000)
	}
	s := &Simulated{faucet: NewAccount(DeterministicKey(faucetIndex))}
	alloc := types.GenesisAlloc{s.faucet.Address: {Balance: Ether(1_000_000_000)}}
	for i := 0; i < cfg.Accounts; i++ {
		acct := NewAccount(DeterministicKey(i))
		s.accounts = append(s.accounts, acct)
		alloc[acct.Address] = types.Account{Balance: new(big.Int).Set(cfg.Balance)}
	}
	s.backend = simulated.NewBackend(alloc)
	s.client = s.backend.Client()
	s.rpc, _ = rawClient(s.client) // nil only if go-ethereum changed its client; TestPoolSettles catches that
	return s
}

// Backend returns the underlying simulated backend.
func (s *Simulated) Backend() *simulated.Backend { return s.backend }

// Kind returns "simulated".
func (s *Simulated) Kind() string { return "simulated" }

// Client returns the in-process client.
func (s *Simulated) Client() Client { return s.client }

// ChainID returns 1337.
func (s *Simulated) ChainID() *big.Int { return big.NewInt(SimulatedChainID) }

// Accounts returns the funded accounts.
func (s *Simulated) Accounts() []Account { return append([]Account(nil), s.accounts...) }

// RPCURL returns "": the simulated chain has no network endpoint.
func (s *Simulated) RPCURL() string { return "" }

// Close stops the chain.
func (s *Simulated) Close() error {
	if err := s.backend.Close(); err != nil {
		return fmt.Errorf("close simulated backend: %w", err)
	}
	return nil
}

// Transactor returns transaction options signed by the account, bound to ctx.
func (s *Simulated) Transactor(ctx context.Context, acct Account) *bind.TransactOpts {
	return transactor(ctx, acct.Key, s.ChainID())
}

// WaitMined returns the receipt of tx, mining a block while it is still pending. Several
// transactions sent before the first WaitMined share one block.
func (s *Simulated) WaitMined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	from, err := types.Sender(types.LatestSignerForChainID(s.ChainID()), tx)
	if err != nil {
		return nil, fmt.Errorf("sender of %s: %w", tx.Hash(), err)
	}
	for commits := 0; ; commits++ {
		nonce, err := s.client.NonceAt(ctx, from, nil)
		if err != nil {
			return nil, fmt.Errorf("nonce of %s: %w", from, err)
		}
		if nonce > tx.Nonce() {
			break // included in a block
		}
		if commits == 3 {
			return nil, fmt.Errorf("transaction %s was not mined (was it sent to this chain?)", tx.Hash())
		}
		if err := s.commit(ctx); err != nil {
			return nil, err
		}
	}
	return s.receipt(ctx, tx.Hash())
}

// receipt polls for the receipt of a mined transaction while the receipt index catches
// up with the head ("transaction indexing is in progress").
func (s *Simulated) receipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		rcpt, err := s.client.TransactionReceipt(ctx, hash)
		if err == nil {
			return rcpt, nil
		}
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			return nil, fmt.Errorf("receipt of %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("receipt of %s: %w (last error: %v)", hash, ctx.Err(), err)
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// commit mines one block with the pending transactions, then waits until the
// transaction pool has taken the new head in (see settle).
func (s *Simulated) commit(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	head := s.backend.Commit()
	return s.settle(ctx, head)
}

// Mine mines n blocks.
func (s *Simulated) Mine(ctx context.Context, n uint64) error {
	for i := uint64(0); i < n; i++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("mine: %w", err)
		}
		if err := s.commit(ctx); err != nil {
			return fmt.Errorf("mine: %w", err)
		}
	}
	return nil
}

// IncreaseTime mines one block whose timestamp is d (whole seconds) after the head's.
// Later blocks keep their time at or after it. It fails while transactions are pending.
func (s *Simulated) IncreaseTime(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("increase time: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.backend.AdjustTime(d); err != nil {
		return fmt.Errorf("increase time by %s: %w", d, err)
	}
	return nil
}

// Snapshot returns the hash of the head block as the snapshot id.
func (s *Simulated) Snapshot(ctx context.Context) (string, error) {
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	return head.Hash().Hex(), nil
}

// Revert makes the snapshot's block the head again (Backend.Fork) and drops the
// transactions of the abandoned blocks from the pool (Backend.Rollback), so the next
// blocks are built on the snapshot like anvil's evm_revert. It fails while transactions
// are pending.
func (s *Simulated) Revert(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("revert: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.backend.Fork(common.HexToHash(id)); err != nil {
		return fmt.Errorf("revert to %s: %w", id, err)
	}
	s.backend.Rollback()
	return nil
}

// Fund sends wei to addr from the faucet account and mines the transfer.
func (s *Simulated) Fund(ctx context.Context, addr common.Address, wei *big.Int) error {
	nonce, err := s.client.PendingNonceAt(ctx, s.faucet.Address)
	if err != nil {
		return fmt.Errorf("faucet nonce: %w", err)
	}
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("fund: %w", err)
	}
	gas, err := s.client.EstimateGas(ctx, ethereum.CallMsg{From: s.faucet.Address, To: &addr, Value: wei})
	if err != nil {
		return fmt.Errorf("estimate funding transfer to %s: %w", addr, err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(1e9))
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID: s.ChainID(), Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: feeCap,
		Gas: gas, To: &addr, Value: wei,
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(s.ChainID()), s.faucet.Key)
	if err != nil {
		return fmt.Errorf("sign funding transaction: %w", err)
	}
	if err := s.client.SendTransaction(ctx, signed); err != nil {
		return fmt.Errorf("send funding transaction: %w", err)
	}
	if _, err := WaitSuccess(ctx, s, signed); err != nil {
		return fmt.Errorf("fund %s: %w", addr, err)
	}
	return nil
}
