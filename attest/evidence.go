package attest

import (
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// EvidenceFormat identifies the evidence document format.
const EvidenceFormat = "groundtruth-evidence/1"

// Evidence is everything known about the attestation of one version: the
// statement, the stewards' signatures, the transactions that anchored it and
// the revocations. The catalog keeps it, bundles carry it, verify checks it.
type Evidence struct {
	// Format is EvidenceFormat.
	Format string `json:"format"`
	// Target is where the version was attested.
	Target Target `json:"target"`
	// Statement is the attested statement.
	Statement Statement `json:"statement"`
	// Signatures are the stewards' signature files.
	Signatures []*SignatureFile `json:"signatures"`
	// Receipts are the transactions that anchored the statement.
	Receipts []*Receipt `json:"receipts"`
	// Revocations are the known revocations.
	Revocations []Revocation `json:"revocations"`
	// DeclaredTrust is the steward set the maker of a bundle declared. A
	// verifier uses it only when told to (it is not evidence of anything).
	DeclaredTrust *Trust `json:"declaredTrust,omitempty"`
}

// Revocation records a revocation.
type Revocation struct {
	// Backend is the backend it was made on.
	Backend string `json:"backend"`
	// Reason says why.
	Reason string `json:"reason"`
	// At is when (RFC 3339).
	At string `json:"at"`
	// TxHash is the revoking transaction, if any.
	TxHash *common.Hash `json:"txHash,omitempty"`
	// By are the stewards that revoked.
	By []common.Address `json:"by"`
}

// NewEvidence returns empty evidence for a statement and target.
func NewEvidence(t Target, st Statement) *Evidence {
	return &Evidence{Format: EvidenceFormat, Target: t, Statement: st, Signatures: []*SignatureFile{}, Receipts: []*Receipt{}, Revocations: []Revocation{}}
}

// Marshal encodes the evidence as indented JSON.
func (e *Evidence) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseEvidence decodes an evidence document.
func ParseEvidence(b []byte) (*Evidence, error) {
	var e Evidence
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("%w: evidence: %v", ErrInvalid, err)
	}
	if e.Format != EvidenceFormat {
		return nil, fmt.Errorf("%w: evidence format %q, want %q", ErrInvalid, e.Format, EvidenceFormat)
	}
	for i, s := range e.Signatures {
		if s == nil {
			return nil, fmt.Errorf("%w: evidence: signature %d is null", ErrInvalid, i)
		}
	}
	return &e, nil
}

// AddSignature adds f unless a signature of the same signer, backend and
// purpose is present; it reports whether it was added.
func (e *Evidence) AddSignature(f *SignatureFile) bool {
	for _, s := range e.Signatures {
		if s.Signer == f.Signer && s.Backend == f.Backend && s.Purpose == f.Purpose {
			return false
		}
	}
	e.Signatures = append(e.Signatures, f)
	return true
}
