// Package datasets defines groundtruth's dataset model and its verifiable file
// format: typed schemas over Arrow record batches, the canonical row encoding
// (docs/SPEC.md) that every leaf of the RFC 6962 Merkle tree is computed from,
// content-addressed Arrow IPC segment files, canonical JSON manifests, inclusion
// and consistency proofs, and the offline verification of a version from its files.
//
// This package is pure Go and does no catalog work; the immutable versioned store
// that combines these files with the DuckDB catalog lives in datasets/store.
package datasets
