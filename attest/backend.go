package attest

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// Check is the outcome of one verification check, in the same form as the
// data checks of datasets.VerifyVersion.
type Check = datasets.CheckResult

// Target names where a backend anchors statements.
type Target struct {
	// Backend is KindRegistry, KindEAS or KindOffchain.
	Backend string `json:"backend"`
	// ChainID is the chain.
	ChainID uint64 `json:"chainId"`
	// Contract is the DatasetRegistry (registry) or the EAS contract.
	Contract common.Address `json:"contract"`
	// Schema is the EAS schema UID (eas, offchain).
	Schema *common.Hash `json:"schema,omitempty"`
	// EASVersion is the EAS contract's version string (eas, offchain).
	EASVersion string `json:"easVersion,omitempty"`
}

// SignOptions tune Backend.Sign.
type SignOptions struct {
	// Now is the signing time (zero means time.Now).
	Now time.Time
	// Validity makes EAS attestations expire Validity after Now (0 = never).
	Validity time.Duration
	// RefUID is the signer's attestation of the previous version (EAS lineage).
	RefUID common.Hash
	// Nonce is the signer's EAS nonce for a delegated attestation; nil reads
	// it from the chain.
	Nonce *uint64
	// Salt is the off-chain attestation's salt; zero draws a random one.
	Salt common.Hash
}

// Receipt describes a submitted transaction.
type Receipt struct {
	// Backend is the backend kind.
	Backend string `json:"backend"`
	// TxHash is the transaction.
	TxHash common.Hash `json:"txHash"`
	// Block is the block it was included in.
	Block uint64 `json:"block"`
	// UIDs maps attesters to their EAS attestation UIDs (eas).
	UIDs map[common.Address]common.Hash `json:"uids,omitempty"`
	// Revoked is set by Finder.FindAnchor when the anchor it found has been
	// revoked since (not stored: the catalog records revocations itself).
	Revoked bool `json:"-"`
}

// Trust is what a verifier trusts: the authorised stewards, the threshold
// and where signatures must be bound to.
type Trust struct {
	// Stewards are the authorised signers.
	Stewards []common.Address `json:"stewards"`
	// Threshold is k, the number of distinct stewards a version needs.
	Threshold int `json:"threshold"`
	// ChainID is the expected chain (0 = not checked).
	ChainID uint64 `json:"chainId"`
	// Contract is the expected registry or EAS contract (zero = not checked).
	Contract common.Address `json:"contract"`
	// Source says where the trust came from, for the report.
	Source string `json:"source"`
}

// IsSteward reports whether a is an authorised steward.
func (t *Trust) IsSteward(a common.Address) bool {
	for _, s := range t.Stewards {
		if s == a {
			return true
		}
	}
	return false
}

// SignatureCheck is what Backend.CheckSignature found in a valid signature.
type SignatureCheck struct {
	// Signer is the recovered signer (equal to the file's Signer).
	Signer common.Address
	// Expires is the expiry (unix seconds, 0 = never).
	Expires uint64
}

// ChainResult is what Backend.CheckChain found on the chain.
type ChainResult struct {
	// Checks are the on-chain checks, in order.
	Checks []Check
	// Attested is true when the chain records the statement as attested by
	// k stewards itself (the registry verified the signatures).
	Attested bool
	// Confirmed, when not nil, is the set of attesters whose attestations
	// the chain confirms as present, matching, unrevoked and unexpired;
	// the threshold counts these instead of the offline signatures.
	Confirmed map[common.Address]bool
	// Revoked is set when the chain records a revocation.
	Revoked bool
	// Absent is set when the chain has no attestation of the statement at
	// all (as opposed to a different, revoked or invalid one): the version
	// is pending, not invalid.
	Absent bool
}

// Backend anchors statements somewhere (the registry contract, EAS on-chain
// or EAS off-chain) and checks them there. Implementations live in
// attest/registry, attest/eas and attest/offchain; methods that read or
// write the chain take ctx first.
type Backend interface {
	// Target returns the chain and contract the backend is bound to.
	Target() Target
	// Sign returns the signer's signature of st for this backend.
	Sign(ctx context.Context, s Signer, st Statement, opts SignOptions) (*SignatureFile, error)
	// CheckSignature checks one signature file: shape, statement, binding
	// and signature. A key's signature is checked offline; a contract
	// steward's (SchemeEIP1271) by calling the contract, and without a chain
	// it is ErrUnverifiable. It does not check authorisation or expiry.
	CheckSignature(ctx context.Context, f *SignatureFile, st Statement) (SignatureCheck, error)
	// Submit anchors st with signatures of distinct authorised stewards
	// (at least the threshold); from pays for the transaction.
	Submit(ctx context.Context, st Statement, sigs []*SignatureFile, from Signer) (*Receipt, error)
	// Revoke revokes the attestation of st: revokers approve it (the
	// registry needs k of them; on EAS each revokes their own attestation)
	// and from pays for the transaction(s).
	Revoke(ctx context.Context, st Statement, reason string, ev *Evidence, revokers []Signer, from Signer) (*Receipt, error)
	// TrustFromChain reads what the chain says about who may attest; ok is
	// false when the backend has no steward set on-chain.
	TrustFromChain(ctx context.Context) (t Trust, ok bool, err error)
	// CheckChain checks the evidence against the chain with a number of
	// calls that does not depend on the size of the version.
	CheckChain(ctx context.Context, st Statement, ev *Evidence, trust Trust, now time.Time) (*ChainResult, error)
}
