package pipeline

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/attest"
	"github.com/groundtruth-dao/groundtruth/datasets/store"
)

// EntryDecision returns the signed form of a decided quarantine entry (its
// EIP-712 decision, docs/SPEC.md §12.7, with the leaf and deployment of its
// signature record) and its signature; ok is false for an undecided entry
// or a decision recorded without a signature. A format 1 record is
// attest.ErrDecisionFormat.
func EntryDecision(e *store.QuarantineEntry) (d attest.Decision, sig []byte, ok bool, err error) {
	if e.DecidedAt == nil || e.Signature == "" {
		return attest.Decision{}, nil, false, nil
	}
	if !common.IsHexAddress(e.Steward) {
		return attest.Decision{}, nil, false, fmt.Errorf("%w: quarantine entry %s: a signed decision names steward %q, not an address", attest.ErrSignature, e.ID, e.Steward)
	}
	rec, err := hexutil.Decode(e.Signature)
	if err != nil {
		return attest.Decision{}, nil, false, fmt.Errorf("%w: quarantine entry %s: signature %q: %v", attest.ErrSignature, e.ID, e.Signature, err)
	}
	sig, dep, leaf, err := attest.DecodeDecisionRecord(rec)
	if err != nil {
		return attest.Decision{}, nil, false, fmt.Errorf("quarantine entry %s: %w", e.ID, err)
	}
	d = attest.Decision{Dataset: e.Dataset, Entry: e.ID, RowKey: e.RowKey, Leaf: leaf, Decision: e.Status, Reason: e.Note,
		Steward: common.HexToAddress(e.Steward), DecidedAt: uint64(e.DecidedAt.Unix()), Deployment: dep}
	return d, sig, true, nil
}

// VerifyEntry checks the signature of a decided entry's decision: the
// steward it names must have signed exactly what the catalog holds,
// including the leaf of the row it holds (encoded with the row's own
// schema; the writer checks with the dataset's, VerifyApproved). An entry
// without a signature (decided through the store's API) passes.
func VerifyEntry(e *store.QuarantineEntry) error {
	d, sig, ok, err := EntryDecision(e)
	if err != nil || !ok {
		return err
	}
	leaf, err := EntryLeaf(e, nil)
	if err != nil {
		return err
	}
	if leaf != d.Leaf {
		return fmt.Errorf("%w: quarantine entry %s: the held row's leaf is %s, the steward signed %s", ErrRowChanged, e.ID, leaf.Hex(), d.Leaf.Hex())
	}
	return attest.VerifyDecision(d, sig)
}
