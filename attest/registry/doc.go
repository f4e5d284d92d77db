// Package registry is the attestation backend of groundtruth's own
// DatasetRegistry contract (attest/contracts/DatasetRegistry.sol).
//
// Stewards sign the statement in the registry's EIP-712 domain; once k
// signatures are gathered, one transaction calls attest(statement,
// signatures) and the contract checks that k distinct current stewards
// signed. Revocation needs k steward signatures over the contract's
// Revocation type with its current nonce. Verification reads the steward
// set, the threshold and the version's record (four calls, whatever the
// size of the version) and, for a revoked version, the Revoked event.
package registry
