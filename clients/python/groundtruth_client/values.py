"""The value forms of the server's JSON (rows, JSONL), in one place.

parse_value turns a JSON value of either form (docs/serving.md, "Rows and
value forms": readable, the default, or canonical, values=canonical) into the
stored value that the canonical encoding (SPEC §3) takes:

  bool                    -> bool
  intN, uintN, int256,
  uint256, timestamp      -> int (timestamps in microseconds since the epoch)
  float64                 -> int, the IEEE-754 bits (NaN canonicalised)
  string                  -> bytes (UTF-8)
  bytes, bytes32, address -> bytes (32 / 20 bytes for the fixed ones)
  null                    -> None

Parse JSON with load_json (not json.loads) so that number literals keep their
text: "-0" is -0.0 for a float64 column, and large integers stay exact.
"""

import json
import math
import re
import struct

from .errors import ValueFormError
from .keccak import keccak256

CANONICAL_NAN = 0x7FF8000000000000

_INT_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64, "int256": 256}
_UINT_BITS = {"uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64, "uint256": 256}
_DEC = re.compile(r"^[+-]?[0-9]+$")
_RFC3339 = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))?(Z|z|[+-][0-9]{2}:[0-9]{2})$")


class Number(str):
    """A JSON number literal, kept as its text."""


def load_json(text):
    """json.loads keeping number literals as Number (their exact text)."""
    return json.loads(text, parse_int=Number, parse_float=Number)


def _integer(col, v, lo, hi):
    if isinstance(v, bool) or not isinstance(v, str) or not _DEC.match(v):
        raise ValueFormError(f"column {col}: {v!r} is not a decimal integer")
    n = int(v)
    if not lo <= n <= hi:
        raise ValueFormError(f"column {col}: {n} is out of range [{lo}, {hi}]")
    return n


def _hex(col, v, size=None):
    if not isinstance(v, str) or isinstance(v, Number) or not v.startswith("0x") or len(v) % 2:
        raise ValueFormError(f"column {col}: {v!r} is not 0x-prefixed hex")
    try:
        b = bytes.fromhex(v[2:])
    except ValueError:
        raise ValueFormError(f"column {col}: {v!r} is not 0x-prefixed hex") from None
    if size is not None and len(b) != size:
        raise ValueFormError(f"column {col}: {v!r} has {len(b)} bytes, want {size}")
    return b


def float_bits(x):
    """The IEEE-754 bits of a Python float, NaN canonicalised (SPEC §3.3)."""
    if math.isnan(x):
        return CANONICAL_NAN
    return struct.unpack(">Q", struct.pack(">d", x))[0]


def _float(col, v):
    if isinstance(v, Number):
        return float_bits(float(v))
    if isinstance(v, str):
        if v.startswith("0x") and len(v) == 18:
            bits = int(v[2:], 16)
            exp, frac = (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
            return CANONICAL_NAN if exp == 0x7FF and frac else bits
        special = {"NaN": CANONICAL_NAN, "Infinity": 0x7FF0000000000000, "-Infinity": 0xFFF0000000000000}
        if v in special:
            return special[v]
    if isinstance(v, float):
        return float_bits(v)
    raise ValueFormError(f"column {col}: {v!r} is not a float64 value (decimal, NaN, ±Infinity or 0x bits)")


def _days_from_civil(y, m, d):
    """Days since 1970-01-01 of a proleptic Gregorian date (any year)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _timestamp(col, v):
    if isinstance(v, str) and _DEC.match(v):
        return _integer(col, v, -(1 << 63), (1 << 63) - 1)
    m = _RFC3339.match(v) if isinstance(v, str) and not isinstance(v, Number) else None
    if not m:
        raise ValueFormError(f"column {col}: {v!r} is neither decimal microseconds nor an RFC 3339 time")
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac, off = m.group(7) or "", m.group(8)
    if len(frac) > 6:
        raise ValueFormError(f"column {col}: {v!r} has more than 6 fractional digits")
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 60):
        raise ValueFormError(f"column {col}: {v!r} is not a valid time")
    secs = _days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
    if off not in ("Z", "z"):
        sign = 1 if off[0] == "+" else -1
        secs -= sign * (int(off[1:3]) * 3600 + int(off[4:6]) * 60)
    return secs * 1_000_000 + int(frac.ljust(6, "0"))


def _address(col, v):
    b = _hex(col, v, 20)
    body = v[2:]
    if body != body.lower() and body != body.upper():
        h = keccak256(body.lower().encode()).hex()
        want = "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c.lower() for i, c in enumerate(body))
        if body != want:
            raise ValueFormError(f"column {col}: {v!r} fails its EIP-55 checksum")
    return b


def parse_value(col, typ, v):
    """Return the stored value of JSON value v for column col of logical type typ."""
    if v is None:
        return None
    if typ == "bool":
        if not isinstance(v, bool):
            raise ValueFormError(f"column {col}: {v!r} is not true or false")
        return v
    if typ in _INT_BITS:
        b = _INT_BITS[typ]
        return _integer(col, v, -(1 << (b - 1)), (1 << (b - 1)) - 1)
    if typ in _UINT_BITS:
        return _integer(col, v, 0, (1 << _UINT_BITS[typ]) - 1)
    if typ == "float64":
        return _float(col, v)
    if typ == "timestamp":
        return _timestamp(col, v)
    if typ == "string":
        if not isinstance(v, str) or isinstance(v, Number):
            raise ValueFormError(f"column {col}: {v!r} is not a string")
        return v.encode("utf-8", "surrogatepass")
    if typ == "bytes":
        return _hex(col, v)
    if typ == "bytes32":
        return _hex(col, v, 32)
    if typ == "address":
        return _address(col, v)
    raise ValueFormError(f"column {col}: unknown logical type {typ!r}")
