package txmgr

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/params"
)

// fees are the EIP-1559 fee fields of a transaction.
type fees struct {
	tip, feeCap *big.Int
}

// nextBaseFee returns the base fee a transaction must pay: the larger of
// the head block's and the next block's (the last entry of eth_feeHistory,
// which includes the block after the newest). Nil means the chain has no
// EIP-1559 base fee.
func (m *Manager) nextBaseFee(ctx context.Context) (*big.Int, error) {
	head, err := m.cfg.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the head block: %w", ErrNode, err)
	}
	base := head.BaseFee
	if fh, ok := m.cfg.Client.(feeHistoryReader); ok && base != nil {
		h, err := fh.FeeHistory(ctx, 1, nil, []float64{50})
		if err == nil && h != nil && len(h.BaseFee) > 0 {
			base = maxBig(base, h.BaseFee[len(h.BaseFee)-1])
		}
	}
	return base, nil
}

// fees prices a new transaction: the tip is the node's suggestion, the fee
// cap twice the next base fee plus the tip, both under MaxFeePerGas. A base
// fee at or above the cap is ErrFeeCap.
func (m *Manager) fees(ctx context.Context) (fees, error) {
	base, err := m.nextBaseFee(ctx)
	if err != nil {
		return fees{}, err
	}
	if base == nil {
		base = new(big.Int)
	}
	limit := m.cfg.MaxFeePerGas
	if limit != nil && base.Cmp(limit) >= 0 {
		return fees{}, fmt.Errorf("%w: base fee %s gwei, cap %s gwei; nothing was sent", ErrFeeCap, gwei(base), gwei(limit))
	}
	tip, err := m.cfg.Client.SuggestGasTipCap(ctx)
	if err != nil {
		return fees{}, fmt.Errorf("%w: reading the suggested tip: %w", ErrNode, err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	if limit != nil {
		if room := new(big.Int).Sub(limit, base); tip.Cmp(room) > 0 {
			tip = room
		}
		if feeCap.Cmp(limit) > 0 {
			feeCap = new(big.Int).Set(limit)
		}
	}
	return fees{tip: tip, feeCap: feeCap}, nil
}

// bump12 returns x raised by 12.5 %, rounded up (at least 1 wei more).
func bump12(x *big.Int) *big.Int {
	inc := new(big.Int).Add(x, big.NewInt(7))
	inc.Rsh(inc, 3)
	if inc.Sign() == 0 {
		inc.SetInt64(1)
	}
	return inc.Add(inc, x)
}

// replacement prices the replacement of a transaction with fees old: both
// fields at least 12.5 % higher, and at least what a new transaction would
// pay now. ok is false when the cap leaves no room for the bump.
func (m *Manager) replacement(ctx context.Context, old fees) (f fees, ok bool, err error) {
	now, err := m.fees(ctx)
	if err != nil {
		return fees{}, false, err
	}
	f = fees{tip: maxBig(bump12(old.tip), now.tip), feeCap: maxBig(bump12(old.feeCap), now.feeCap)}
	if limit := m.cfg.MaxFeePerGas; limit != nil && f.feeCap.Cmp(limit) > 0 {
		f.feeCap = new(big.Int).Set(limit)
	}
	if f.tip.Cmp(f.feeCap) > 0 {
		f.tip = new(big.Int).Set(f.feeCap)
	}
	return f, f.tip.Cmp(bump12(old.tip)) >= 0 && f.feeCap.Cmp(bump12(old.feeCap)) >= 0, nil
}

func maxBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return a
	}
	return new(big.Int).Set(b)
}

// gwei renders wei as gwei with three decimals.
func gwei(w *big.Int) string {
	if w == nil {
		return "0"
	}
	return new(big.Float).Quo(new(big.Float).SetInt(w), big.NewFloat(params.GWei)).Text('f', 3)
}
