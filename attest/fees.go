package attest

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/groundtruth-dao/groundtruth/attest/txmgr"
)

// ErrFeeCap means the chain's base fee is above the configured fee cap: the
// transaction was not sent (retry later, or raise max_fee_gwei). It wraps
// ErrChain; errors carrying it also wrap txmgr.ErrFeeCap.
var ErrFeeCap = fmt.Errorf("%w: the base fee is above the fee cap", ErrChain)

// TxOptions tune the transactions the backends send through the
// transaction manager (attest/txmgr).
type TxOptions struct {
	// MaxFeePerGas caps the EIP-1559 fee per gas, in wei; nil leaves the
	// node's suggestion (2 × base fee + tip) uncapped.
	MaxFeePerGas *big.Int
	// Confirmations is the depth the transaction's block must reach before
	// it counts (0: txmgr.DefaultConfirmations of the chain).
	Confirmations uint64
	// ReplaceAfter is how long a transaction may stay unmined before it is
	// replaced with fees 12.5 % higher (0: txmgr.DefaultReplaceAfter).
	ReplaceAfter time.Duration
	// MaxReplacements bounds the replacements (0: txmgr.DefaultMaxReplacements).
	MaxReplacements int
	// Poll is the receipt polling interval (0: the manager's default).
	Poll time.Duration
	// StateDir keeps the senders' nonce records ("" keeps none).
	StateDir string
	// Log receives the manager's progress messages (nil discards them).
	Log *slog.Logger
}

// GweiToWei converts a fee in gwei (possibly fractional) to wei; 0 is nil.
func GweiToWei(gwei float64) *big.Int {
	if gwei <= 0 {
		return nil
	}
	w, _ := new(big.Float).Mul(big.NewFloat(gwei), big.NewFloat(params.GWei)).Int(nil)
	return w
}

// manager returns the transaction manager sending as s.
func (o TxOptions) manager(c Client, wait WaitFunc, s Signer, chainID uint64) (*txmgr.Manager, error) {
	cfg := txmgr.Config{Client: c, ChainID: chainID, From: s.Address(), MaxFeePerGas: o.MaxFeePerGas,
		Confirmations: o.Confirmations, ReplaceAfter: o.ReplaceAfter, MaxReplacements: o.MaxReplacements,
		Poll: o.Poll, StateDir: o.StateDir, Log: o.Log, Wait: txmgr.WaitFunc(wait)}
	cfg.Sign = func(ctx context.Context, tx *types.Transaction) (*types.Transaction, error) {
		return TransactOpts(ctx, s, bigU(chainID)).Signer(s.Address(), tx)
	}
	m, err := txmgr.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return m, nil
}
