package attest

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/groundtruth-dao/groundtruth/attest/txmgr"
)

// depth returns the confirmation depth of the options on chainID
// (txmgr.DefaultConfirmations when none is set) and the polling interval.
func (o TxOptions) depth(chainID uint64) (uint64, time.Duration) {
	d, poll := o.Confirmations, o.Poll
	if d == 0 {
		d = txmgr.DefaultConfirmations(chainID)
	}
	if poll <= 0 {
		poll = txmgr.PollInterval(chainID)
	}
	return d, poll
}

// AwaitAnchorDepth waits until an anchor found on the chain (a record an
// earlier run or another submitter sent) is as deep as a transaction sent
// now must be before it counts: block and Confirmations-1 blocks on top.
// Then it asks still whether the chain still records the anchor in that
// block: false means the block was reorged out meanwhile and the anchor
// must be looked up (or sent) again. It waits as long as ctx allows.
func (o TxOptions) AwaitAnchorDepth(ctx context.Context, c Client, log *slog.Logger, chainID, block uint64,
	still func(context.Context) (bool, error)) (bool, error) {
	depth, poll := o.depth(chainID)
	want := block + depth - 1
	logged := false
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		h, err := c.HeaderByNumber(ctx, nil)
		if err != nil {
			return false, fmt.Errorf("%w: reading the head block: %v", ErrChain, err)
		}
		if h.Number.Cmp(new(big.Int).SetUint64(want)) >= 0 {
			return still(ctx)
		}
		if !logged && log != nil {
			log.Info("the attestation found on the chain is not deep enough yet; waiting for its confirmations",
				"block", block, "confirmations", depth, "head", h.Number.Uint64())
			logged = true
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
		}
	}
}
