package attest

import (
	"errors"
	"fmt"
)

// Sentinel errors of the attestation stage; errors returned by this package
// and its sub-packages wrap one of them with %w.
var (
	// ErrKey means a steward key could not be used: a missing or corrupted
	// keystore, a wrong password, or no password given.
	ErrKey = errors.New("steward key error")
	// ErrSignature means a signature file is malformed or does not match
	// its statement.
	ErrSignature = errors.New("invalid signature")
	// ErrPending means fewer than k authorised stewards signed: the version
	// waits for more signatures.
	ErrPending = errors.New("not enough steward signatures")
	// ErrInvalid means an attestation check failed: a signature by a
	// non-steward, a statement that does not match the data, another chain
	// or contract, a revoked or expired attestation.
	ErrInvalid = errors.New("attestation check failed")
	// ErrChain means the chain could not be read or a transaction failed.
	ErrChain = errors.New("chain error")
	// ErrUnverifiable means a contract steward's (EIP-1271) signature was
	// not checked: only the steward contract can say whether it is valid, and
	// there is no RPC endpoint to ask it. It wraps ErrSignature.
	ErrUnverifiable = fmt.Errorf("%w: a contract steward's signature is unverifiable offline (EIP-1271 asks the contract: give an RPC endpoint)", ErrSignature)
	// ErrConfig means the attestation settings are incomplete or wrong.
	ErrConfig = errors.New("attestation configuration error")
)
