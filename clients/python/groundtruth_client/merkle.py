"""The RFC 6962 Merkle tree with SHA-256 (SPEC §4, §5)."""

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def node_hash(left, right):
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_of(leaves):
    """The Merkle tree hash of a list of leaf hashes, in O(n) time and
    O(log n) memory beyond the list (a stack of perfect subtrees)."""
    stack = []  # (height, hash) of perfect subtrees, left to right
    for leaf in leaves:
        h, size = leaf, 1
        while stack and stack[-1][0] == size:
            h = node_hash(stack.pop()[1], h)
            size *= 2
        stack.append((size, h))
    if not stack:
        return EMPTY_ROOT
    h = stack.pop()[1]
    while stack:
        h = node_hash(stack.pop()[1], h)
    return h


def root_from_inclusion(index, size, leaf, path):
    """The root that an inclusion proof leads to (RFC 9162 §2.1.3.2), or
    None when the proof is malformed for index and size."""
    if index < 0 or index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(index, size, leaf, path, root):
    """True when path proves leaf at index in the tree of size leaves with root."""
    return root_from_inclusion(index, size, leaf, path) == root


def verify_consistency(size1, size2, root1, root2, path):
    """True when path proves the tree of size1 leaves (root1) is a prefix of
    the tree of size2 leaves (root2) (RFC 9162 §2.1.4.2)."""
    if size1 == size2:
        return not path and root1 == root2
    if size1 == 0:
        return not path
    if size1 > size2 or not path:
        return False
    if size1 & (size1 - 1) == 0:
        path = [root1] + list(path)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0
