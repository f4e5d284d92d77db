"""ecrecover on secp256k1 in pure Python: the address that signed a 32-byte
digest (what Solidity's ecrecover and ethers' recoverAddress compute).
Signatures are 65 bytes r ‖ s ‖ v with v in {0, 1, 27, 28}; s must be in
the lower half of the order (EIP-2), as OpenZeppelin's ECDSA requires."""

from .keccak import keccak256

_P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
      0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)


class SignatureError(ValueError):
    """A signature is malformed or recovers to no key."""


def _add(a, b):
    # Jacobian-free affine addition; None is the point at infinity.
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0]:
        if (a[1] + b[1]) % _P == 0:
            return None
        lam = 3 * a[0] * a[0] * pow(2 * a[1], -1, _P) % _P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, _P) % _P
    x = (lam * lam - a[0] - b[0]) % _P
    return x, (lam * (a[0] - x) - a[1]) % _P


def _mul(k, pt):
    out = None
    while k:
        if k & 1:
            out = _add(out, pt)
        pt = _add(pt, pt)
        k >>= 1
    return out


def recover_address(digest, sig):
    """The 0x-checksum-free lowercase address whose key signed digest (32
    bytes) with sig (65 bytes r ‖ s ‖ v). Raises SignatureError."""
    if len(digest) != 32 or len(sig) != 65:
        raise SignatureError(f"want a 32-byte digest and a 65-byte signature, got {len(digest)} and {len(sig)} bytes")
    r, s, v = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big"), sig[64]
    if v >= 27:
        v -= 27
    if v not in (0, 1) or not (0 < r < _N) or not (0 < s <= _N // 2):
        raise SignatureError("malformed signature (v, r or a high s)")
    y2 = (pow(r, 3, _P) + 7) % _P
    y = pow(y2, (_P + 1) // 4, _P)
    if y * y % _P != y2:
        raise SignatureError("r is not the x of a curve point")
    if y & 1 != v:
        y = _P - y
    e = int.from_bytes(digest, "big")
    rinv = pow(r, -1, _N)
    q = _add(_mul(s * rinv % _N, (r, y)), _mul((-e * rinv) % _N, _G))
    if q is None:
        raise SignatureError("the signature recovers to no key")
    pub = q[0].to_bytes(32, "big") + q[1].to_bytes(32, "big")
    return "0x" + keccak256(pub)[12:].hex()


def checksum(address):
    """The EIP-55 checksummed form of a 0x address."""
    a = address.lower().removeprefix("0x")
    h = keccak256(a.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(h[i], 16) >= 8 else c for i, c in enumerate(a))
