"""Tests against a real server and a DatasetRegistry on anvil.

serve/clientinterop's TestPython starts them and runs this module with
GT_URL, GT_RPC_URL and GT_REGISTRY set: votes@1 (300 rows) is attested,
votes@2 (500 rows, an append) attested then revoked on-chain, votes@3 (600
rows) only marked attested by the server. GT_URL/tamper/MODE/ serves the
same answers rewritten (flip-segment, flip-jsonl, wrong-root, wrong-value,
wrong-index). Without GT_URL the tests are skipped (the Go test fails on
any skip)."""

import os
import tempfile
import unittest

from groundtruth_client import (Client, ManifestHashError, MerkleRootError, MismatchError, NotAttestedError,
                                ProofError, RevokedError, SegmentError)
from groundtruth_client.tool import GroundtruthRowTool

URL = os.environ.get("GT_URL")
RPC = os.environ.get("GT_RPC_URL")
REGISTRY = os.environ.get("GT_REGISTRY")


@unittest.skipUnless(URL, "GT_URL is not set (run by go test ./serve/clientinterop)")
class LiveTest(unittest.TestCase):
    def client(self, mode=None):
        return Client(URL + (f"/tamper/{mode}" if mode else ""), rpc_url=RPC, registry=REGISTRY)

    def test_version(self):
        v = self.client().version("votes", 1)
        self.assertEqual((v.version, v.row_count), (1, 300))
        self.assertGreater(v.record["attestedBlock"], 0)

    def test_rows_with_proofs(self):
        c = self.client()
        for i in (0, 1, 150, 299):
            with self.subTest(index=i):
                r = c.row("votes", 1, i)
                self.assertEqual(r.index, i)
                self.assertEqual(len(r.values), 10)

    def test_default_value_form(self):
        # Rows and JSONL in the server's default form (readable where the
        # server has value forms) verify too.
        c = self.client()
        c._canonical_param = False
        for i in (0, 5, 299):
            with self.subTest(index=i):
                self.assertEqual(c.row("votes", 1, i).index, i)
        self.assertEqual(len(c.jsonl("votes", 1)), 300)

    def test_row_by_key(self):
        c = self.client()
        r = c.row("votes", 1, 42)
        k = c.row_by_key("votes", 1, chain_id=r.values["chain_id"], tx_hash=r.values["tx_hash"],
                         log_index=r.values["log_index"])
        self.assertEqual(k.index, 42)

    def test_jsonl(self):
        rows = self.client().jsonl("votes", 1)
        self.assertEqual(len(rows), 300)

    def test_segments(self):
        with tempfile.TemporaryDirectory() as d:
            paths = self.client().download_segments("votes", 1, d)
            self.assertEqual(len(paths), 1)
            with open(paths[0], "rb") as f:
                self.assertEqual(f.read(6), b"ARROW1")

    def test_revoked(self):
        c = self.client()
        with self.assertRaises(RevokedError) as cm:
            c.row("votes", 2, 0)
        self.assertIn("revoked", str(cm.exception))

    def test_not_attested(self):
        with self.assertRaises(NotAttestedError) as cm:
            self.client().jsonl("votes", 3)
        self.assertNotIsInstance(cm.exception, RevokedError)
        self.assertIn("not attested", str(cm.exception))

    def test_latest_is_verified(self):
        # The server's latest is votes@3, which the registry does not hold.
        with self.assertRaises(NotAttestedError):
            self.client().version("votes", "latest")

    def test_tampered(self):
        cases = [
            ("flip-segment", lambda c: c.download_segments("votes", 1, tempfile.gettempdir()), SegmentError),
            ("flip-jsonl", lambda c: c.jsonl("votes", 1), MerkleRootError),
            ("wrong-root", lambda c: c.row("votes", 1, 7), ProofError),
            ("wrong-value", lambda c: c.row("votes", 1, 7), ProofError),
            ("wrong-index", lambda c: c.row("votes", 1, 7), MismatchError),
        ]
        for mode, call, err in cases:
            with self.subTest(mode=mode):
                with self.assertRaises(err):
                    call(self.client(mode))

    def test_tampered_manifest_hash(self):
        # A server claiming another manifest hash than its manifest's bytes.
        c = self.client()
        orig = c._get

        def lying_get(path, params=None):
            return _swap_hash(orig(path, params))
        c._get = lying_get
        with self.assertRaises(ManifestHashError):
            c.version("votes", 1)

    def test_tool(self):
        tool = GroundtruthRowTool(self.client())
        out = tool.run({"dataset": "votes", "version": 1, "index": 3})
        self.assertTrue(out["verified"])
        self.assertEqual(out["index"], 3)
        bad = tool.run({"dataset": "votes", "version": 2, "index": 3})
        self.assertFalse(bad["verified"])
        self.assertIn("revoked", bad["error"])


def _swap_hash(body):
    """Replace the first manifestHash in a JSON body with another hash."""
    key = b'"manifestHash":"0x'
    i = body.find(key)
    if i < 0:
        return body
    j = i + len(key)
    return body[:j] + b"ab" * 32 + body[j + 64:]


if __name__ == "__main__":
    unittest.main()
