package attest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

// SignatureFormat identifies the signature file format.
const SignatureFormat = "groundtruth-signature/1"

// Backend kinds.
const (
	// KindRegistry is the DatasetRegistry contract.
	KindRegistry = "registry"
	// KindEAS is EAS on-chain attestations.
	KindEAS = "eas"
	// KindOffchain is EAS off-chain attestations.
	KindOffchain = "offchain"
)

// Purposes of a signature.
const (
	// PurposeAttest is a steward's approval of a statement.
	PurposeAttest = "attest"
	// PurposeRevoke is a steward's approval of a revocation (registry).
	PurposeRevoke = "revoke"
)

// Signature schemes.
const (
	// SchemeECDSA is a key's 65-byte EIP-712 signature; the file's signer is
	// the address it recovers to. It is the default (an empty scheme).
	SchemeECDSA = ""
	// SchemeEIP1271 is a contract steward's signature (a Safe's): opaque
	// bytes that the steward contract's isValidSignature(digest, signature)
	// accepts on the chain; it is checked by calling the contract.
	SchemeEIP1271 = "eip1271"
)

// MaxContractSignature is the largest contract steward signature a file may
// hold (a Safe's is 65 bytes per owner).
const MaxContractSignature = 16 << 10

// SignatureFile is one steward's signature of a statement for one backend,
// as written by `groundtruth sign` and exchanged between stewards. It is
// self-describing: it names the chain and contract it is bound to.
type SignatureFile struct {
	// Format is SignatureFormat.
	Format string `json:"format"`
	// Backend is KindRegistry, KindEAS or KindOffchain.
	Backend string `json:"backend"`
	// Purpose is PurposeAttest or PurposeRevoke.
	Purpose string `json:"purpose"`
	// Statement is the signed statement.
	Statement Statement `json:"statement"`
	// Signer is the address that signed.
	Signer common.Address `json:"signer"`
	// Signature is the 65-byte signature r ‖ s ‖ v over Digest, or with
	// SchemeEIP1271 the bytes the signer contract's isValidSignature takes.
	Signature hexutil.Bytes `json:"signature"`
	// Scheme is SchemeECDSA (omitted) or SchemeEIP1271 (a contract steward).
	Scheme string `json:"scheme,omitempty"`
	// Digest is the EIP-712 digest that was signed (recomputed by verifiers).
	Digest common.Hash `json:"digest"`
	// ChainID is the chain the signature is bound to.
	ChainID uint64 `json:"chainId"`
	// Registry is the DatasetRegistry address (registry backend).
	Registry *common.Address `json:"registry,omitempty"`
	// EAS is the EAS contract address (eas and offchain backends).
	EAS *common.Address `json:"eas,omitempty"`
	// Revocation holds the revocation's reason and nonce (PurposeRevoke).
	Revocation *RevocationTerms `json:"revocation,omitempty"`
	// Delegated holds the EAS delegated attestation request (eas backend).
	Delegated *Delegated `json:"delegated,omitempty"`
	// Offchain is the EAS off-chain attestation package (offchain backend),
	// in the EAS SDK's JSON form.
	Offchain json.RawMessage `json:"offchain,omitempty"`
	// SignedAt is when the file was made (RFC 3339, informational).
	SignedAt string `json:"signedAt"`
}

// RevocationTerms are the signed fields of a registry revocation besides the
// dataset and version.
type RevocationTerms struct {
	// Reason says why the version is revoked.
	Reason string `json:"reason"`
	// Nonce is the registry's steward nonce the signature is for.
	Nonce uint64 `json:"nonce"`
}

// Delegated is an EAS delegated attestation request signed by a steward; any
// account can submit it with attestByDelegation, and the attestation's
// attester is the steward.
type Delegated struct {
	// EASVersion is the EAS contract's version (its EIP-712 domain version).
	EASVersion string `json:"easVersion"`
	// Schema is the schema UID.
	Schema common.Hash `json:"schema"`
	// RefUID is the steward's attestation of the previous version (lineage).
	RefUID common.Hash `json:"refUID"`
	// ExpirationTime is the attestation's expiry (unix seconds, 0 = never).
	ExpirationTime uint64 `json:"expirationTime"`
	// Revocable is whether the attestation can be revoked (always true here).
	Revocable bool `json:"revocable"`
	// Nonce is the steward's EAS nonce the signature is for.
	Nonce *hexutil.Big `json:"nonce"`
	// Deadline is the last time the request may be submitted (0 = none).
	Deadline uint64 `json:"deadline"`
	// UID is the on-chain attestation's UID, once submitted.
	UID *common.Hash `json:"uid,omitempty"`
}

// NonceInt returns the nonce as a big.Int (zero when unset).
func (d *Delegated) NonceInt() *big.Int {
	if d == nil || d.Nonce == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(d.Nonce.ToInt())
}

// Contract returns the address the signature is bound to (registry or EAS).
func (f *SignatureFile) Contract() common.Address {
	switch {
	case f.Registry != nil:
		return *f.Registry
	case f.EAS != nil:
		return *f.EAS
	}
	return common.Address{}
}

// Marshal encodes the file as indented JSON with a final newline.
func (f *SignatureFile) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseSignatureFile decodes and checks the shape of a signature file (not
// its signature: see Backend.CheckSignature).
func ParseSignatureFile(b []byte) (*SignatureFile, error) {
	var f SignatureFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%w: not a signature file: %v", ErrSignature, err)
	}
	if f.Format != SignatureFormat {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrSignature, f.Format, SignatureFormat)
	}
	switch f.Backend {
	case KindRegistry, KindEAS, KindOffchain:
	default:
		return nil, fmt.Errorf("%w: unknown backend %q", ErrSignature, f.Backend)
	}
	if f.Purpose == "" {
		f.Purpose = PurposeAttest
	}
	if err := f.Statement.Validate(); err != nil {
		return nil, err
	}
	switch {
	case f.Scheme == SchemeEIP1271:
		if f.Backend != KindRegistry || len(f.Signature) == 0 || len(f.Signature) > MaxContractSignature {
			return nil, fmt.Errorf("%w: contract signature of %s by %s: %d bytes for backend %s, want 1 to %d bytes for the registry",
				ErrSignature, f.Statement.Ref(), f.Signer.Hex(), len(f.Signature), f.Backend, MaxContractSignature)
		}
	case f.Scheme != SchemeECDSA:
		return nil, fmt.Errorf("%w: signature of %s by %s: unknown scheme %q (want %q or none)", ErrSignature, f.Statement.Ref(), f.Signer.Hex(), f.Scheme, SchemeEIP1271)
	case len(f.Signature) != 65:
		return nil, fmt.Errorf("%w: signature of %s by %s is %d bytes, want 65", ErrSignature, f.Statement.Ref(), f.Signer.Hex(), len(f.Signature))
	}
	return &f, nil
}

// ReadSignatureFile reads and parses a signature file.
func ReadSignatureFile(path string) (*SignatureFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	f, err := ParseSignatureFile(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// NewSignatureFile returns a signature file with the common fields set, for
// backends to complete.
func NewSignatureFile(kind string, st Statement, signer common.Address, chainID uint64, now time.Time) *SignatureFile {
	if now.IsZero() {
		now = time.Now()
	}
	return &SignatureFile{Format: SignatureFormat, Backend: kind, Purpose: PurposeAttest, Statement: st,
		Signer: signer, ChainID: chainID, SignedAt: datasets.FormatTime(now)}
}
