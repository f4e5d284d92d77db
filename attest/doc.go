// Package attest turns a sealed dataset version into an attested one and lets
// anyone check that it is.
//
// The thing stewards sign is a Statement: the EIP-712 typed data
//
//	Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)
//
// in the domain of the project's DatasetRegistry contract (name "groundtruth
// DatasetRegistry", version "1", chain id, registry address), specified in
// docs/SPEC.md §12 with a test vector. A version is attested when k of the n
// authorised stewards signed it.
//
// The package holds what every backend shares: the statement and its digest
// (statement.go), steward keys in encrypted go-ethereum keystores and the
// Signer that uses them (keys.go, signer.go), the signature file a steward
// writes on their own machine (sigfile.go), the EAS schema data encoding
// (schema.go), the Backend interface (backend.go) with its implementations
// in sub-packages (attest/registry, attest/eas, attest/offchain), the
// Collector that gathers signatures and submits once the threshold is met
// (collector.go), the verification of evidence against an authorised steward
// set (verify.go) and the offline bundle (bundle.go).
//
// Errors wrap the sentinels of errors.go so the CLI can map them to exit
// codes. Key material and passwords never appear in errors or logs.
package attest
