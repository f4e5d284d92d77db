package attest

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// DecisionRecordLen is the length of the signature record a decision is
// stored with (docs/SPEC.md §12.7, format 2): the steward's 65-byte
// signature, then what the signature covers that the catalog has no column
// for: the chain id (8 bytes, big-endian), the verifying contract (20
// bytes) and the row's leaf hash (32 bytes).
const DecisionRecordLen = 65 + 8 + common.AddressLength + common.HashLength

// EncodeDecisionRecord returns the signature record of d signed with sig.
func EncodeDecisionRecord(d Decision, sig []byte) []byte {
	out := make([]byte, 0, DecisionRecordLen)
	out = append(out, sig...)
	out = binary.BigEndian.AppendUint64(out, d.Deployment.ChainID)
	out = append(out, d.Deployment.Contract.Bytes()...)
	return append(out, d.Leaf.Bytes()...)
}

// DecodeDecisionRecord splits a stored signature record into the signature,
// the deployment and the leaf the steward signed. A bare 65-byte signature
// is a format 1 decision (ErrDecisionFormat); any other length is
// ErrSignature.
func DecodeDecisionRecord(b []byte) (sig []byte, dep Deployment, leaf common.Hash, err error) {
	switch len(b) {
	case DecisionRecordLen:
	case 65:
		return nil, Deployment{}, common.Hash{}, fmt.Errorf("%w: a format 1 decision (a bare signature), which binds neither the row's values nor the deployment, is refused: the entry must be decided again in format %s",
			ErrDecisionFormat, DecisionDomainVersion)
	default:
		return nil, Deployment{}, common.Hash{}, fmt.Errorf("%w: a decision's signature record has %d bytes, want %d", ErrSignature, len(b), DecisionRecordLen)
	}
	dep.ChainID = binary.BigEndian.Uint64(b[65:73])
	dep.Contract = common.BytesToAddress(b[73:93])
	return b[:65:65], dep, common.BytesToHash(b[93:]), nil
}
