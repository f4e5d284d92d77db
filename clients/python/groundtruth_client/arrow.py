"""A reader of groundtruth's Arrow IPC segment files in pure Python: enough
of the IPC format (messages, flatbuffer metadata, record batches with
zstd-compressed buffers) to read each row's stored values in schema order
and recompute its leaf. It reads the flat column types groundtruth writes
(bool, integers, float64, timestamp[us], utf8, binary, fixed-size binary);
anything else is a SegmentError."""

import struct

from .errors import SegmentError
from .values import CANONICAL_NAN
from .zstd import ZstdError, decompress

_MAGIC = b"ARROW1"
_SCHEMA, _RECORD_BATCH = 1, 3
# Bytes per value of the fixed-width logical types.
_WIDTH = {"int8": 1, "int16": 2, "int32": 4, "int64": 8, "uint8": 1, "uint16": 2, "uint32": 4, "uint64": 8,
          "float64": 8, "timestamp": 8, "address": 20, "bytes32": 32, "uint256": 32, "int256": 32}
_SIGNED = {"int8", "int16", "int32", "int64", "timestamp"}


class _Table:
    """A flatbuffer table at pos of buf."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        self.vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt_size = struct.unpack_from("<H", buf, self.vt)[0]

    def _field(self, i):
        at = 4 + 2 * i
        if at >= self.vt_size:
            return 0
        return struct.unpack_from("<H", self.buf, self.vt + at)[0]

    def scalar(self, i, fmt, default=0):
        off = self._field(i)
        return struct.unpack_from(fmt, self.buf, self.pos + off)[0] if off else default

    def table(self, i):
        off = self._field(i)
        if not off:
            return None
        p = self.pos + off
        return _Table(self.buf, p + struct.unpack_from("<I", self.buf, p)[0])

    def structs(self, i, fmt):
        """A vector of structs of format fmt."""
        off = self._field(i)
        if not off:
            return []
        p = self.pos + off
        p += struct.unpack_from("<I", self.buf, p)[0]
        n = struct.unpack_from("<I", self.buf, p)[0]
        size = struct.calcsize(fmt)
        return [struct.unpack_from(fmt, self.buf, p + 4 + k * size) for k in range(n)]


def _messages(data, where):
    """(header type, header table, body) of each message of an IPC file."""
    if data[:6] != _MAGIC:
        raise SegmentError(f"{where}: not an Arrow IPC file (no ARROW1 magic)")
    pos = 8
    while pos + 8 <= len(data):
        cont, size = struct.unpack_from("<Ii", data, pos)
        if cont != 0xFFFFFFFF:
            size, pos = cont, pos + 4  # the pre-0.15 format without continuation
        else:
            pos += 8
        if size == 0:
            return
        meta = data[pos:pos + size]
        pos += size
        msg = _Table(meta, struct.unpack_from("<I", meta, 0)[0])
        body_len = msg.scalar(3, "<q")
        yield msg.scalar(1, "<B"), msg.table(2), data[pos:pos + body_len]
        pos += body_len
    raise SegmentError(f"{where}: the Arrow stream ends without its end marker")


def _buffer(body, spec, compressed, where):
    off, length = spec
    raw = body[off:off + length]
    if len(raw) != length:
        raise SegmentError(f"{where}: a buffer runs past the record batch body")
    if not compressed or length == 0:
        return raw
    n = struct.unpack_from("<q", raw, 0)[0]
    if n == -1:
        return raw[8:]
    try:
        out = decompress(raw[8:])
    except ZstdError as e:
        raise SegmentError(f"{where}: a zstd buffer does not decompress: {e}") from None
    if len(out) != n:
        raise SegmentError(f"{where}: a buffer decompresses to {len(out)} bytes, its header says {n}")
    return out


def _valid(bitmap, i):
    return not bitmap or (bitmap[i >> 3] >> (i & 7)) & 1


def _column(typ, length, nulls, bufs, where):
    """The stored values of one column (what values.parse_value returns)."""
    validity = bufs[0] if nulls else b""
    if typ == "bool":
        data = bufs[1]
        vals = [bool((data[i >> 3] >> (i & 7)) & 1) for i in range(length)]
    elif typ in ("string", "bytes"):
        offs = struct.unpack_from(f"<{length + 1}i", bufs[1], 0)
        data = bufs[2]
        vals = [bytes(data[offs[i]:offs[i + 1]]) for i in range(length)]
    elif typ in _WIDTH:
        w, data = _WIDTH[typ], bufs[1]
        if len(data) < w * length:
            raise SegmentError(f"{where}: {len(data)} bytes of {typ} values for {length} rows")
        if typ == "float64":
            vals = []
            for (bits,) in struct.iter_unpack("<Q", data[:8 * length]):
                exp, frac = (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
                vals.append(CANONICAL_NAN if exp == 0x7FF and frac else bits)
        elif typ in ("address", "bytes32"):
            vals = [bytes(data[i * w:(i + 1) * w]) for i in range(length)]
        elif typ in ("uint256", "int256"):  # big-endian two's complement: the word as stored
            vals = [int.from_bytes(data[i * w:(i + 1) * w], "big") for i in range(length)]
        else:
            signed = typ in _SIGNED
            vals = [int.from_bytes(data[i * w:(i + 1) * w], "little", signed=signed) for i in range(length)]
    else:
        raise SegmentError(f"{where}: logical type {typ!r} is not read by this client")
    if nulls:
        vals = [v if _valid(validity, i) else None for i, v in enumerate(vals)]
    return vals


def read_rows(data, schema, where="segment"):
    """The rows of an Arrow IPC file (bytes) written for schema (the
    manifest's), each a list of stored values in schema order."""
    cols = schema["columns"]
    rows = []
    for kind, header, body in _messages(data, where):
        if kind == _SCHEMA:
            continue  # the manifest's schema is the one trusted
        if kind != _RECORD_BATCH:
            raise SegmentError(f"{where}: unexpected Arrow message type {kind} (dictionaries are not used)")
        length = header.scalar(0, "<q")
        nodes = header.structs(1, "<qq")
        specs = header.structs(2, "<qq")
        comp = header.table(3)
        compressed = comp is not None
        if compressed and comp.scalar(0, "<b") != 1:
            raise SegmentError(f"{where}: Arrow body compression codec {comp.scalar(0, '<b')}, want zstd")
        if len(nodes) != len(cols):
            raise SegmentError(f"{where}: {len(nodes)} Arrow fields, the schema has {len(cols)} columns")
        columns, b = [], 0
        for c, (n, nulls) in zip(cols, nodes):
            nb = 3 if c["type"] in ("string", "bytes") else 2
            bufs = [_buffer(body, s, compressed, where) for s in specs[b:b + nb]]
            b += nb
            if n != length:
                raise SegmentError(f"{where}: column {c['name']} has {n} values in a batch of {length} rows")
            columns.append(_column(c["type"], length, nulls, bufs, f"{where} column {c['name']}"))
        rows.extend([list(r) for r in zip(*columns)] if columns else [])
    return rows
