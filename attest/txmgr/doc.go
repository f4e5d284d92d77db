// Package txmgr sends the transactions of the attestation stage (attest,
// revoke, registry deployment and administration, EAS schema registration)
// so that they survive fee spikes, dropped transactions, reorgs and crashes.
//
// A Manager prices each transaction from the node (the next block's base fee
// from eth_feeHistory, the tip from eth_maxPriorityFeePerGas) under a
// configured cap, and refuses to send when the base fee is at or above the
// cap (ErrFeeCap). It assigns nonces under a file lock in a state directory
// that records what the sender has in flight, so two processes of one
// sender neither collide nor leave gaps. A transaction not mined within
// Config.ReplaceAfter is replaced with the same nonce and both fee fields
// raised by at least 12.5 %, up to the cap (then ErrStuck). A transaction
// the node forgot (dropped, or reorged out with its block) is sent again.
// Send returns only once the receipt's block is Config.Confirmations deep
// and still canonical.
//
// The manager is not idempotent by itself: the caller (attest.Collector)
// looks the statement up on the chain before sending and after any error,
// and adopts an anchor it finds.
package txmgr
