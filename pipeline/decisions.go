package pipeline

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// EntryDecision returns the signed form of a decided quarantine entry (its
// EIP-712 decision, docs/SPEC.md §12.7) and its signature; ok is false for
// an undecided entry or a decision recorded without a signature.
func EntryDecision(e *store.QuarantineEntry) (d attest.Decision, sig []byte, ok bool, err error) {
	if e.DecidedAt == nil || e.Signature == "" {
		return attest.Decision{}, nil, false, nil
	}
	if !common.IsHexAddress(e.Steward) {
		return attest.Decision{}, nil, false, fmt.Errorf("%w: quarantine entry %s: a signed decision names steward %q, not an address", attest.ErrSignature, e.ID, e.Steward)
	}
	if sig, err = hexutil.Decode(e.Signature); err != nil {
		return attest.Decision{}, nil, false, fmt.Errorf("%w: quarantine entry %s: signature %q: %v", attest.ErrSignature, e.ID, e.Signature, err)
	}
	d = attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Decision: e.Status, Reason: e.Note,
		Steward: common.HexToAddress(e.Steward), DecidedAt: uint64(e.DecidedAt.Unix())}
	return d, sig, true, nil
}

// VerifyEntry checks the signature of a decided entry's decision: the
// steward it names must have signed exactly what the catalog holds. An
// entry without a signature (decided through the store's API) passes.
func VerifyEntry(e *store.QuarantineEntry) error {
	d, sig, ok, err := EntryDecision(e)
	if err != nil || !ok {
		return err
	}
	return attest.VerifyDecision(d, sig)
}
