/** Base class of every error of this package. */
export class GroundtruthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server answered with its error envelope. */
export class APIError extends GroundtruthError {
  constructor(readonly status: number, readonly errorType: string, readonly detail: string) {
    super(`server answered ${status} ${errorType}: ${detail}`);
  }
}

/** A value is not of any accepted form for its column's type. */
export class ValueFormError extends GroundtruthError {}
/** The server's data does not verify (base of the classes below). */
export class VerificationError extends GroundtruthError {}
/** The manifest's bytes do not hash to the claimed hash or are not canonical. */
export class ManifestHashError extends VerificationError {}
/** A segment file does not hash to the SHA-256 (or size) its manifest names. */
export class SegmentError extends VerificationError {}
/** The rows do not hash to the attested Merkle root. */
export class MerkleRootError extends VerificationError {}
/** A row's leaf or inclusion proof does not lead to the attested root. */
export class ProofError extends VerificationError {}
/** The server's answer names another dataset, version or index than asked. */
export class MismatchError extends VerificationError {}
/** The registry holds no attestation of this exact statement. */
export class NotAttestedError extends VerificationError {}
/** The registry records the version as revoked. */
export class RevokedError extends NotAttestedError {}
/** The caller's node could not be read. */
export class ChainError extends GroundtruthError {}
