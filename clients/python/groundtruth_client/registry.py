"""The attestation statement (SPEC §12.1) and the DatasetRegistry's read
functions over a plain JSON-RPC eth_call (urllib, no web3)."""

import json
import urllib.error
import urllib.request

from .errors import ChainError, NotAttestedError, RevokedError, MismatchError
from .keccak import keccak256

ZERO32 = bytes(32)
STATEMENT_TYPE = (b"Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,"
                  b"bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)")
STATEMENT_TYPEHASH = keccak256(STATEMENT_TYPE)
_STATEMENT_OF = keccak256(b"statementOf(string,uint64)")[:4]


def _b32(hexstr):
    return bytes.fromhex(hexstr[2:]) if hexstr else ZERO32


def statement_of(manifest, manifest_hash):
    """The statement stewards sign for a manifest (a parsed dict) whose
    canonical bytes hash to manifest_hash (32 bytes)."""
    parent = manifest.get("parent")
    return {
        "dataset": manifest["dataset"],
        "version": int(manifest["version"]),
        "merkleRoot": _b32(manifest["merkleRoot"]),
        "rowCount": int(manifest["rowCount"]),
        "manifestHash": manifest_hash,
        "reportHash": _b32(manifest.get("reportHash")),
        "parentRoot": _b32(parent["merkleRoot"]) if parent else ZERO32,
    }


def statement_hash(st):
    """The EIP-712 struct hash of a statement, as the registry stores it."""
    w = lambda n: n.to_bytes(32, "big")  # noqa: E731
    return keccak256(STATEMENT_TYPEHASH + keccak256(st["dataset"].encode()) + w(st["version"]) +
                     st["merkleRoot"] + w(st["rowCount"]) + st["manifestHash"] + st["reportHash"] +
                     st["parentRoot"])


class Registry:
    """Reads a DatasetRegistry at address through the JSON-RPC node rpc_url."""

    def __init__(self, rpc_url, address, timeout=30):
        self.rpc_url = rpc_url
        self.address = address
        self.timeout = timeout
        self._id = 0

    def eth_call(self, data):
        """eth_call of data (bytes) to the registry at the latest block."""
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": "eth_call",
                           "params": [{"to": self.address, "data": "0x" + data.hex()}, "latest"]}).encode()
        req = urllib.request.Request(self.rpc_url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                out = json.loads(resp.read())
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise ChainError(f"eth_call to {self.address} on {self.rpc_url}: {e}") from e
        if "error" in out:
            raise ChainError(f"eth_call to {self.address} on {self.rpc_url}: {out['error']}")
        res = out.get("result") or "0x"
        return bytes.fromhex(res[2:])

    def record(self, dataset, version):
        """statementOf(dataset, version): the stored record as a dict."""
        name = dataset.encode()
        args = ((64).to_bytes(32, "big") + version.to_bytes(32, "big") + len(name).to_bytes(32, "big") +
                name + bytes(-len(name) % 32))
        out = self.eth_call(_STATEMENT_OF + args)
        if len(out) != 6 * 32:
            raise ChainError(f"statementOf({dataset}, {version}) at {self.address}: {len(out)} bytes returned, "
                             "want 192 (is this a DatasetRegistry?)")
        word = lambda i: out[32 * i:32 * i + 32]  # noqa: E731
        num = lambda i: int.from_bytes(word(i), "big")  # noqa: E731
        return {"merkleRoot": word(0), "statementHash": word(1), "rowCount": num(2),
                "attestedBlock": num(3), "attestedAt": num(4), "revoked": num(5) != 0}

    def check(self, st):
        """Raise unless the registry holds exactly statement st, attested and
        not revoked. Returns the record."""
        ref = f"{st['dataset']}@{st['version']}"
        rec = self.record(st["dataset"], st["version"])
        if rec["attestedBlock"] == 0:
            raise NotAttestedError(f"{ref} is not attested on the registry {self.address}")
        if rec["revoked"]:
            raise RevokedError(f"{ref} was revoked on the registry {self.address}")
        if rec["statementHash"] != statement_hash(st):
            raise NotAttestedError(f"{ref}: the registry {self.address} attested another statement "
                                   f"(struct hash 0x{rec['statementHash'].hex()}, the manifest's is "
                                   f"0x{statement_hash(st).hex()})")
        if rec["merkleRoot"] != st["merkleRoot"] or rec["rowCount"] != st["rowCount"]:
            raise MismatchError(f"{ref}: the registry's root or row count differs from the manifest's")
        return rec
