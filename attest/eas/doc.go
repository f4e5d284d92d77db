// Package eas is the attestation backend of the Ethereum Attestation Service
// on-chain, and the EAS plumbing shared with attest/offchain.
//
// groundtruth attests under one schema (attest.EASSchema), which the backend
// registers in EAS's SchemaRegistry the first time it submits. Each steward
// makes one attestation of a version: the steward signs an EAS delegated
// attestation request (EIP-712 in EAS's domain, name "EAS" and the
// contract's version, with the steward's EAS nonce) on their own machine, and
// any account submits the gathered requests in one multiAttestByDelegation
// transaction, so the attester of each attestation is the steward. An
// attestation's refUID is the same steward's attestation of the previous
// version (lineage). A version is attested when k distinct authorised
// stewards have valid, unrevoked, unexpired attestations of its data.
// A delegated request is bound to the steward's EAS nonce at signing time:
// when another of the steward's delegated requests is submitted first, the
// steward signs again. Revocation is by delegation too: each revoking steward signs an EAS
// delegated revocation of their own attestation.
package eas
