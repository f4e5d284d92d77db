package store

// attestationDDL creates the catalog tables of the attestation stage
// (signatures, attestations, revocations, steward keys); every statement is
// idempotent. Documents are the JSON forms of package attest (signature
// files, evidence); addresses are 0x-hex in EIP-55 case.
var attestationDDL = []string{
	// One signature file per (version, backend, signer, purpose): a steward's
	// approval of a statement, or of a revocation.
	`CREATE TABLE IF NOT EXISTS gt.signatures (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, backend VARCHAR NOT NULL,
		signer VARCHAR NOT NULL, purpose VARCHAR NOT NULL, doc VARCHAR NOT NULL,
		added_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (dataset, version, backend, signer, purpose))`,
	// The evidence of an anchored version, one row per anchoring (ref is the
	// transaction hash, or the first UID for off-chain attestations).
	`CREATE TABLE IF NOT EXISTS gt.attestations (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, backend VARCHAR NOT NULL,
		ref VARCHAR NOT NULL, doc VARCHAR NOT NULL, attested_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (dataset, version, backend, ref))`,
	// Revocations, with their reason (kept here for backends that have no
	// on-chain reason).
	`CREATE TABLE IF NOT EXISTS gt.revocations (
		dataset VARCHAR NOT NULL, version UBIGINT NOT NULL, backend VARCHAR NOT NULL,
		reason VARCHAR NOT NULL, ref VARCHAR, revoked_by VARCHAR NOT NULL, revoked_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (dataset, version, backend))`,
	// The public information of steward keys known to this installation.
	`CREATE TABLE IF NOT EXISTS gt.steward_keys (
		address VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, keystore VARCHAR NOT NULL,
		added_at TIMESTAMPTZ NOT NULL)`,
}
