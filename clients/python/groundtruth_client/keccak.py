"""Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not
SHA-3's 0x06), in pure Python. hashlib.sha3_256 is NOT this function."""

_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
# Rotation offsets r[x][y], lanes indexed x + 5*y.
_ROT = [
    [0, 36, 3, 41, 18],
    [1, 44, 10, 45, 2],
    [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56],
    [27, 20, 39, 8, 14],
]
_M = (1 << 64) - 1
_RATE = 136  # bytes, for a 256-bit output


def _rotl(v, n):
    return ((v << n) | (v >> (64 - n))) & _M if n else v


def _f1600(a):
    """keccak-f[1600] on 25 lanes (a[x + 5*y]), in place."""
    for rc in _RC:
        # theta
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        for i in range(25):
            a[i] ^= d[i % 5]
        # rho and pi
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                b[y + 5 * ((2 * x + 3 * y) % 5)] = _rotl(a[x + 5 * y], _ROT[x][y])
        # chi
        for y in range(0, 25, 5):
            row = b[y:y + 5]
            for x in range(5):
                a[y + x] = row[x] ^ ((~row[(x + 1) % 5]) & row[(x + 2) % 5])
        # iota
        a[0] ^= rc


def keccak256(data):
    """Return the 32-byte Keccak-256 digest of data (bytes or str as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = bytes(data)
    pad = _RATE - len(data) % _RATE
    msg = bytearray(data) + bytearray(pad)
    msg[len(data)] ^= 0x01
    msg[-1] ^= 0x80
    state = [0] * 25
    for off in range(0, len(msg), _RATE):
        block = msg[off:off + _RATE]
        for i in range(_RATE // 8):
            state[i] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        _f1600(state)
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))
