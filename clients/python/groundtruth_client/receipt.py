"""Decision receipts (format groundtruth-receipt/1), the same documents as
the Go client's client.Receipt and `groundtruth receipt verify`: what an
agent read, checkable later without the server.

    rc = client.new_receipt("decision 42")
    rc.add_row(client.row("votes", 3, 1234))
    text = rc.marshal()                      # keep it with the decision
    checks = verify_receipt(parse_receipt(text), client.registry)
    assert all(c["ok"] for c in checks)

verify_receipt checks each read's manifest (canonical JSON) against its
statement, the statement on the caller's registry (attested, not revoked),
the stewards' signatures in the recorded evidence (k of the trust, as the
client does), and every row's values and proof against the attested root.
The Go client's VerifyReceipt accepts the receipts written here, and this
function accepts the Go and TypeScript clients'."""

import datetime
import hashlib
import json

from . import canonical
from .errors import GroundtruthError
from .registry import statement_of
from .values import Number, load_json

RECEIPT_FORMAT = "groundtruth-receipt/1"


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hex(b):
    return "0x" + b.hex()


def _plain(v):
    """JSON-ready values: number literals back to numbers."""
    if isinstance(v, Number):
        return int(v) if v.lstrip("+-").isdigit() else float(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _statement_json(v):
    st = statement_of(v.manifest, v.manifest_hash)
    return {"dataset": st["dataset"], "version": st["version"], "merkleRoot": _hex(st["merkleRoot"]),
            "rowCount": st["rowCount"], "manifestHash": _hex(st["manifestHash"]), "reportHash": _hex(st["reportHash"]),
            "parentRoot": _hex(st["parentRoot"])}


class Receipt:
    """A receipt being written: the verified versions and rows a decision used."""

    def __init__(self, note, server):
        self.doc = {"format": RECEIPT_FORMAT, "note": note, "server": server, "createdAt": _now(), "reads": []}

    def _read(self, v):
        for r in self.doc["reads"]:
            if r["dataset"] == v.dataset and r["version"] == v.version:
                return r
        r = {"dataset": v.dataset, "version": v.version, "statement": _statement_json(v),
             "manifest": canonical.canonical_json(v.manifest).decode(), "evidence": _plain(v.evidence),
             "attestation": _plain(v.attestation), "whole": False, "at": _now(), "rows": []}
        self.doc["reads"].append(r)
        return r

    def add_row(self, row):
        """Record a verified row."""
        p = row.proof()
        self._read(row.version)["rows"].append({"index": row.index, "values": _plain(row.values),
                                                "proof": {"index": p["index"], "size": p["size"], "leaf": p["leaf"],
                                                          "path": p["path"], "root": p["root"]}, "at": _now()})

    def add_version(self, v):
        """Record that a whole verified version was read (jsonl)."""
        self._read(v)["whole"] = True

    def marshal(self):
        """The receipt as indented JSON text."""
        return json.dumps(self.doc, indent=2)


def parse_receipt(text):
    """Parse a receipt document (numbers kept as their text)."""
    d = load_json(text)
    if not isinstance(d, dict) or d.get("format") != RECEIPT_FORMAT:
        raise GroundtruthError(f"receipt: format {d.get('format') if isinstance(d, dict) else None!r}, want {RECEIPT_FORMAT}")
    return d


def verify_receipt(doc, registry, trust=None):
    """Check a receipt without the server against registry (a Registry, e.g.
    client.registry); trust is the steward set whose k signatures the
    recorded evidence must hold (None: the registry's own, read on the node).
    Returns every check as {"check", "ok", "detail"}; the receipt holds iff
    all are ok."""
    from .client import Version, verify_row  # the client imports this module's users

    out = []

    def add(check, ok, detail):
        out.append({"check": check, "ok": ok, "detail": detail})

    for i, rd in enumerate(doc.get("reads") or []):
        name = f"reads[{i}] {rd.get('dataset')}@{rd.get('version')}"
        raw = str(rd.get("manifest", "")).encode()
        mh = hashlib.sha256(raw).digest()
        try:
            m = json.loads(raw)
        except ValueError as e:
            add(name + ".manifest", False, f"not JSON: {e}")
            continue
        if canonical.canonical_json(m) != raw:
            add(name + ".manifest", False, "the manifest is not canonical JSON")
            continue
        st = statement_of(m, mh)
        s = rd.get("statement") or {}
        same = (m.get("dataset") == rd.get("dataset") and int(m.get("version", 0)) == int(rd.get("version", -1)) and
                s.get("dataset") == st["dataset"] and int(s.get("version", -1)) == st["version"] and
                s.get("merkleRoot") == _hex(st["merkleRoot"]) and int(s.get("rowCount", -1)) == st["rowCount"] and
                s.get("manifestHash") == _hex(mh) and s.get("reportHash") == _hex(st["reportHash"]) and
                s.get("parentRoot") == _hex(st["parentRoot"]))
        add(name + ".statement", same, f"the manifest gives root {_hex(st['merkleRoot'])}, {st['rowCount']} rows, manifest {_hex(mh)}")
        record = None
        try:
            record = registry.check(st)
            add(name + ".attestation", True, f"attested on the registry {registry.address} in block {record['attestedBlock']}")
        except GroundtruthError as e:
            add(name + ".attestation", False, str(e))
        try:
            t = trust if trust is not None else registry.trust_from_chain()
            signers = registry.check_stewards(st, rd.get("evidence"), t)
            add(name + ".stewards", True, f"signed by {len(signers)} stewards of {t.source}: {', '.join(signers)}")
        except GroundtruthError as e:
            add(name + ".stewards", False, str(e))
        v = Version(m, mh, record)
        for j, row in enumerate(rd.get("rows") or []):
            try:
                verify_row(v, {"dataset": rd.get("dataset"), "version": rd.get("version"), "index": row.get("index"),
                               "values": row.get("values"), "proof": row.get("proof")}, int(row.get("index")))
                add(f"{name}.rows[{j}]", True, f"row {row.get('index')}: its values and proof lead to the attested root")
            except (GroundtruthError, KeyError, TypeError, ValueError) as e:
                add(f"{name}.rows[{j}]", False, f"row {row.get('index')}: {e}")
    return out
