"""Offline tests: keccak-256, value forms, the canonical encoding, the
Merkle tree and canonical JSON against the repository's test vectors
(testdata/vectors/canonical.json) and the SPEC's statement vector."""

import hashlib
import json
import os
import unittest

from groundtruth_client import canonical, merkle
from groundtruth_client.errors import ValueFormError
from groundtruth_client.keccak import keccak256
from groundtruth_client.registry import STATEMENT_TYPEHASH, statement_hash
from groundtruth_client.secp256k1 import SignatureError, checksum, recover_address
from groundtruth_client.values import load_json, parse_value
from groundtruth_client.zstd import ZstdError, decompress

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
VECTORS = os.path.join(ROOT, "testdata", "vectors", "canonical.json")


def h(s):
    return bytes.fromhex(s[2:])


class KeccakTest(unittest.TestCase):
    def test_vectors(self):
        # Empty input and the rate boundaries (135, 136, 137 and 2×136 bytes),
        # checked against ethers v6 keccak256; then two values of SPEC §12.
        cases = [
            (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
            (b"a" * 135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
            (b"a" * 136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
            (b"a" * 137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
            (b"a" * 272, "cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8"),
            (b"a" * 1000, "b6a4ac1f51884d71f30fa397a5e155de3099e11fc0edef5d08b646e621e19de9"),
            (b"groundtruth statement test vector", "3ba6468a69cfe4c0770854e11eb4537e5d9766b4053fa0a52bff791eaa5a0399"),
            (b"statementOf(string,uint64)", "64f4258e"),
        ]
        for data, want in cases:
            with self.subTest(n=len(data)):
                self.assertEqual(keccak256(data).hex()[:len(want)], want)

    def test_statement_vector(self):
        # SPEC §12.2.
        self.assertEqual(STATEMENT_TYPEHASH.hex(), "dc643b49c70e65870f635c1c9e3612d5809e35ccf3179bf5d0d938963178b68c")
        st = {"dataset": "compound_bravo", "version": 2,
              "merkleRoot": h("0x3f570f443902da83adb5cf8dad402c27fde7413c97b16afddde584d8fe69146e"),
              "rowCount": 8003,
              "manifestHash": h("0xc973f01c30db151771eca5d5661d5262b8df81b0f801adc18cd689e95256cb4e"),
              "reportHash": bytes(32),
              "parentRoot": h("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")}
        self.assertEqual(statement_hash(st).hex(), "bce59f114843e5ead99e0aeadf208c56a886e1ce3cb43ee784ba9a202fc55a3f")


class Secp256k1Test(unittest.TestCase):
    # Signed with ethers v6 (SigningKey.sign) by the key of the web3.js
    # documentation, 0x4c0883a6…362318, address 0x2c7536E3…a65c23.
    DIGEST = bytes.fromhex("f9507dbdbf5092e31ace308a74e0672b1cccb651e51293b50ba678019632d052")
    SIG = bytes.fromhex("424a1fc409a374ba0212ce08b2a8ef537997cbb2891a98a3da61534185b65954"
                        "0999c43aa9c003ff222cf9a920a8afb408d7fbd261891f9863f2038f2b08b437" "1b")
    ADDRESS = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"

    def test_recover(self):
        self.assertEqual(checksum(recover_address(self.DIGEST, self.SIG)), self.ADDRESS)
        self.assertEqual(checksum(recover_address(self.DIGEST, self.SIG[:64] + b"\x00")), self.ADDRESS)

    def test_other_digest_or_signature(self):
        other = bytes([self.DIGEST[0] ^ 1]) + self.DIGEST[1:]
        self.assertNotEqual(recover_address(other, self.SIG).lower(), self.ADDRESS.lower())
        flipped_v = self.SIG[:64] + b"\x1c"
        self.assertNotEqual(recover_address(self.DIGEST, flipped_v).lower(), self.ADDRESS.lower())

    def test_malformed(self):
        n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
        high_s = self.SIG[:32] + (n - int.from_bytes(self.SIG[32:64], "big")).to_bytes(32, "big") + b"\x1c"
        for name, sig in [("short", self.SIG[:64]), ("v 5", self.SIG[:64] + b"\x05"), ("high s", high_s),
                          ("r zero", bytes(32) + self.SIG[32:])]:
            with self.subTest(name):
                with self.assertRaises(SignatureError):
                    recover_address(self.DIGEST, sig)


class ZstdTest(unittest.TestCase):
    # 400 words from a list of 8 (seed 7), compressed by the zstd 1.5 CLI at
    # level 19: Huffman literals, FSE-compressed sequence tables, repeat offsets.
    FRAME = bytes.fromhex(
        "28b52ffd647f0a850c0092830a0ed0e78424c99d4a4aee0b002c2838ad790b1c047c118730c98fbfd5015be2afc8718fa9b7"
        "ae61d7529780bea8c127290cfb672044609052661e12486008900408494016509446889c1025532d0773f8ecdb352c9d4037"
        "c07779d9ab0bc0b2d295c69509e11a2820f24503a652b1d86c24f726ba1f2c9a4f09b582556770bb1fb1ec3c1bc21d7e31c0"
        "2eb5a7026be4d79f04218b4ea2131b1f3b6fe0a485425818a69e0acbacfb129a04e52b495cafb90fb89280efd5f3e98096f7"
        "0c32b8d825a8de3bd7ea6f742ee49128ea20692b60de9ed4a3419a2851c0694493a281751b0d86d87cc0f698c630b44a9b6a"
        "86850cdc810f74f2c50cac7d50ca6fc248e3f4cfd91590171a70e910c4828f722f58dbef1931f0ad33de499411c09eae6825"
        "a3f48db82e43e2d2c4dff028d85f13847d8142f7e5ab54c5571887ab79468f2d1c2216ea445a25ce1212d28f122a69aab590"
        "ef725c098c553670a9ef5c04e7a675557178d72fd1abf291114de048e9c49a68d322a083cc95f194a7744f4dfe22702e4799"
        "caa64347fa8209652d551c731c46")
    SHA256 = "5df2caa22402478366af4c7158c0d9b78b177096b1a69fd578f78ee3a6e44361"

    def test_frame(self):
        out = decompress(self.FRAME)
        self.assertEqual((len(out), hashlib.sha256(out).hexdigest()), (2943, self.SHA256))

    def test_block_kinds(self):
        # A raw block and an RLE block, hand-made, in one frame each, concatenated.
        raw = bytes.fromhex("28b52ffd" "20" "05") + bytes([(5 << 3) | 1]) + bytes(2) + b"hello"
        rle = bytes.fromhex("28b52ffd" "20" "07") + bytes([(7 << 3) | 2 | 1]) + bytes(2) + b"z"
        self.assertEqual(decompress(raw + rle), b"hellozzzzzzz")

    def test_refused(self):
        for name, data in [("not zstd", b"ARROW1"), ("truncated", self.FRAME[:40]),
                           ("flipped", self.FRAME[:60] + bytes([self.FRAME[60] ^ 0x55]) + self.FRAME[61:])]:
            with self.subTest(name):
                try:
                    out = decompress(data)
                except ZstdError:
                    continue
                self.assertNotEqual(hashlib.sha256(out).hexdigest(), self.SHA256)


class VectorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(VECTORS, "rb") as f:
            cls.v = json.load(f)  # the canonical forms hold no JSON numbers

    def test_rows(self):
        sch = self.v["schema"]
        leaves = []
        for i, r in enumerate(self.v["rows"]):
            with self.subTest(row=i, note=r["note"]):
                b = canonical.encode_row(sch, canonical.parse_row(sch, r["values"]))
                self.assertEqual("0x" + b.hex(), r["canonical"])
                leaf = canonical.leaf_hash(b)
                self.assertEqual("0x" + leaf.hex(), r["leaf"])
                leaves.append(leaf)
        self.assertEqual("0x" + merkle.root_of(leaves).hex(), self.v["merkleRoot"])
        self.assertEqual("0x" + merkle.root_of([]).hex(), self.v["emptyRoot"])

    def test_tree_and_proofs(self):
        t = self.v["tree"]
        leaves = [h(x) for x in t["leaves"]]
        self.assertEqual("0x" + merkle.root_of(leaves).hex(), t["root"])
        for n in range(1, len(leaves) + 1):
            merkle.root_of(leaves[:n])  # every size builds
        for p in self.v["inclusionProofs"]:
            with self.subTest(index=p["index"], size=p["size"]):
                path = [h(x) for x in p["path"]]
                self.assertTrue(merkle.verify_inclusion(p["index"], p["size"], h(p["leaf"]), path, h(p["root"])))
                self.assertEqual(h(p["root"]), merkle.root_of(leaves[:p["size"]]))
                self.assertFalse(merkle.verify_inclusion(p["index"], p["size"], h(p["leaf"]), path, bytes(32)))
                if path:
                    bad = [bytes(32)] + path[1:]
                    self.assertFalse(merkle.verify_inclusion(p["index"], p["size"], h(p["leaf"]), bad, h(p["root"])))
                self.assertFalse(merkle.verify_inclusion(p["size"], p["size"], h(p["leaf"]), path, h(p["root"])))
        for p in self.v["consistencyProofs"]:
            with self.subTest(size1=p["size1"], size2=p["size2"]):
                path = [h(x) for x in p["path"]]
                self.assertTrue(merkle.verify_consistency(p["size1"], p["size2"], h(p["root1"]), h(p["root2"]), path))
                if p["size1"] != p["size2"]:
                    self.assertFalse(merkle.verify_consistency(p["size1"], p["size2"], h(p["root1"]), bytes(32), path))

    def test_manifests(self):
        for m in self.v["manifests"]:
            with self.subTest(note=m["note"]):
                raw = bytes.fromhex(m["canonical"][2:]) if m["canonical"].startswith("0x") else m["canonical"].encode()
                self.assertEqual(canonical.canonical_json(json.loads(raw)), raw)
                import hashlib
                self.assertEqual("0x" + hashlib.sha256(raw).hexdigest(), m["hash"])


class ValueFormsTest(unittest.TestCase):
    """Readable forms (the server's default) parse to the same stored value as
    the canonical forms (values=canonical)."""

    def test_both_forms(self):
        cases = [
            ("uint8", load_json("5"), "5"),
            ("int32", load_json("-5"), "-5"),
            ("float64", load_json("31.29"), "0x403f4a3d70a3d70a"),
            ("float64", load_json("-0"), "0x8000000000000000"),
            ("float64", load_json("1e-7"), "0x3e7ad7f29abcaf48"),
            ("float64", "NaN", "0x7ff8000000000001"),
            ("float64", "-Infinity", "0xfff0000000000000"),
            ("float64", load_json("1.7976931348623157e+308"), "0x7fefffffffffffff"),
            ("timestamp", "2024-05-01T12:00:00.000001Z", "1714564800000001"),
            ("timestamp", "1969-12-31T23:59:59.999999Z", "-1"),
            ("timestamp", "2024-05-01T14:00:00.000001+02:00", "1714564800000001"),
            ("timestamp", "0000-01-01T00:00:00.000000Z", "-62167219200000000"),
            ("address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        ]
        for typ, readable, canon in cases:
            with self.subTest(typ=typ, value=readable):
                self.assertEqual(parse_value("c", typ, readable), parse_value("c", typ, canon))

    def test_refused(self):
        cases = [
            ("uint8", "256"), ("int8", "-129"), ("uint64", "-1"), ("uint8", "1.5"),
            ("timestamp", "2024-05-01T12:00:00.0000001Z"), ("timestamp", "yesterday"),
            ("address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),  # bad checksum
            ("bytes32", "0x00"), ("bytes", "00"), ("bool", "true"), ("string", load_json("5")),
            ("float64", "1.5"),
        ]
        for typ, v in cases:
            with self.subTest(typ=typ, value=v):
                with self.assertRaises(ValueFormError):
                    parse_value("c", typ, v)


if __name__ == "__main__":
    unittest.main()
