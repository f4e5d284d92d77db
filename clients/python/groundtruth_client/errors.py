"""Errors of the verifying client, one class per failure.

Every check that fails raises a subclass of VerificationError naming what
failed and where; answers of the server itself (an error envelope) raise
APIError."""


class GroundtruthError(Exception):
    """Base class of every error this package raises."""


class APIError(GroundtruthError):
    """The server answered with an error envelope (status, errorType, error)."""

    def __init__(self, status, error_type, message):
        super().__init__(f"server answered {status} {error_type}: {message}")
        self.status = status
        self.error_type = error_type
        self.message = message


class ValueFormError(GroundtruthError):
    """A value is not of any accepted form for its column's type."""


class VerificationError(GroundtruthError):
    """The server's data does not verify (base of the classes below)."""


class ManifestHashError(VerificationError):
    """The manifest's bytes do not hash to the claimed hash or are not canonical."""


class ProofError(VerificationError):
    """A row's leaf or inclusion proof does not lead to the attested root."""


class MismatchError(VerificationError):
    """The server's answer names another dataset, version, index or root than asked or attested."""


class MerkleRootError(VerificationError):
    """The rows of a download do not hash to the attested Merkle root."""


class SegmentError(VerificationError):
    """A segment file's bytes do not hash to the SHA-256 its manifest names."""


class NotAttestedError(VerificationError):
    """The registry holds no attestation of this exact statement."""


class RevokedError(NotAttestedError):
    """The registry records the version as revoked."""


class ChainError(GroundtruthError):
    """The caller's Ethereum node could not be read (eth_call failed)."""
