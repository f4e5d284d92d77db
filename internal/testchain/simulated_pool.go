package testchain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// The simulated chain's transaction pool (go-ethereum's legacypool) works on a
// background goroutine: a sent transaction is queued, then promoted to pending
// by a later "reorg" run, and a new head is taken in by a reset run after the
// block is committed. When a reset run and the promotion of an account's next
// transaction coincide, that transaction stays queued until the account's
// earlier transaction is mined: the reset recomputes the account's pending
// nonce from the state before it promotes, so the queued nonce looks like a gap.
// Transactions sent "into one block" then land in two.
//
// Two waits make the pool deterministic for callers that send several
// transactions from one account per block:
//   - commit waits (settle) until the pool has dropped the new block's
//     transactions, which its reset for that head does, so no reset is
//     running while the next transactions are sent;
//   - WaitPooled waits until a sent transaction is pending, so no promotion is
//     in flight when the next block's reset (Backend.Commit syncs the pool
//     first) begins.

// poolWait bounds each wait for the pool; the pool settles in microseconds, so
// reaching it means the pool is stuck.
const poolWait = 10 * time.Second

// poolPoll is the interval between two looks at the pool.
const poolPoll = time.Millisecond

// errPoolStuck is returned when the pool does not reach the awaited state.
var errPoolStuck = errors.New("simulated chain: transaction pool did not settle")

// poolContent is the answer of txpool_contentFrom: transactions by nonce (decimal).
type poolContent struct {
	Pending map[string]struct {
		Hash common.Hash `json:"hash"`
	} `json:"pending"`
	Queued map[string]struct {
		Hash common.Hash `json:"hash"`
	} `json:"queued"`
}

// contentFrom returns the pool's transactions of one sender.
func (s *Simulated) contentFrom(ctx context.Context, from common.Address) (poolContent, error) {
	var c poolContent
	if err := s.rpc.CallContext(ctx, &c, "txpool_contentFrom", from); err != nil {
		return c, fmt.Errorf("txpool_contentFrom %s: %w", from, err)
	}
	return c, nil
}

// WaitPooled waits until tx, sent to this chain, is pending in the pool (ready
// for the next block) rather than queued. Senders that put several
// transactions of one account into one block call it after each send.
func (s *Simulated) WaitPooled(ctx context.Context, tx *types.Transaction) error {
	if s.rpc == nil {
		return nil
	}
	from, err := types.Sender(types.LatestSignerForChainID(s.ChainID()), tx)
	if err != nil {
		return fmt.Errorf("sender of %s: %w", tx.Hash(), err)
	}
	nonce := fmt.Sprint(tx.Nonce())
	return s.poll(ctx, func() (bool, error) {
		c, err := s.contentFrom(ctx, from)
		if err != nil {
			return false, err
		}
		if p, ok := c.Pending[nonce]; ok && p.Hash == tx.Hash() {
			return true, nil
		}
		if _, ok := c.Queued[nonce]; ok {
			return false, nil
		}
		// Neither pending nor queued: mined already (the nonce moved on) or
		// dropped; both end the wait, and mining reports a dropped one.
		return true, nil
	}, "transaction %s (nonce %s of %s) to become pending", tx.Hash(), nonce, from)
}

// settle waits until the pool no longer holds any transaction of the block
// head: its reset for the new head has run.
func (s *Simulated) settle(ctx context.Context, head common.Hash) error {
	if s.rpc == nil {
		return nil
	}
	block, err := s.client.BlockByHash(ctx, head)
	if err != nil {
		return fmt.Errorf("block %s: %w", head, err)
	}
	mined := map[common.Address][]*types.Transaction{}
	signer := types.LatestSignerForChainID(s.ChainID())
	for _, tx := range block.Transactions() {
		from, err := types.Sender(signer, tx)
		if err != nil {
			return fmt.Errorf("sender of %s: %w", tx.Hash(), err)
		}
		mined[from] = append(mined[from], tx)
	}
	for from, txs := range mined {
		err := s.poll(ctx, func() (bool, error) {
			c, err := s.contentFrom(ctx, from)
			if err != nil {
				return false, err
			}
			for _, tx := range txs {
				n := fmt.Sprint(tx.Nonce())
				if _, ok := c.Pending[n]; ok {
					return false, nil
				}
			}
			return true, nil
		}, "the pool to drop the %d transactions of %s mined in block %d", len(txs), from, block.NumberU64())
		if err != nil {
			return err
		}
	}
	return nil
}

// poll calls done until it reports true, fails, or poolWait passes.
func (s *Simulated) poll(ctx context.Context, done func() (bool, error), format string, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, poolWait)
	defer cancel()
	for {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: waited %s for %s", errPoolStuck, poolWait, fmt.Sprintf(format, args...))
		case <-time.After(poolPoll):
		}
	}
}

// poolStatus returns the pool's pending and queued transaction counts.
func (s *Simulated) poolStatus(ctx context.Context) (pending, queued uint64, err error) {
	var st map[string]hexutil.Uint
	if err := s.rpc.CallContext(ctx, &st, "txpool_status"); err != nil {
		return 0, 0, fmt.Errorf("txpool_status: %w", err)
	}
	return uint64(st["pending"]), uint64(st["queued"]), nil
}
