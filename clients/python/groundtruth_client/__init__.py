"""A verifying client for groundtruth servers, standard library only.

    from groundtruth_client import Client
    c = Client("http://127.0.0.1:8484", rpc_url="http://127.0.0.1:8545", registry="0x…")
    row = c.row("votes", "latest", 1234)   # values + proof checked against the attested root
    rows = c.jsonl("votes", 3)             # a whole version, checked against its root
"""

from .client import Client, Row, Version
from .errors import (APIError, ChainError, GroundtruthError, ManifestHashError, MerkleRootError,
                     MismatchError, NotAttestedError, ProofError, RevokedError, SegmentError, ValueFormError,
                     VerificationError)
from .keccak import keccak256
from .receipt import RECEIPT_FORMAT, Receipt, parse_receipt, verify_receipt
from .registry import Registry, Trust

__all__ = ["Client", "Row", "Version", "APIError", "ChainError", "GroundtruthError", "ManifestHashError",
           "MerkleRootError", "MismatchError", "NotAttestedError", "ProofError", "RevokedError", "SegmentError",
           "ValueFormError", "VerificationError", "keccak256", "RECEIPT_FORMAT", "Receipt", "parse_receipt",
           "verify_receipt", "Registry", "Trust"]
