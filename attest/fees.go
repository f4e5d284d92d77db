package attest

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/params"
)

// ErrFeeCap means the chain's base fee is above the configured fee cap: the
// transaction was not sent (retry later, or raise max_fee_gwei). It wraps
// ErrChain.
var ErrFeeCap = fmt.Errorf("%w: the base fee is above the fee cap", ErrChain)

// TxOptions tune the transactions the backends send.
type TxOptions struct {
	// MaxFeePerGas caps the EIP-1559 fee per gas, in wei; nil leaves the
	// node's suggestion (2 × base fee + tip).
	MaxFeePerGas *big.Int
}

// GweiToWei converts a fee in gwei (possibly fractional) to wei; 0 is nil.
func GweiToWei(gwei float64) *big.Int {
	if gwei <= 0 {
		return nil
	}
	w, _ := new(big.Float).Mul(big.NewFloat(gwei), big.NewFloat(params.GWei)).Int(nil)
	return w
}

// apply sets opts' EIP-1559 fees under the cap: the fee cap is the smaller
// of the node's suggestion and MaxFeePerGas, the tip at most the cap less
// the base fee. A base fee at or above the cap is ErrFeeCap (two calls).
func (o TxOptions) apply(ctx context.Context, c Client, opts *bind.TransactOpts) error {
	if o.MaxFeePerGas == nil {
		return nil
	}
	head, err := c.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: reading the head block: %v", ErrChain, err)
	}
	if head.BaseFee == nil {
		return nil // no EIP-1559 on this chain: the node prices the legacy transaction
	}
	if head.BaseFee.Cmp(o.MaxFeePerGas) >= 0 {
		return fmt.Errorf("%w: base fee %s gwei, cap %s gwei; nothing was sent", ErrFeeCap, gwei(head.BaseFee), gwei(o.MaxFeePerGas))
	}
	tip, err := c.SuggestGasTipCap(ctx)
	if err != nil {
		return fmt.Errorf("%w: reading the suggested tip: %v", ErrChain, err)
	}
	room := new(big.Int).Sub(o.MaxFeePerGas, head.BaseFee)
	if tip.Cmp(room) > 0 {
		tip = room
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	if feeCap.Cmp(o.MaxFeePerGas) > 0 {
		feeCap = new(big.Int).Set(o.MaxFeePerGas)
	}
	opts.GasTipCap, opts.GasFeeCap = tip, feeCap
	return nil
}

func gwei(w *big.Int) string {
	return new(big.Float).Quo(new(big.Float).SetInt(w), big.NewFloat(params.GWei)).Text('f', 3)
}
