// Package client is the Go client of groundtruth's data API (package serve).
// It trusts the server for nothing: every version it returns has been
// checked against the chain the caller names.
//
//   - Version fetches a version's manifest and attestation evidence, hashes
//     the manifest itself, and checks the statement (dataset, version, root,
//     rows, manifest hash) with the caller's Verifier: an attestation
//     backend on the caller's RPC endpoint with the caller's steward set.
//   - Fetch then downloads every segment file, checks its SHA-256 and size,
//     recomputes every leaf and the Merkle root from the rows, and only then
//     returns an Arrow record reader over the verified files.
//   - Row and RowByKey recompute a row's leaf from its values and check its
//     inclusion proof against the attested root.
//
// A lying server is named precisely: ErrManifestHash, ErrNotAttested,
// ErrSegment, ErrMerkleRoot, ErrProof or ErrMismatch (each also wraps
// datasets.ErrIntegrity or attest.ErrInvalid). A Receipt records what an
// agent read (versions, rows, proofs, when) so that an audit can later show
// which attested rows a decision used; VerifyReceipt checks one again.
package client
