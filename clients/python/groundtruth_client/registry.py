"""The attestation statement (SPEC §12.1) and the DatasetRegistry's read
functions over a plain JSON-RPC eth_call (urllib, no web3)."""

import json
import urllib.error
import urllib.request

from .errors import ChainError, NotAttestedError, RevokedError, MismatchError
from .keccak import keccak256
from .secp256k1 import SignatureError, checksum, recover_address

ZERO32 = bytes(32)
STATEMENT_TYPE = (b"Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,"
                  b"bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)")
STATEMENT_TYPEHASH = keccak256(STATEMENT_TYPE)
_STATEMENT_OF = keccak256(b"statementOf(string,uint64)")[:4]
_STEWARDS = keccak256(b"stewards()")[:4]
_THRESHOLD = keccak256(b"threshold()")[:4]
_IS_VALID_SIGNATURE = keccak256(b"isValidSignature(bytes32,bytes)")[:4]
EIP1271_MAGIC = bytes.fromhex("1626ba7e")
SCHEME_EIP1271 = "eip1271"
_DOMAIN_TYPEHASH = keccak256(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
DOMAIN_NAME = "groundtruth DatasetRegistry"


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


def _statement_doc_problem(t, st):
    """Why a signature file's statement (JSON) is not st, or None."""
    try:
        same = (t["dataset"] == st["dataset"] and int(t["version"]) == st["version"] and
                _b32(t["merkleRoot"]) == st["merkleRoot"] and int(t["rowCount"]) == st["rowCount"] and
                _b32(t["manifestHash"]) == st["manifestHash"] and _b32(t.get("reportHash")) == st["reportHash"] and
                _b32(t.get("parentRoot")) == st["parentRoot"])
    except (KeyError, TypeError, ValueError):
        same = False
    return None if same else "statement: another statement than this version's"


class Trust:
    """A steward set and threshold: at least threshold distinct stewards must
    have signed a version's statement."""

    def __init__(self, stewards, threshold, source="yours"):
        self.stewards = {checksum(a) for a in stewards}
        self.threshold = int(threshold)
        self.source = source

    def __repr__(self):
        return f"<Trust {self.threshold}-of-{len(self.stewards)} ({self.source})>"


class Registry:
    """Reads a DatasetRegistry at address through the JSON-RPC node rpc_url."""

    def __init__(self, rpc_url, address, timeout=30):
        self.rpc_url = rpc_url
        self.address = address
        self.timeout = timeout
        self._id = 0

    def eth_call(self, data, to=None):
        """eth_call of data (bytes) to the registry (or to) at the latest block."""
        to = to or self.address
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": "eth_call",
                           "params": [{"to": to, "data": "0x" + data.hex()}, "latest"]}).encode()
        req = urllib.request.Request(self.rpc_url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                out = json.loads(resp.read())
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise ChainError(f"eth_call to {to} on {self.rpc_url}: {e}") from e
        if "error" in out:
            raise ChainError(f"eth_call to {to} on {self.rpc_url}: {out['error']}")
        res = out.get("result") or "0x"
        return bytes.fromhex(res[2:])

    def contract_signature_problem(self, steward, digest, signature):
        """Why a contract steward (EIP-1271, e.g. a Safe) does not accept
        signature (bytes) as its signature of digest, or None: its
        isValidSignature(digest, signature) must return 0x1626ba7e. A
        revert, an account without code or another answer is a refusal."""
        n = len(signature)
        data = (_IS_VALID_SIGNATURE + digest + (64).to_bytes(32, "big") + n.to_bytes(32, "big") +
                signature + bytes(-n % 32))
        try:
            out = self.eth_call(data, to=steward)
        except ChainError as e:
            if "revert" in str(e).lower():
                return f"{steward}'s isValidSignature refused the signature ({e})"
            raise
        if out[:4] != EIP1271_MAGIC:
            return f"{steward}'s isValidSignature returned 0x{out[:4].hex()}, not 0x{EIP1271_MAGIC.hex()}"
        return None

    def chain_id(self):
        """eth_chainId of the node."""
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": "eth_chainId", "params": []}).encode()
        req = urllib.request.Request(self.rpc_url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return int(json.loads(resp.read())["result"], 16)
        except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as e:
            raise ChainError(f"eth_chainId on {self.rpc_url}: {e}") from e

    def trust_from_chain(self):
        """The registry's own steward set and threshold: stewards() and
        threshold() read over eth_call (not the server's word)."""
        out = self.eth_call(_STEWARDS)
        try:
            off = int.from_bytes(out[:32], "big")
            n = int.from_bytes(out[off:off + 32], "big")
            stewards = ["0x" + out[off + 32 + 32 * i + 12:off + 64 + 32 * i].hex() for i in range(n)]
            if len(out) < off + 32 + 32 * n:
                raise ValueError("short answer")
        except ValueError as e:
            raise ChainError(f"stewards() at {self.address}: {e} (is this a DatasetRegistry?)") from None
        k = int.from_bytes(self.eth_call(_THRESHOLD)[:32] or bytes(32), "big")
        if k == 0 or not stewards:
            raise ChainError(f"the registry {self.address} names {len(stewards)} stewards and threshold {k}")
        return Trust(stewards, k, f"steward set of DatasetRegistry {self.address}")

    def digest(self, st, chain_id):
        """The EIP-712 digest stewards sign for statement st (SPEC §12.1)."""
        domain = keccak256(_DOMAIN_TYPEHASH + keccak256(DOMAIN_NAME.encode()) + keccak256(b"1") +
                           chain_id.to_bytes(32, "big") + bytes(12) + bytes.fromhex(self.address[2:]))
        return keccak256(b"\x19\x01" + domain + statement_hash(st))

    def check_stewards(self, st, evidence, trust):
        """Raise NotAttestedError unless at least trust.threshold distinct
        stewards of trust signed statement st for this registry and chain:
        the registry signature files of the server's evidence are recovered
        (EIP-712, secp256k1 in pure Python); a contract steward's
        ("scheme": "eip1271") is checked with its isValidSignature on the
        node. Returns the signers."""
        ref = f"{st['dataset']}@{st['version']}"
        chain_id = self.chain_id()
        digest = self.digest(st, chain_id)
        signers, refused = set(), []
        for i, f in enumerate((evidence or {}).get("signatures") or []):
            why = None
            if f.get("backend") != "registry" or f.get("purpose") != "attest":
                why = f"backend: {f.get('backend')}/{f.get('purpose')}, want registry/attest"
            elif int(f.get("chainId", -1)) != chain_id:
                why = f"chain: {f.get('chainId')}, want {chain_id}"
            elif str(f.get("registry", "")).lower() != self.address.lower():
                why = f"contract: {f.get('registry')}, want {self.address}"
            else:
                why = _statement_doc_problem(f.get("statement") or {}, st)
            if why is None and f.get("scheme") == SCHEME_EIP1271:
                why = self._contract_steward(f, digest, trust, signers)
            elif why is None and f.get("scheme"):
                why = f"scheme: {f.get('scheme')!r}, want none or {SCHEME_EIP1271!r}"
            elif why is None:
                try:
                    who = checksum(recover_address(digest, bytes.fromhex(str(f.get("signature", ""))[2:])))
                except (SignatureError, ValueError) as e:
                    why = f"signature: {e}"
                else:
                    if who != checksum(str(f.get("signer", "0x"))):
                        why = f"signature: recovers {who}, not {f.get('signer')}"
                    elif who not in trust.stewards:
                        why = f"steward: {who} is not one of the stewards ({trust.source})"
                    else:
                        signers.add(who)
            if why is not None:
                refused.append(f"signatures[{i}].{why}")
        if len(signers) < trust.threshold:
            raise NotAttestedError(f"{ref}: {len(signers)} stewards of {trust.source} signed, {trust.threshold} required" +
                                   (f" ({'; '.join(refused)})" if refused else ""))
        return sorted(signers)

    def _contract_steward(self, f, digest, trust, signers):
        """Checks a contract steward's signature file; adds the steward to
        signers or returns why it does not count."""
        try:
            if len(str(f.get("signer", ""))) != 42:
                raise ValueError(f"the signer {f.get('signer')!r} is not an address")
            steward = checksum(str(f.get("signer", "")))
            sig = bytes.fromhex(str(f.get("signature", ""))[2:])
        except (SignatureError, ValueError) as e:
            return f"signature: {e}"
        why = self.contract_signature_problem(steward, digest, sig)
        if why is not None:
            return f"signature: {why}"
        if steward not in trust.stewards:
            return f"steward: {steward} is not one of the stewards ({trust.source})"
        signers.add(steward)
        return None

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
