"""EAS attestations (on-chain `attest/eas` and off-chain `attest/offchain`),
checked on the caller's node against the caller's steward set (EAS has no
steward set of its own), as the Go client's NewEASVerifier and the
TypeScript client do. Standard library only: plain eth_call, ABI decoding by
hand, EIP-712 and secp256k1 from this package."""

import time

from .errors import ChainError, NotAttestedError, RevokedError
from .keccak import keccak256
from .registry import Registry
from .secp256k1 import SignatureError, checksum, recover_address

EAS_SCHEMA = ("string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,"
              "bytes32 reportHash")
# The schema's UID as EAS's SchemaRegistry computes it: no resolver, revocable.
EAS_SCHEMA_UID = keccak256(EAS_SCHEMA.encode() + bytes(20) + b"\x01")
_GET_ATTESTATION = keccak256(b"getAttestation(bytes32)")[:4]
_GET_REVOKE_OFFCHAIN = keccak256(b"getRevokeOffchain(address,bytes32)")[:4]
_DOMAIN_TYPEHASH = keccak256(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
_ATTEST_TYPE = [("version", "uint16"), ("schema", "bytes32"), ("recipient", "address"), ("time", "uint64"),
                ("expirationTime", "uint64"), ("revocable", "bool"), ("refUID", "bytes32"), ("data", "bytes"),
                ("salt", "bytes32")]
_ATTEST_TYPEHASH = keccak256(("Attest(" + ",".join(f"{t} {n}" for n, t in _ATTEST_TYPE) + ")").encode())
ZERO32 = bytes(32)


def _w(n):
    return int(n).to_bytes(32, "big")


def encode_schema_data(st):
    """abi.encode of the statement's six schema fields (what EAS stores as data)."""
    name = st["dataset"].encode()
    return (_w(192) + _w(st["version"]) + st["merkleRoot"] + _w(st["rowCount"]) + st["manifestHash"] +
            st["reportHash"] + _w(len(name)) + name + bytes(-len(name) % 32))


def _decode_ref(data):
    """dataset and version of schema data, or None."""
    try:
        off = int.from_bytes(data[:32], "big")
        n = int.from_bytes(data[off:off + 32], "big")
        return data[off + 32:off + 32 + n].decode(), int.from_bytes(data[32:64], "big")
    except (ValueError, UnicodeDecodeError):
        return None


def _hexbytes(s, size=None):
    b = bytes.fromhex(str(s)[2:]) if str(s).startswith("0x") else None
    if b is None or (size is not None and len(b) != size):
        raise ValueError(f"{s!r} is not 0x-prefixed hex" + (f" of {size} bytes" if size else ""))
    return b


def offchain_uid(m):
    """The UID of an off-chain attestation message as the EAS SDK's
    getOffchainUID computes it for version 2 (the schema enters as the UTF-8
    bytes of its 0x text)."""
    return keccak256(int(m["version"]).to_bytes(2, "big") + str(m["schema"]).encode() +
                     _hexbytes(m["recipient"], 20) + bytes(20) + int(m["time"]).to_bytes(8, "big") +
                     int(m["expirationTime"]).to_bytes(8, "big") + (b"\x01" if m["revocable"] else b"\x00") +
                     _hexbytes(m["refUID"], 32) + _hexbytes(m["data"]) + _hexbytes(m["salt"], 32) + bytes(4))


def offchain_digest(a):
    """The EIP-712 digest of an off-chain attestation's message in its domain."""
    d, m = a["domain"], a["message"]
    domain = keccak256(_DOMAIN_TYPEHASH + keccak256(d["name"].encode()) + keccak256(str(d["version"]).encode()) +
                       _w(d["chainId"]) + bytes(12) + _hexbytes(d["verifyingContract"], 20))
    struct = keccak256(_ATTEST_TYPEHASH + _w(m["version"]) + _hexbytes(m["schema"], 32) + bytes(12) +
                       _hexbytes(m["recipient"], 20) + _w(m["time"]) + _w(m["expirationTime"]) +
                       _w(1 if m["revocable"] else 0) + _hexbytes(m["refUID"], 32) + keccak256(_hexbytes(m["data"])) +
                       _hexbytes(m["salt"], 32))
    return keccak256(b"\x19\x01" + domain + struct)


class EAS(Registry):
    """Reads the EAS contract at address through the node rpc_url."""

    def attestation(self, uid):
        """getAttestation(uid) as a dict."""
        out = self.eth_call(_GET_ATTESTATION + uid)
        try:
            t = int.from_bytes(out[:32], "big")
            w = lambda i: out[t + 32 * i:t + 32 * i + 32]  # noqa: E731
            num = lambda i: int.from_bytes(w(i), "big")  # noqa: E731
            doff = t + num(9)
            n = int.from_bytes(out[doff:doff + 32], "big")
            data = out[doff + 32:doff + 32 + n]
            if len(data) != n:
                raise ValueError("short answer")
        except ValueError as e:
            raise ChainError(f"getAttestation at {self.address}: {e} (is this EAS?)") from None
        return {"uid": w(0), "schema": w(1), "time": num(2), "expirationTime": num(3), "revocationTime": num(4),
                "refUID": w(5), "recipient": "0x" + w(6)[12:].hex(), "attester": "0x" + w(7)[12:].hex(),
                "revocable": num(8) != 0, "data": data}

    def revoke_offchain_time(self, revoker, uid):
        """getRevokeOffchain(revoker, uid): 0 unless revoked."""
        out = self.eth_call(_GET_REVOKE_OFFCHAIN + bytes(12) + _hexbytes(revoker, 20) + uid)
        return int.from_bytes(out[:32] or bytes(32), "big")

    def check_onchain(self, st, evidence, trust):
        """Raise unless trust.threshold distinct stewards of trust attested st
        on EAS: every attestation UID of the evidence is read and must exist,
        be by the steward the file names, carry the groundtruth schema and the
        statement as data, not be expired, and its refUID (if any) be the same
        steward's attestation of an earlier version. A revoked attestation is
        RevokedError. Returns the signers."""
        ref = f"{st['dataset']}@{st['version']}"
        signers, checks, now = set(), [], int(time.time())
        for i, f in enumerate((evidence or {}).get("signatures") or []):
            uid = (f.get("delegated") or {}).get("uid")
            if f.get("purpose") != "attest" or not uid:
                continue
            a = self.attestation(_hexbytes(uid, 32))
            who = checksum(a["attester"])
            if a["uid"] == ZERO32:
                why = "not found"
            elif who != checksum(str(f.get("signer", "0x"))):
                why = f"made by {who}, not by {f.get('signer')}"
            elif a["schema"] != EAS_SCHEMA_UID:
                why = f"schema 0x{a['schema'].hex()} is not the groundtruth schema"
            elif a["revocationTime"]:
                raise RevokedError(f"{ref}: the EAS attestation {uid} by {who} was revoked at {a['revocationTime']}")
            elif a["expirationTime"] and now >= a["expirationTime"]:
                why = f"expired at {a['expirationTime']}"
            elif a["data"] != encode_schema_data(st):
                why = "its data is not this version's statement"
            else:
                why = self._lineage_problem(a, st)
            if why is None and who not in trust.stewards:
                why = f"{who} is not one of the stewards ({trust.source})"
            checks.append(f"eas[{i}] {uid}: {why or 'attested by ' + who}")
            if why is None:
                signers.add(who)
        return self._threshold("eas", st, signers, checks, trust)

    def _lineage_problem(self, a, st):
        if a["refUID"] == ZERO32:
            return None
        p = self.attestation(a["refUID"])
        prev = _decode_ref(p["data"])
        if p["schema"] != EAS_SCHEMA_UID or prev is None:
            return f"refUID 0x{a['refUID'].hex()} is not a groundtruth attestation"
        if checksum(p["attester"]) != checksum(a["attester"]):
            return f"refUID 0x{a['refUID'].hex()} was made by another steward"
        if prev[0] != st["dataset"] or prev[1] >= st["version"]:
            return f"refUID 0x{a['refUID'].hex()} attests {prev[0]}@{prev[1]}, not an earlier version of {st['dataset']}"
        return None

    def check_offchain(self, st, evidence, trust):
        """Raise unless trust.threshold distinct stewards of trust signed an
        EAS off-chain attestation of st for this chain and EAS: each package
        is checked as the EAS SDK's verifyOffchainAttestationSignature does
        (version 2 Attest types, UID, EIP-712 signature by the package's
        signer), schema and data must be the statement, and
        getRevokeOffchain(signer, uid) must be 0 (else RevokedError)."""
        ref = f"{st['dataset']}@{st['version']}"
        chain_id = self.chain_id()
        signers, checks, now = set(), [], int(time.time())
        for i, f in enumerate((evidence or {}).get("signatures") or []):
            if f.get("purpose") != "attest" or f.get("backend") != "offchain" or not f.get("offchain"):
                continue
            why = self._offchain_problem(f["offchain"], st, chain_id)
            if why:
                checks.append(f"offchain[{i}]: {why}")
                continue
            a, who = f["offchain"]["sig"], checksum(f["offchain"]["signer"])
            exp = int(a["message"]["expirationTime"])
            if exp and now >= exp:
                checks.append(f"offchain[{i}] {a['uid']}: expired")
                continue
            t = self.revoke_offchain_time(who, _hexbytes(a["uid"], 32))
            if t:
                raise RevokedError(f"{ref}: the off-chain attestation {a['uid']} by {who} was revoked on EAS {self.address} at {t}")
            if who not in trust.stewards:
                checks.append(f"offchain[{i}] {a['uid']}: {who} is not one of the stewards ({trust.source})")
                continue
            checks.append(f"offchain[{i}] {a['uid']}: signed by {who}")
            signers.add(who)
        return self._threshold("offchain", st, signers, checks, trust)

    def _offchain_problem(self, pkg, st, chain_id):
        try:
            a, m = pkg["sig"], pkg["sig"]["message"]
            if a.get("version") != 2 or m.get("version") != 2:
                return f"off-chain attestation version {a.get('version')}/{m.get('version')}, want 2"
            if a.get("primaryType") != "Attest" or a.get("types") != {"Attest": [{"name": n, "type": t} for n, t in _ATTEST_TYPE]}:
                return "its types are not EAS's version 2 Attest"
            if a["domain"].get("name") != "EAS Attestation":
                return f"domain name {a['domain'].get('name')!r}, want 'EAS Attestation'"
            if int(a["domain"]["chainId"]) != chain_id:
                return f"for chain {a['domain']['chainId']}, your node is chain {chain_id}"
            if checksum(a["domain"]["verifyingContract"]) != checksum(self.address):
                return f"for EAS {a['domain']['verifyingContract']}, not {self.address}"
            uid = offchain_uid(m)
            if "0x" + uid.hex() != str(a.get("uid", "")).lower():
                return f"its uid {a.get('uid')} is not the UID of its message (0x{uid.hex()})"
            sig = _hexbytes(a["signature"]["r"], 32) + _hexbytes(a["signature"]["s"], 32) + bytes([int(a["signature"]["v"])])
            who = checksum(recover_address(offchain_digest(a), sig))
            if who != checksum(pkg["signer"]):
                return f"the signature recovers to {who}, not to the signer {pkg['signer']}"
            if _hexbytes(m["schema"], 32) != EAS_SCHEMA_UID:
                return f"schema {m['schema']} is not the groundtruth schema"
            if _hexbytes(m["data"]) != encode_schema_data(st):
                return "its data is not this version's statement"
        except (KeyError, TypeError, ValueError, SignatureError) as e:
            return f"malformed package: {e}"
        return None

    def _threshold(self, backend, st, signers, checks, trust):
        if len(signers) < trust.threshold:
            detail = "; ".join(checks) if checks else "the evidence names no EAS attestation"
            raise NotAttestedError(f"{st['dataset']}@{st['version']}: {len(signers)} stewards of {trust.source} attested it "
                                   f"on EAS {self.address} ({backend}), {trust.threshold} required ({detail})")
        return sorted(signers)
