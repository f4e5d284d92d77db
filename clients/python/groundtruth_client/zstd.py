"""A Zstandard decompressor (RFC 8878) in pure Python, enough to read the
zstd-compressed buffers of groundtruth's Arrow IPC segment files without
native packages (Python's standard library has no zstd before 3.14).

It decodes every block type (raw, RLE, compressed: Huffman literals in one
or four streams, treeless literals, FSE sequences in predefined, RLE,
compressed and repeat modes, repeat offsets). Dictionaries are refused; the
optional content checksum is not verified (the caller checks the segment's
SHA-256 and the rows' Merkle root). Slow, but linear: meant for verifying,
not for bulk analytics."""


class ZstdError(ValueError):
    """The input is not a zstd frame this decoder reads."""


_MAGIC = 0xFD2FB528

# Literal length and match length codes: (baseline, extra bits).
_LL = [(i, 0) for i in range(16)] + [
    (16, 1), (18, 1), (20, 1), (22, 1), (24, 2), (28, 2), (32, 3), (40, 3), (48, 4), (64, 6), (128, 7),
    (256, 8), (512, 9), (1024, 10), (2048, 11), (4096, 12), (8192, 13), (16384, 14), (32768, 15), (65536, 16)]
_ML = [(i + 3, 0) for i in range(32)] + [
    (35, 1), (37, 1), (39, 1), (41, 1), (43, 2), (47, 2), (51, 3), (59, 3), (67, 4), (83, 4), (99, 5),
    (131, 7), (259, 8), (515, 9), (1027, 10), (2051, 11), (4099, 12), (8195, 13), (16387, 14), (32771, 15),
    (65539, 16)]
_LL_DEFAULT = [4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
               -1, -1, -1, -1]
_ML_DEFAULT = [1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
               1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1]
_OF_DEFAULT = [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1]


class _Forward:
    """Little-endian bits from the start of data (FSE table descriptions)."""

    def __init__(self, data, pos=0):
        self.data, self.bit = data, pos * 8

    def read(self, n):
        byte, shift = self.bit >> 3, self.bit & 7
        chunk = int.from_bytes(self.data[byte:byte + 8], "little")
        if (byte + ((shift + n + 7) >> 3)) > len(self.data):
            raise ZstdError("an FSE table description runs past its block")
        self.bit += n
        return (chunk >> shift) & ((1 << n) - 1)

    def rewind(self, n):
        self.bit -= n

    def byte_pos(self):
        return (self.bit + 7) >> 3


class _Backward:
    """Bits read from the end of data towards its start, after the final
    byte's padding marker (FSE and Huffman streams). Reading past the start
    yields zeros and makes overflowed() true."""

    def __init__(self, data):
        if not data or data[-1] == 0:
            raise ZstdError("a bitstream lacks its end marker")
        self.data = data
        self.pos = len(data) * 8 - (8 - (data[-1].bit_length() - 1))

    def read(self, n):
        if n == 0:
            return 0
        self.pos -= n
        p = self.pos
        if p >= 0:
            byte = p >> 3
            chunk = int.from_bytes(self.data[byte:byte + 8], "little")
            return (chunk >> (p & 7)) & ((1 << n) - 1)
        if p + n <= 0:
            return 0
        low = int.from_bytes(self.data[:8], "little") & ((1 << (p + n)) - 1)
        return low << -p

    def overflowed(self):
        return self.pos < 0


class _FSE:
    """An FSE decoding table."""

    def __init__(self, norm, log):
        size = 1 << log
        self.log = log
        sym = [0] * size
        high = size
        nxt = [0] * len(norm)
        for s, f in enumerate(norm):
            if f == -1:
                high -= 1
                sym[high] = s
                nxt[s] = 1
        step, mask, pos = (size >> 1) + (size >> 3) + 3, size - 1, 0
        for s, f in enumerate(norm):
            if f <= 0:
                continue
            nxt[s] = f
            for _ in range(f):
                sym[pos] = s
                pos = (pos + step) & mask
                while pos >= high:
                    pos = (pos + step) & mask
        if pos != 0:
            raise ZstdError("a corrupt FSE distribution")
        self.sym, self.bits, self.base = sym, [0] * size, [0] * size
        for i in range(size):
            d = nxt[sym[i]]
            nxt[sym[i]] += 1
            nb = log - (d.bit_length() - 1)
            self.bits[i] = nb
            self.base[i] = (d << nb) - size

    @classmethod
    def rle(cls, symbol):
        t = cls.__new__(cls)
        t.log, t.sym, t.bits, t.base = 0, [symbol], [0], [0]
        return t

    @classmethod
    def read(cls, src, pos, max_log, max_symbols):
        """A table description at src[pos:]; returns the table and the position after it."""
        r = _Forward(src, pos)
        log = r.read(4) + 5
        if log > max_log:
            raise ZstdError(f"an FSE accuracy log of {log}, the limit is {max_log}")
        remaining, norm = 1 << log, []
        while remaining > 0 and len(norm) < max_symbols:
            bits = (remaining + 1).bit_length()
            val = r.read(bits)
            lower = (1 << (bits - 1)) - 1
            threshold = (1 << bits) - 1 - (remaining + 1)
            if (val & lower) < threshold:
                r.rewind(1)
                val &= lower
            elif val > lower:
                val -= threshold
            p = val - 1
            remaining -= -p if p < 0 else p
            norm.append(p)
            if p == 0:
                while True:
                    rep = r.read(2)
                    norm.extend([0] * rep)
                    if rep != 3:
                        break
        if remaining != 0 or len(norm) > max_symbols:
            raise ZstdError("a corrupt FSE table description")
        return cls(norm, log), r.byte_pos()


class _Huffman:
    """A Huffman decoding table built from symbol weights."""

    def __init__(self, weights):
        total = sum(1 << (w - 1) for w in weights if w)
        if total == 0:
            raise ZstdError("a Huffman table without weights")
        max_bits = total.bit_length()
        left = (1 << max_bits) - total
        if left & (left - 1):
            raise ZstdError("a corrupt Huffman table")
        weights = weights + [left.bit_length()]
        self.max_bits = max_bits
        size = 1 << max_bits
        nbits = [max_bits + 1 - w if w else 0 for w in weights]
        count = [0] * (max_bits + 2)
        for b in nbits:
            if b:
                count[b] += 1
        idx = [0] * (max_bits + 2)
        self.sym, self.bits = [0] * size, [0] * size
        for b in range(max_bits, 0, -1):
            idx[b - 1] = idx[b] + count[b] * (1 << (max_bits - b))
            for k in range(idx[b], idx[b - 1]):
                self.bits[k] = b
        for s, b in enumerate(nbits):
            if b:
                n = 1 << (max_bits - b)
                for k in range(idx[b], idx[b] + n):
                    self.sym[k] = s
                idx[b] += n

    @classmethod
    def read(cls, src, pos):
        """A tree description at src[pos:]; returns the table and the position after it."""
        h = src[pos]
        if h >= 128:
            n = h - 127
            raw = src[pos + 1:pos + 1 + (n + 1) // 2]
            weights = []
            for b in raw:
                weights += [b >> 4, b & 15]
            return cls(weights[:n]), pos + 1 + (n + 1) // 2
        table, after = _FSE.read(src, pos + 1, 6, 256)
        s = _Backward(src[after:pos + 1 + h])
        s1, s2 = s.read(table.log), s.read(table.log)
        weights = []
        while True:
            weights.append(table.sym[s1])
            s1 = table.base[s1] + s.read(table.bits[s1])
            if s.overflowed():
                weights.append(table.sym[s2])
                break
            weights.append(table.sym[s2])
            s2 = table.base[s2] + s.read(table.bits[s2])
            if s.overflowed():
                weights.append(table.sym[s1])
                break
            if len(weights) > 255:
                raise ZstdError("a corrupt Huffman weight stream")
        return cls(weights), pos + 1 + h

    def decode(self, stream, n):
        s = _Backward(stream)
        mb, sym, bits = self.max_bits, self.sym, self.bits
        mask = (1 << mb) - 1
        state = s.read(mb)
        out = bytearray(n)
        for i in range(n):
            out[i] = sym[state]
            b = bits[state]
            state = ((state << b) + s.read(b)) & mask
        if s.pos != -mb:
            raise ZstdError("a Huffman stream does not end where its literals do")
        return out


class _Frame:
    """Decoding state shared by the blocks of one frame."""

    def __init__(self):
        self.out = bytearray()
        self.huffman = None
        self.tables = [None, None, None]  # LL, OF, ML
        self.reps = [1, 4, 8]

    def literals(self, b, pos):
        kind, fmt = b[pos] & 3, (b[pos] >> 2) & 3
        if kind in (0, 1):
            if fmt in (0, 2):
                size, pos = b[pos] >> 3, pos + 1
            elif fmt == 1:
                size, pos = (b[pos] >> 4) + (b[pos + 1] << 4), pos + 2
            else:
                size, pos = (b[pos] >> 4) + (b[pos + 1] << 4) + (b[pos + 2] << 12), pos + 3
            if kind == 0:
                return bytes(b[pos:pos + size]), pos + size
            return bytes([b[pos]]) * size, pos + 1
        nhead, bits = {0: (3, 10), 1: (3, 10), 2: (4, 14), 3: (5, 18)}[fmt]
        h = int.from_bytes(b[pos:pos + nhead], "little")
        mask = (1 << bits) - 1
        size, csize = (h >> 4) & mask, (h >> (4 + bits)) & mask
        pos += nhead
        end = pos + csize
        if kind == 2:
            self.huffman, pos = _Huffman.read(b, pos)
        elif self.huffman is None:
            raise ZstdError("treeless literals without an earlier Huffman table")
        data = b[pos:end]
        if fmt == 0:
            return bytes(self.huffman.decode(data, size)), end
        sizes = [int.from_bytes(data[i:i + 2], "little") for i in (0, 2, 4)]
        sizes.append(len(data) - 6 - sum(sizes))
        each = (size + 3) // 4
        out, at = bytearray(), 6
        for k, n in enumerate(sizes):
            out += self.huffman.decode(data[at:at + n], each if k < 3 else size - 3 * each)
            at += n
        return bytes(out), end

    def table(self, k, mode, b, pos):
        default, log, max_log, nsym = [(_LL_DEFAULT, 6, 9, 36), (_OF_DEFAULT, 5, 8, 32), (_ML_DEFAULT, 6, 9, 53)][k]
        if mode == 0:
            self.tables[k] = _FSE(default, log)
        elif mode == 1:
            self.tables[k] = _FSE.rle(b[pos])
            pos += 1
        elif mode == 2:
            self.tables[k], pos = _FSE.read(b, pos, max_log, nsym)
        elif self.tables[k] is None:
            raise ZstdError("a repeated sequence table without an earlier one")
        return pos

    def block(self, b):
        lits, pos = self.literals(b, 0)
        n = b[pos]
        if n == 0:
            self.out += lits
            return
        if n < 128:
            pos += 1
        elif n < 255:
            n, pos = ((n - 128) << 8) + b[pos + 1], pos + 2
        else:
            n, pos = b[pos + 1] + (b[pos + 2] << 8) + 0x7F00, pos + 3
        modes = b[pos]
        pos += 1
        for k, shift in ((0, 6), (1, 4), (2, 2)):
            pos = self.table(k, (modes >> shift) & 3, b, pos)
        ll, of, ml = self.tables
        s = _Backward(b[pos:])
        lls, ofs, mls = s.read(ll.log), s.read(of.log), s.read(ml.log)
        out, reps, lit = self.out, self.reps, 0
        for i in range(n):
            oc, lc, mc = of.sym[ofs], ll.sym[lls], ml.sym[mls]
            if lc >= len(_LL) or mc >= len(_ML) or oc > 31:
                raise ZstdError("a corrupt sequence code")
            offv = (1 << oc) + s.read(oc)
            mlen = _ML[mc][0] + s.read(_ML[mc][1])
            llen = _LL[lc][0] + s.read(_LL[lc][1])
            if i != n - 1:
                lls = ll.base[lls] + s.read(ll.bits[lls])
                mls = ml.base[mls] + s.read(ml.bits[mls])
                ofs = of.base[ofs] + s.read(of.bits[ofs])
            if offv > 3:
                off = offv - 3
                reps[2], reps[1], reps[0] = reps[1], reps[0], off
            else:
                idx = offv - 1 + (1 if llen == 0 else 0)
                if idx == 0:
                    off = reps[0]
                else:
                    off = reps[idx] if idx < 3 else reps[0] - 1
                    if idx > 1:
                        reps[2] = reps[1]
                    reps[1], reps[0] = reps[0], off
            if lit + llen > len(lits):
                raise ZstdError("a sequence uses more literals than the block has")
            out += lits[lit:lit + llen]
            lit += llen
            if off == 0 or off > len(out):
                raise ZstdError("a match reaches before the start of the output")
            start = len(out) - off
            if off >= mlen:
                out += out[start:start + mlen]
            else:
                for j in range(mlen):
                    out.append(out[start + j])
        if s.pos != 0:
            raise ZstdError("the sequence bitstream does not end where its sequences do")
        out += lits[lit:]


def decompress(data):
    """Decompress one or more concatenated zstd frames (skippable frames are
    skipped). Raises ZstdError."""
    try:
        return _decompress(bytes(data))
    except (IndexError, KeyError) as e:
        raise ZstdError(f"a truncated or corrupt frame ({e})") from None


def _decompress(data):
    out, pos = bytearray(), 0
    while pos < len(data):
        if len(data) - pos < 4:
            raise ZstdError("trailing bytes after the last frame")
        magic = int.from_bytes(data[pos:pos + 4], "little")
        if magic & 0xFFFFFFF0 == 0x184D2A50:
            pos += 8 + int.from_bytes(data[pos + 4:pos + 8], "little")
            continue
        if magic != _MAGIC:
            raise ZstdError(f"not a zstd frame (magic 0x{magic:08x})")
        pos += 4
        d = data[pos]
        pos += 1
        fcs_flag, single, checksum, dict_flag = d >> 6, (d >> 5) & 1, (d >> 2) & 1, d & 3
        if d & 8:
            raise ZstdError("a reserved frame header bit is set")
        if not single:
            pos += 1  # window descriptor: the whole output is kept
        if dict_flag:
            raise ZstdError("frames that need a dictionary are not supported")
        pos += [1 if single else 0, 2, 4, 8][fcs_flag]
        f = _Frame()
        while True:
            if pos + 3 > len(data):
                raise ZstdError("a truncated block header")
            h = int.from_bytes(data[pos:pos + 3], "little")
            pos += 3
            last, kind, size = h & 1, (h >> 1) & 3, h >> 3
            if kind == 0:
                f.out += data[pos:pos + size]
                pos += size
            elif kind == 1:
                f.out += data[pos:pos + 1] * size
                pos += 1
            elif kind == 2:
                if pos + size > len(data):
                    raise ZstdError("a truncated block")
                f.block(data[pos:pos + size])
                pos += size
            else:
                raise ZstdError("a reserved block type")
            if last:
                break
        if checksum:
            pos += 4
        out += f.out
    return bytes(out)
