package testchain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/rpc"
)

// Client is what both chains offer to read and write: an *ethclient.Client for anvil and
// the in-process client of the simulated backend. It satisfies bind.ContractBackend and
// bind.DeployBackend and reads headers, blocks, receipts and logs.
type Client = simulated.Client

// Account is a funded developer account with its private key.
type Account struct {
	// Address is the account's address.
	Address common.Address
	// Key is the account's private key.
	Key *ecdsa.PrivateKey
}

// NewAccount returns the account of a private key.
func NewAccount(key *ecdsa.PrivateKey) Account {
	return Account{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}
}

// Chain is a local Ethereum chain for tests and demos: anvil (see Anvil) or go-ethereum's
// in-process simulated backend (see Simulated). Anvil mines a block per transaction;
// the simulated backend mines when WaitMined, Mine or IncreaseTime ask it to.
type Chain interface {
	// Kind names the implementation: "anvil" or "simulated".
	Kind() string
	// Client returns the chain's client.
	Client() Client
	// ChainID returns the chain id (31337 for anvil by default, 1337 for simulated).
	ChainID() *big.Int
	// Accounts returns the funded developer accounts; the first one deploys contracts.
	Accounts() []Account
	// Transactor returns transaction options signed by the account, bound to ctx.
	Transactor(ctx context.Context, a Account) *bind.TransactOpts
	// WaitMined returns the receipt of tx, mining a block first where needed.
	WaitMined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error)
	// Mine mines n empty blocks.
	Mine(ctx context.Context, n uint64) error
	// IncreaseTime moves the clock forward by d and mines one block with the new time.
	IncreaseTime(ctx context.Context, d time.Duration) error
	// Snapshot records the chain's state and returns an id for Revert.
	Snapshot(ctx context.Context) (string, error)
	// Revert returns the chain to a snapshot: the blocks mined since are dropped and
	// the head is the snapshot's block again. An id can be used once.
	Revert(ctx context.Context, id string) error
	// Fund adds wei to the balance of addr.
	Fund(ctx context.Context, addr common.Address, wei *big.Int) error
	// RPCURL returns the HTTP JSON-RPC endpoint, or "" for the in-process chain.
	RPCURL() string
	// Close stops the chain and releases its resources.
	Close() error
}

// Ether returns n ether in wei.
func Ether(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18))
}

// transactor returns options that sign with key for chainID and carry ctx.
func transactor(ctx context.Context, key *ecdsa.PrivateKey, chainID *big.Int) *bind.TransactOpts {
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	return opts
}

// WaitSuccess waits for tx and returns its receipt, or an error when it reverted.
func WaitSuccess(ctx context.Context, c Chain, tx *types.Transaction) (*types.Receipt, error) {
	rcpt, err := c.WaitMined(ctx, tx)
	if err != nil {
		return nil, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, fmt.Errorf("transaction %s reverted (gas used %d)", tx.Hash(), rcpt.GasUsed)
	}
	return rcpt, nil
}

// RevertData extracts the revert data (custom error selector and arguments) that a node
// returned with a failed call or gas estimation, as wrapped in err.
func RevertData(err error) ([]byte, bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok || !strings.HasPrefix(s, "0x") {
		return nil, false
	}
	data, decErr := hexutil.Decode(s)
	if decErr != nil {
		return nil, false
	}
	return data, true
}

// pollReceipt asks for the receipt of hash every interval until it exists or ctx ends.
func pollReceipt(ctx context.Context, c Client, hash common.Hash, interval time.Duration) (*types.Receipt, error) {
	for {
		rcpt, err := c.TransactionReceipt(ctx, hash)
		if err == nil {
			return rcpt, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("receipt of %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", hash, ctx.Err())
		case <-time.After(interval):
		}
	}
}
