// Package offchain is the attestation backend of EAS off-chain attestations,
// format version 2, as the EAS SDK (@ethereum-attestation-service/eas-sdk,
// offchain/offchain.ts) signs and verifies them.
//
// Each steward signs, on their own machine, the EIP-712 typed data
//
//	Attest(uint16 version,bytes32 schema,address recipient,uint64 time,uint64 expirationTime,bool revocable,bytes32 refUID,bytes data,bytes32 salt)
//
// in the domain name "EAS Attestation", version = the EAS contract's version
// string, chain id and EAS address, with version = 2, the groundtruth schema
// (attest.EASSchema), the statement's schema data, a random salt, and refUID
// = the same steward's off-chain attestation of the previous version. The
// attestation's UID is computed as the SDK does (see UID). Nothing is sent
// to the chain to attest: Submit stores the attestations beside the
// manifest, under attestations/<h[0:2]>/<h>/<uid>.json in the data directory
// for manifest hash <h>. A steward revokes with EAS's revokeOffchain(uid)
// from their own account; verification reads getRevokeOffchain(attester,
// uid) for each attestation.
package offchain
