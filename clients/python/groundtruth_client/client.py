"""The verifying HTTP client: it trusts the server for nothing.

Every answer is checked against the caller's chain: a version's manifest is
hashed and checked canonical, the statement built from it must be the one
the DatasetRegistry attested (read with eth_call; the registry checked the
stewards' signatures when it accepted the attestation) and not revoked;
rows are re-encoded (SPEC §3) and their inclusion proofs checked against the
attested root; a JSONL download must hash to the attested root."""

import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from . import arrow, canonical, merkle
from .errors import (APIError, GroundtruthError, ManifestHashError, MerkleRootError, MismatchError, ProofError,
                     SegmentError)
from .eas import EAS
from .receipt import Receipt
from .registry import Registry, Trust, statement_of
from .values import load_json, parse_value


class Version:
    """A version whose manifest and attestation verified."""

    def __init__(self, manifest, manifest_hash, record, evidence=None, signers=(), attestation=None):
        self.manifest = manifest
        self.dataset = manifest["dataset"]
        self.version = int(manifest["version"])
        self.schema = manifest["schema"]
        self.row_count = int(manifest["rowCount"])
        self.merkle_root = bytes.fromhex(manifest["merkleRoot"][2:])
        self.manifest_hash = manifest_hash
        self.record = record
        self.evidence = evidence  # the server's attestation evidence (its signatures verified)
        self.signers = list(signers)  # the stewards whose signatures counted
        self.attestation = attestation

    def __repr__(self):
        return f"<Version {self.dataset}@{self.version} rows={self.row_count} root=0x{self.merkle_root.hex()}>"


class Row:
    """A row whose inclusion proof verified against its version's attested root."""

    def __init__(self, version, index, values, leaf, path):
        self.version = version
        self.index = index
        self.values = values  # as the server wrote them (JSON values by column name)
        self.leaf = leaf
        self.path = path

    def proof(self):
        """The proof as JSON-ready hex (SPEC §5)."""
        return {"index": self.index, "size": self.version.row_count, "leaf": "0x" + self.leaf.hex(),
                "path": ["0x" + p.hex() for p in self.path], "root": "0x" + self.version.merkle_root.hex()}


def _hash32(where, v):
    if not isinstance(v, str) or not v.startswith("0x") or len(v) != 66:
        raise ProofError(f"{where}: {v!r} is not a 0x-prefixed 32-byte hash")
    try:
        return bytes.fromhex(v[2:])
    except ValueError:
        raise ProofError(f"{where}: {v!r} is not a 0x-prefixed 32-byte hash") from None


class Client:
    """A client of a groundtruth server at base_url that verifies every
    answer against the DatasetRegistry at registry on the node rpc_url.

    Besides the registry's record, the stewards' signatures in the server's
    evidence are recovered and counted: at least threshold distinct stewards
    of trust (a Trust, or (stewards, threshold)) must have signed; without
    trust the registry's own stewards() and threshold() are read on the node
    (the current set: a version signed by a set since rotated away fails).
    check_stewards=False checks the registry's record only.

    backend="eas" or "offchain" checks EAS attestations at the EAS contract
    eas instead of a registry (on-chain: getAttestation of every UID in the
    evidence; off-chain: each package's EIP-712 signature and UID as the EAS
    SDK checks them, and getRevokeOffchain); trust is then required: EAS
    has no steward set of its own."""

    def __init__(self, base_url, rpc_url, registry=None, token=None, timeout=60, trust=None, check_stewards=True,
                 backend="registry", eas=None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        if trust is not None and not isinstance(trust, Trust):
            trust = Trust(trust[0], trust[1])
        self.backend = backend
        self.registry = self.eas = None
        if backend == "registry":
            if not registry:
                raise GroundtruthError("the registry backend needs the registry address (registry=)")
            self.registry = Registry(rpc_url, registry, timeout)
        elif backend in ("eas", "offchain"):
            if not eas:
                raise GroundtruthError(f"the {backend} backend needs the EAS contract address (eas=)")
            if trust is None or not trust.stewards or trust.threshold < 1:
                raise GroundtruthError(f"the {backend} backend needs your steward set and threshold (trust=): "
                                       "EAS has no steward set of its own")
            self.eas = EAS(rpc_url, eas, timeout)
        else:
            raise GroundtruthError(f"backend {backend!r}: want registry, eas or offchain")
        self.trust = trust
        self.check_stewards = check_stewards
        self._versions = {}
        self._canonical_param = True

    # --- HTTP -----------------------------------------------------------

    def _get(self, path, params=None):
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        req = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"} if self.token else {})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                env = json.loads(body)
                raise APIError(env.get("status", e.code), env.get("errorType", ""), env.get("error", "")) from None
            except (ValueError, AttributeError):
                raise APIError(e.code, "", body[:200].decode("utf-8", "replace")) from None
        except (urllib.error.URLError, OSError) as e:
            raise GroundtruthError(f"GET {url}: {e}") from e

    def _get_values(self, path, params=None):
        """GET with values=canonical (the forms the hashes are defined over).
        A server from before value forms refuses the parameter with 400; then
        ask without it (values.py reads both forms)."""
        params = dict(params or {})
        if self._canonical_param:
            try:
                return self._get(path, dict(params, values="canonical"))
            except APIError as e:
                if not (e.status == 400 and '"values"' in e.message):
                    raise
                self._canonical_param = False
        return self._get(path, params)

    @staticmethod
    def _vpath(dataset, version):
        return f"/v1/datasets/{urllib.parse.quote(dataset)}/versions/{version}"

    # --- versions -------------------------------------------------------

    def version(self, dataset, version="latest"):
        """Verify and return a version (a number or "latest", the server's claim)."""
        doc = load_json(self._get(self._vpath(dataset, version)))
        number = int(doc["version"])
        if version != "latest" and number != int(version):
            raise MismatchError(f"asked for {dataset}@{version}, the server answered version {number}")
        key = (dataset, number)
        if key in self._versions:
            return self._versions[key]
        claimed = _hash32(f"{dataset}@{number} manifestHash", doc["manifestHash"])
        raw = self._get(self._vpath(dataset, number) + "/manifest")
        got = hashlib.sha256(raw).digest()
        if got != claimed:
            raise ManifestHashError(f"{dataset}@{number}: the manifest hashes to 0x{got.hex()}, "
                                    f"the server claims 0x{claimed.hex()}")
        manifest = json.loads(raw)
        if canonical.canonical_json(manifest) != raw:
            raise ManifestHashError(f"{dataset}@{number}: the manifest is not canonical JSON (SPEC §7.2)")
        if manifest.get("dataset") != dataset or int(manifest.get("version", 0)) != number:
            raise MismatchError(f"asked for {dataset}@{number}, the manifest is of "
                                f"{manifest.get('dataset')}@{manifest.get('version')}")
        st = statement_of(manifest, got)
        evidence = json.loads(self._get(self._vpath(dataset, number) + "/evidence"))
        if self.eas is not None:
            check = self.eas.check_onchain if self.backend == "eas" else self.eas.check_offchain
            signers = check(st, evidence, self.trust)
            v = Version(manifest, got, {"backend": self.backend}, evidence, signers, doc.get("attestation"))
            self._versions[key] = v
            return v
        record = self.registry.check(st)
        signers = ()
        if self.check_stewards:
            if self.trust is None:
                self.trust = self.registry.trust_from_chain()
            signers = self.registry.check_stewards(st, evidence, self.trust)
        v = Version(manifest, got, record, evidence, signers, doc.get("attestation"))
        self._versions[key] = v
        return v

    # --- rows -----------------------------------------------------------

    def row(self, dataset, version, index):
        """Row index of a version, its proof verified against the attested root."""
        v = self.version(dataset, version)
        doc = load_json(self._get_values(self._vpath(dataset, v.version) + f"/rows/{int(index)}"))
        return self.verify_row_doc(v, doc, int(index))

    def row_by_key(self, dataset, version, **key):
        """The row whose key columns have these values, verified."""
        v = self.version(dataset, version)
        doc = load_json(self._get_values(self._vpath(dataset, v.version) + "/rows", key))
        row = self.verify_row_doc(v, doc, None)
        for k, want in key.items():
            col = next(c for c in v.schema["columns"] if c["name"] == k)
            if parse_value(k, col["type"], row.values[k]) != parse_value(k, col["type"], str(want)):
                raise MismatchError(f"{dataset}@{v.version}: asked for {k}={want}, the row has {row.values[k]!r}")
        return row

    def verify_row_doc(self, v, doc, index):
        """Verify a row document against the verified version v (see verify_row)."""
        return verify_row(v, doc, index)

    def new_receipt(self, note):
        """Start a decision receipt (groundtruth-receipt/1) for this server."""
        return Receipt(note, self.base_url)

    # --- downloads ------------------------------------------------------

    def jsonl(self, dataset, version="latest"):
        """Download a whole version as JSONL and return its rows (dicts of
        JSON values by column name) once their leaves hash to the attested root."""
        v = self.version(dataset, version)
        body = self._get_values(self._vpath(dataset, v.version) + "/data", {"format": "jsonl"})
        return self.verify_jsonl(v, body)

    def verify_jsonl(self, v, body):
        """Verify the JSONL body of a whole version against v's attested root."""
        ref = f"{v.dataset}@{v.version}"
        rows, leaves = [], []
        for n, line in enumerate(body.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = load_json(line)
            except ValueError as e:
                raise MerkleRootError(f"{ref} JSONL line {n}: not JSON: {e}") from None
            obj.pop("_row", None)
            leaves.append(canonical.leaf_hash(canonical.encode_row(v.schema, canonical.parse_row(v.schema, obj))))
            rows.append(obj)
        if len(rows) != v.row_count:
            raise MerkleRootError(f"{ref}: the download has {len(rows)} rows, the version {v.row_count}")
        root = merkle.root_of(leaves)
        if root != v.merkle_root:
            raise MerkleRootError(f"{ref}: the downloaded rows hash to 0x{root.hex()}, "
                                  f"the attested root is 0x{v.merkle_root.hex()}")
        return rows

    def segment_rows(self, dataset, version="latest"):
        """Download every segment file of a version, check each against the
        SHA-256 and size its attested manifest names (SegmentError), decode
        it (Arrow IPC with zstd buffers, in pure Python: arrow.py, zstd.py),
        recompute every row's leaf from the stored values and the Merkle root
        over all of them (MerkleRootError), and only then return the rows:
        lists of stored values in schema order (integers, float64 as its
        IEEE-754 bits, timestamps as microseconds, bytes for strings, bytes,
        addresses and hashes, None for null)."""
        v = self.version(dataset, version)
        ref = f"{v.dataset}@{v.version}"
        rows, leaves = [], []
        for i, seg in enumerate(v.manifest["segments"]):
            body = self._get(self._vpath(dataset, v.version) + "/segments/" + seg["sha256"])
            got = hashlib.sha256(body).hexdigest()
            if "0x" + got != seg["sha256"] or len(body) != int(seg["bytes"]):
                raise SegmentError(f"{ref} segments[{i}]: {len(body)} bytes hashing to 0x{got}, the manifest "
                                   f"names {seg['bytes']} bytes, {seg['sha256']}")
            got_rows = arrow.read_rows(body, v.schema, f"{ref} segments[{i}]")
            if len(got_rows) != int(seg["rows"]):
                raise SegmentError(f"{ref} segments[{i}]: {len(got_rows)} rows, the manifest names {seg['rows']}")
            leaves.extend(canonical.leaf_hash(canonical.encode_row(v.schema, r)) for r in got_rows)
            rows.extend(got_rows)
        root = merkle.root_of(leaves)
        if len(rows) != v.row_count or root != v.merkle_root:
            raise MerkleRootError(f"{ref}: {len(rows)} rows hashing to 0x{root.hex()}, the attested root is "
                                  f"0x{v.merkle_root.hex()} over {v.row_count} rows")
        return rows

    def download_segments(self, dataset, version, directory):
        """Download the version's Arrow IPC segment files into directory,
        each checked against the SHA-256 and size its attested manifest names
        (rows inside are not re-hashed: use jsonl for that). Returns the paths."""
        v = self.version(dataset, version)
        out = []
        for i, seg in enumerate(v.manifest["segments"]):
            body = self._get(self._vpath(dataset, v.version) + "/segments/" + seg["sha256"])
            got = hashlib.sha256(body).hexdigest()
            if "0x" + got != seg["sha256"] or len(body) != int(seg["bytes"]):
                raise SegmentError(f"{v.dataset}@{v.version} segments[{i}]: {len(body)} bytes hashing to "
                                      f"0x{got}, the manifest names {seg['bytes']} bytes, {seg['sha256']}")
            path = os.path.join(directory, got + ".arrow")
            with open(path, "wb") as f:
                f.write(body)
            out.append(path)
        return out


def verify_row(v, doc, index):
    """Verify a row document (the JSON of rows/{i} or rows?key, parsed
    with load_json) against the verified version v; index is the index
    asked for, or None for a key lookup."""
    ref = f"{v.dataset}@{v.version}"
    got = int(doc.get("index", -1))
    if doc.get("dataset") != v.dataset or int(doc.get("version", 0)) != v.version:
        raise MismatchError(f"asked for a row of {ref}, the server answered one of "
                            f"{doc.get('dataset')}@{doc.get('version')}")
    if index is not None and got != index:
        raise MismatchError(f"{ref}: asked for row {index}, the server answered row {got}")
    p = doc["proof"]
    if int(p["index"]) != got or int(p["size"]) != v.row_count:
        raise ProofError(f"{ref} row {got}: the proof is for index {p['index']} of {p['size']} rows, "
                         f"want {got} of {v.row_count}")
    if _hash32(f"{ref} row {got} proof root", p["root"]) != v.merkle_root:
        raise ProofError(f"{ref} row {got}: the proof's root {p['root']} is not the attested root "
                         f"0x{v.merkle_root.hex()}")
    leaf = canonical.leaf_hash(canonical.encode_row(v.schema, canonical.parse_row(v.schema, doc["values"])))
    path = [_hash32(f"{ref} row {got} proof path[{i}]", h) for i, h in enumerate(p["path"])]
    if not merkle.verify_inclusion(got, v.row_count, leaf, path, v.merkle_root):
        raise ProofError(f"{ref} row {got}: the values and proof do not lead to the attested root "
                         f"(leaf 0x{leaf.hex()})")
    return Row(v, got, doc["values"], leaf, path)
