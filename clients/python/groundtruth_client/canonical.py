"""The canonical row encoding (SPEC §3), leaves and canonical JSON (SPEC §7.2)."""

import hashlib
import json

from .errors import ValueFormError
from .values import parse_value

_WORD = 1 << 256
_DYNAMIC = ("string", "bytes")


def _word(n):
    return (n % _WORD).to_bytes(32, "big")


def encode_row(schema, stored):
    """Return the canonical bytes of one row.

    schema is the manifest's schema ({"columns": [...]}); stored is the list of
    stored values in schema order (parse_value's results, None for null)."""
    cols = schema["columns"]
    if len(stored) != len(cols):
        raise ValueFormError(f"row has {len(stored)} values, the schema {len(cols)} columns")
    mask, head, tails = 0, [], []
    offset = 32 * (len(cols) + 1)
    for i, (c, v) in enumerate(zip(cols, stored)):
        t = c["type"]
        if v is None:
            if not c.get("nullable"):
                raise ValueFormError(f"column {c['name']}: null in a non-nullable column")
            mask |= 1 << i
        if t in _DYNAMIC:
            data = v or b""
            tail = _word(len(data)) + data + bytes(-len(data) % 32)
            head.append(_word(offset))
            tails.append(tail)
            offset += len(tail)
        elif v is None:
            head.append(bytes(32))
        elif t == "bool":
            head.append(_word(1 if v else 0))
        elif t in ("address",):
            head.append(bytes(12) + v)
        elif t in ("bytes32",):
            head.append(v)
        else:  # integers, uint256/int256 as integers, float bits, timestamps
            head.append(_word(v))
    return _word(mask) + b"".join(head) + b"".join(tails)


def parse_row(schema, values):
    """Parse a row's JSON values (a dict by column name, or a list in schema
    order) into stored values in schema order."""
    cols = schema["columns"]
    if isinstance(values, dict):
        missing = [c["name"] for c in cols if c["name"] not in values]
        if missing:
            raise ValueFormError(f"row lacks columns {', '.join(missing)}")
        values = [values[c["name"]] for c in cols]
    return [parse_value(c["name"], c["type"], v) for c, v in zip(cols, values)]


def leaf_hash(row_bytes):
    """SHA-256(0x00 ‖ row bytes), the row's Merkle leaf (SPEC §4)."""
    return hashlib.sha256(b"\x00" + row_bytes).digest()


def canonical_json(obj):
    """The canonical JSON bytes of obj (SPEC §7.2): sorted keys, no spaces,
    UTF-8, U+2028/U+2029 escaped as Go's encoding/json does."""
    s = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode("utf-8")
