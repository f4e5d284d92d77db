package txmgr

import "errors"

// Sentinel errors of the transaction manager; every error Send returns wraps
// one of them (or the context's error) with %w.
var (
	// ErrFeeCap means the next block's base fee is at or above the fee cap:
	// nothing was sent.
	ErrFeeCap = errors.New("the base fee is above the fee cap")
	// ErrEstimate means the node could not estimate the transaction's gas,
	// usually because the call reverts; nothing was sent. The node's error,
	// with its revert data, is wrapped too.
	ErrEstimate = errors.New("gas estimation failed")
	// ErrSend means the node refused the transaction.
	ErrSend = errors.New("the node refused the transaction")
	// ErrStuck means the transaction was not mined and cannot be replaced
	// again: its fees reached the cap or the replacements ran out. It may
	// still be mined later; the caller looks its effect up before retrying.
	ErrStuck = errors.New("the transaction is stuck")
	// ErrNonceTaken means another transaction of the same sender (sent
	// outside this manager) used the nonce; ours will never be mined.
	ErrNonceTaken = errors.New("the nonce was used by another transaction")
	// ErrNode means the node could not be read.
	ErrNode = errors.New("reading the node failed")
	// ErrState means the nonce record in the state directory could not be
	// read, locked or written.
	ErrState = errors.New("nonce record error")
	// ErrConfig means the manager's configuration is incomplete.
	ErrConfig = errors.New("transaction manager configuration error")
)
