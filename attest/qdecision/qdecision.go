// Package qdecision builds, checks and records stewards' signed quarantine
// decisions (docs/SPEC.md §12.7). It is the one implementation behind the
// CLI's `quarantine approve|reject` (a keystore, or a wallet over
// --typed-data and --signature) and the steward console's wallet signing.
package qdecision

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
	"github.com/groundtruth-dao/groundtruth/pipeline"
)

// ErrBadDecision marks a decision that cannot be made or recorded as
// given: an unknown decision value, or a signed decision that is not about
// the entry it is recorded on. It wraps attest.ErrInvalid (the CLI's exit 8).
var ErrBadDecision = fmt.Errorf("%w: bad quarantine decision", attest.ErrInvalid)

// ErrNoDeployment marks a decision made without a deployment to bind it
// to (no attestation: section, or no --backend with its chain id and
// contract): its EIP-712 domain would say chain 0 and the zero contract,
// valid wherever the same steward decides. It wraps ErrBadDecision.
var ErrNoDeployment = fmt.Errorf("%w: no deployment to bind the decision to", ErrBadDecision)

// Pending returns the quarantine entry id, which must still be undecided,
// or decided in format 1 and not applied (store.Redecidable); otherwise
// store.ErrConflict names who decided it. Its stored row must be the row
// the journal recorded at quarantine time (store.CheckQuarantineRow):
// otherwise store.ErrQuarantineTampered, and no typed data is made.
func Pending(ctx context.Context, st *store.Store, id string) (*store.QuarantineEntry, error) {
	e, err := st.QuarantineGet(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Status != store.QuarantinePending && !store.Redecidable(e) {
		return nil, fmt.Errorf("%w: quarantine entry %s was already %s by %s", store.ErrConflict, e.ID, e.Status, e.Steward)
	}
	if err := st.CheckQuarantineRow(ctx, e); err != nil {
		return nil, fmt.Errorf("%w; refusing to make or record a decision on it", err)
	}
	return e, nil
}

// For returns the decision status ("approved" or "rejected") of steward
// on entry e with reason, made at decidedAt (Unix seconds), in deployment
// dep; it binds the leaf hash of the row e holds (pipeline.EntryLeaf). A
// zero chain id or contract is ErrNoDeployment.
func For(e *store.QuarantineEntry, dep attest.Deployment, status, reason string, steward common.Address, decidedAt uint64) (attest.Decision, error) {
	if status != store.QuarantineApproved && status != store.QuarantineRejected {
		return attest.Decision{}, fmt.Errorf("%w: decision %q: want %q or %q", ErrBadDecision, status, store.QuarantineApproved, store.QuarantineRejected)
	}
	if dep == (attest.Deployment{}) || dep.ChainID == 0 || dep.Contract == (common.Address{}) {
		return attest.Decision{}, fmt.Errorf("%w: a quarantine decision is signed for one chain and contract (docs/SPEC.md §12.7), and chain %d contract %s is none: "+
			"give -c FILE whose attestation: section names backend, chain_id and registry (or eas), or --backend, --chain-id and --registry/--eas",
			ErrNoDeployment, dep.ChainID, dep.Contract.Hex())
	}
	leaf, err := pipeline.EntryLeaf(e, nil)
	if err != nil {
		return attest.Decision{}, fmt.Errorf("%w: %w", ErrBadDecision, err)
	}
	return attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Leaf: leaf, Decision: status, Reason: reason,
		Steward: steward, DecidedAt: decidedAt, Deployment: dep}, nil
}

// Match checks that d, a decision read back from a wallet's typed data, is
// status on entry e in deployment dep: its dataset, entry id, row key and
// row leaf are e's, its domain dep's.
func Match(e *store.QuarantineEntry, dep attest.Deployment, d attest.Decision, status string) error {
	want, err := For(e, dep, status, d.Reason, d.Steward, d.DecidedAt)
	if err != nil {
		return err
	}
	if d != want {
		return fmt.Errorf("%w: the typed data is the decision %q on entry %s (%s, row %s, leaf %s, chain %d contract %s), not %q on entry %s (%s, row %s, leaf %s, chain %d contract %s)",
			ErrBadDecision, d.Decision, d.Entry, d.Dataset, d.RowKey, d.Leaf.Hex(), d.Deployment.ChainID, d.Deployment.Contract.Hex(),
			status, e.ID, e.Dataset, e.RowKey, want.Leaf.Hex(), dep.ChainID, dep.Contract.Hex())
	}
	return nil
}

// Record checks that sig is d's steward's signature of d (attest.ErrSignature
// naming the signer otherwise) and records the decision on its entry, which
// must still be pending, with its signature record (the signature, d's
// deployment and leaf: attest.EncodeDecisionRecord); what the store then
// holds must verify. Whether
// the steward belongs to the steward set is the caller's check.
func Record(ctx context.Context, st *store.Store, d attest.Decision, sig []byte) (*store.QuarantineEntry, error) {
	if err := attest.VerifyDecision(d, sig); err != nil {
		return nil, err
	}
	out, err := st.DecideQuarantine(ctx, d.Entry, store.Decision{Status: d.Decision, Steward: d.Steward.Hex(), Note: d.Reason,
		Signature: hexutil.Encode(attest.EncodeDecisionRecord(d, sig)), At: time.Unix(int64(d.DecidedAt), 0).UTC()})
	if err != nil {
		return nil, err
	}
	if err := pipeline.VerifyEntry(out); err != nil { // what the catalog holds must verify
		return nil, fmt.Errorf("the recorded decision does not verify: %w", err)
	}
	return out, nil
}
