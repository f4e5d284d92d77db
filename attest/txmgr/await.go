package txmgr

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
)

// nonceGrace is how many polling intervals a used nonce without a receipt
// of ours is waited out before ErrNonceTaken.
const nonceGrace = 25

// flight is one nonce's transactions: the first and its replacements.
type flight struct {
	sent     []*types.Transaction // oldest first; the last is current
	since    time.Time            // when the current one was sent
	replaced int
	taken    time.Time // when the nonce was first seen used with no receipt of ours
}

func (f *flight) current() *types.Transaction { return f.sent[len(f.sent)-1] }

// await polls until one of the nonce's transactions is mined and its block
// is Confirmations deep and canonical. It sends the current transaction
// again when the node no longer knows it (dropped, or reorged out) and
// replaces it after ReplaceAfter.
func (m *Manager) await(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	fl := &flight{sent: []*types.Transaction{tx}, since: time.Now()}
	t := time.NewTicker(m.cfg.Poll)
	defer t.Stop()
	for {
		rc, err := m.check(ctx, fl)
		if err != nil || rc != nil {
			if rc != nil || errors.Is(err, ErrNonceTaken) {
				m.forget(ctx, tx.Nonce())
			}
			return rc, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s (nonce %d): %w", fl.current().Hash().Hex(), tx.Nonce(), ctx.Err())
		case <-t.C:
		}
	}
}

// check makes one round of await: a confirmed receipt, or nil to poll again.
func (m *Manager) check(ctx context.Context, fl *flight) (*types.Receipt, error) {
	for i := len(fl.sent) - 1; i >= 0; i-- {
		rc, err := m.cfg.Client.TransactionReceipt(ctx, fl.sent[i].Hash())
		if errors.Is(err, ethereum.NotFound) || (err == nil && rc == nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: reading the receipt of %s: %w", ErrNode, fl.sent[i].Hash().Hex(), err)
		}
		return m.confirmed(ctx, rc)
	}
	nonce := fl.current().Nonce()
	mined, err := m.minedNonce(ctx)
	if err != nil {
		return nil, err
	}
	if mined > nonce {
		// The nonce is used and none of ours has a receipt: either a
		// transaction sent elsewhere took it, or the node has not indexed
		// the receipt yet. Only a state that lasts is an error.
		if fl.taken.IsZero() {
			fl.taken = time.Now()
		}
		if time.Since(fl.taken) < nonceGrace*m.cfg.Poll {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: nonce %d of %s is used and none of %d transaction(s) sent with it was mined", ErrNonceTaken, nonce, m.cfg.From.Hex(), len(fl.sent))
	}
	fl.taken = time.Time{}
	if time.Since(fl.since) >= m.cfg.ReplaceAfter {
		return nil, m.replace(ctx, fl)
	}
	return nil, m.rebroadcast(ctx, fl.current())
}

// confirmed returns rc when its block is deep enough and still canonical,
// nil to keep polling (a reorged-out receipt is looked up again).
func (m *Manager) confirmed(ctx context.Context, rc *types.Receipt) (*types.Receipt, error) {
	head, err := m.cfg.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the head block: %w", ErrNode, err)
	}
	depth := new(big.Int).Sub(head.Number, rc.BlockNumber).Int64() + 1
	if depth < int64(m.cfg.Confirmations) {
		return nil, nil
	}
	h, err := m.cfg.Client.HeaderByNumber(ctx, rc.BlockNumber)
	if err != nil && !errors.Is(err, ethereum.NotFound) {
		return nil, fmt.Errorf("%w: reading block %s: %w", ErrNode, rc.BlockNumber, err)
	}
	if h == nil || h.Hash() != rc.BlockHash {
		m.log.Warn("the block holding the transaction was reorged out; waiting for it to be mined again",
			"tx", rc.TxHash.Hex(), "block", rc.BlockNumber, "block_hash", rc.BlockHash.Hex())
		return nil, nil
	}
	m.log.Info("transaction confirmed", "tx", rc.TxHash.Hex(), "block", rc.BlockNumber, "confirmations", depth, "status", rc.Status)
	return rc, nil
}

// rebroadcast sends tx again when the node does not know it (dropped from
// its pool, or its block reorged out). A refusal is logged, not returned:
// another transaction may hold the nonce in the pool (the next rounds see
// it mined, or replace ours), and a node that keeps refusing ends in
// replacement and ErrStuck.
func (m *Manager) rebroadcast(ctx context.Context, tx *types.Transaction) error {
	if tr, ok := m.cfg.Client.(txReader); ok {
		if got, _, err := tr.TransactionByHash(ctx, tx.Hash()); err == nil && got != nil {
			return nil
		}
	}
	err := m.cfg.Client.SendTransaction(ctx, tx)
	switch {
	case err == nil:
		m.log.Warn("the node had forgotten the transaction (dropped or reorged out); sent it again", "tx", tx.Hash().Hex(), "nonce", tx.Nonce())
	case ctx.Err() != nil:
		return ctx.Err()
	case knownTx(err), nonceTooLow(err):
		// known, or mined meanwhile: the next round sees it
	default:
		m.log.Warn("the node refused the transaction sent again", "tx", tx.Hash().Hex(), "nonce", tx.Nonce(), "err", err)
	}
	return nil
}

// replace sends the current transaction again with the same nonce and both
// fee fields raised by at least 12.5 %; ErrStuck when the cap or the
// number of replacements forbids it.
func (m *Manager) replace(ctx context.Context, fl *flight) error {
	cur := fl.current()
	stuck := func(why string) error {
		return fmt.Errorf("%w: %s (nonce %d) was not mined within %s after %d replacement(s) and %s; it stays in the node's pool and may still be mined",
			ErrStuck, cur.Hash().Hex(), cur.Nonce(), m.cfg.ReplaceAfter, fl.replaced, why)
	}
	if fl.replaced >= m.cfg.MaxReplacements {
		return stuck(fmt.Sprintf("the limit of %d replacements is reached", m.cfg.MaxReplacements))
	}
	f, ok, err := m.replacement(ctx, fees{tip: cur.GasTipCap(), feeCap: cur.GasFeeCap()})
	if errors.Is(err, ErrFeeCap) {
		return stuck(err.Error())
	}
	if err != nil {
		return err
	}
	if !ok {
		return stuck(fmt.Sprintf("its fee cap %s gwei cannot be raised by 12.5 %% under max_fee_gwei %s", gwei(cur.GasFeeCap()), gwei(m.cfg.MaxFeePerGas)))
	}
	req := Request{To: cur.To(), Data: cur.Data(), Value: cur.Value()}
	next, err := m.cfg.Sign(ctx, m.unsigned(req, cur.Nonce(), cur.Gas(), f))
	if err != nil {
		return fmt.Errorf("%w: signing: %w", ErrConfig, err)
	}
	err = m.locked(ctx, func(r *record) (bool, error) {
		r.set(next)
		return true, nil
	})
	if err != nil {
		return err
	}
	if err := m.cfg.Client.SendTransaction(ctx, next); err != nil && !knownTx(err) {
		if nonceTooLow(err) {
			return nil // one of ours was mined meanwhile: the next round sees it
		}
		return fmt.Errorf("%w: replacing %s: %w", ErrSend, cur.Hash().Hex(), err)
	}
	fl.sent, fl.since = append(fl.sent, next), time.Now()
	fl.replaced++
	m.log.Warn("transaction not mined in time; replaced it with higher fees", "old", cur.Hash().Hex(), "new", next.Hash().Hex(),
		"nonce", next.Nonce(), "max_fee_gwei", gwei(f.feeCap), "tip_gwei", gwei(f.tip))
	return nil
}
