package attest

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrAnchorConflict means the chain already holds a different statement for
// the same dataset and version: the catalog and the chain disagree, and no
// retry can resolve it. It wraps ErrInvalid.
var ErrAnchorConflict = fmt.Errorf("%w: the chain holds another statement for this version", ErrInvalid)

// Finder is implemented by the on-chain backends: it looks up an existing
// anchor of a statement so that a retry adopts it instead of sending a
// second transaction. A crash between sending a transaction and recording
// its receipt therefore never wedges a version.
type Finder interface {
	// FindAnchor returns the receipt of the anchor of st already on the
	// chain, or nil when there is none. sigs are the accepted signatures
	// (EAS looks for their attesters' attestations). When the statement is
	// anchored in the pending block only, it waits for the block to be
	// mined. A different statement anchored for the same version is
	// ErrAnchorConflict.
	FindAnchor(ctx context.Context, st Statement, sigs []*SignatureFile) (*Receipt, error)
}

// RecordChecker is implemented by backends whose chain holds one record
// per version (the registry): it tells whether the chain still records
// st, so that a version recorded attested whose record a reorg deeper than
// the confirmation depth removed can be found and attested again.
type RecordChecker interface {
	// Recorded reports whether the chain's latest block records st.
	Recorded(ctx context.Context, st Statement) (bool, error)
}

// PendingWait bounds how long FindAnchor waits for a pending anchor to be
// mined before it gives up with ErrChain.
const PendingWait = 2 * time.Minute

// WaitPending polls mined until it reports true, every interval, for at most
// PendingWait; it returns ErrChain when the transaction was not mined.
func WaitPending(ctx context.Context, interval time.Duration, mined func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, PendingWait)
	defer cancel()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		ok, err := mined(ctx)
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("%w: a pending transaction anchoring the statement was not mined within %s", ErrChain, PendingWait)
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}

// findAnchor asks the backend for an existing anchor when it can look one up.
func (c *Collector) findAnchor(ctx context.Context, st Statement, sigs []*SignatureFile) (*Receipt, error) {
	f, ok := c.Backend.(Finder)
	if !ok {
		return nil, nil
	}
	return f.FindAnchor(ctx, st, sigs)
}

// submit anchors st: it adopts an anchor already on the chain, else sends
// the transaction, and after a failed send looks again (the transaction may
// have been mined, or another process may have anchored the statement).
func (c *Collector) submit(ctx context.Context, st Statement, sigs []*SignatureFile, from Signer) (*Receipt, bool, error) {
	if rc, err := c.findAnchor(ctx, st, sigs); err != nil || rc != nil {
		return rc, rc != nil, err
	}
	rc, err := c.Backend.Submit(ctx, st, sigs, from)
	if err == nil {
		return rc, false, nil
	}
	found, ferr := c.findAnchor(ctx, st, sigs)
	if ferr != nil || found == nil {
		return nil, false, err
	}
	return found, true, nil
}
