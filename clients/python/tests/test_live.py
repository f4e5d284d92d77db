"""Tests against a real server and a DatasetRegistry on anvil.

serve/clientinterop's TestPython starts them and runs this module with
GT_URL, GT_RPC_URL and GT_REGISTRY set: votes@1 (300 rows) is attested,
votes@2 (500 rows, an append) attested then revoked on-chain, votes@3 (600
rows) only marked attested by the server. GT_URL/tamper/MODE/ serves the
same answers rewritten (flip-segment, flip-jsonl, wrong-root, wrong-value,
wrong-index). Without GT_URL the tests are skipped (the Go test fails on
any skip)."""

import copy
import json
import os
import tempfile
import unittest

from groundtruth_client import (Client, ManifestHashError, MerkleRootError, MismatchError, NotAttestedError,
                                ProofError, RevokedError, SegmentError, Trust, parse_receipt, verify_receipt)
from groundtruth_client import arrow, canonical, merkle
from groundtruth_client.errors import GroundtruthError
from groundtruth_client.registry import statement_of
from groundtruth_client.tool import GroundtruthRowTool

URL = os.environ.get("GT_URL")
RPC = os.environ.get("GT_RPC_URL")
REGISTRY = os.environ.get("GT_REGISTRY")
STEWARDS = [a for a in os.environ.get("GT_STEWARDS", "").split(",") if a]
GO_RECEIPT = os.environ.get("GT_GO_RECEIPT")
PY_RECEIPT = os.environ.get("GT_PY_RECEIPT")
FOREIGN = ["0x" + "12" * 20, "0x" + "34" * 20]
EAS_ADDRESS = os.environ.get("GT_EAS")
SAFE_REGISTRY = os.environ.get("GT_SAFE_REGISTRY")
SAFE_STEWARDS = [a for a in os.environ.get("GT_SAFE_STEWARDS", "").split(",") if a]


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

    def test_segment_rows(self):
        # Segment files decoded in pure Python (Arrow IPC, zstd): every leaf
        # and the root recomputed; values equal the row API's.
        c = self.client()
        rows = c.segment_rows("votes", 1)
        self.assertEqual(len(rows), 300)
        r = c.row("votes", 1, 5)
        v = c.version("votes", 1)
        self.assertEqual(rows[5], canonical.parse_row(v.schema, r.values))
        for name, n in [("easvotes", 200), ("offvotes", 150)]:
            self.assertEqual(len(self.eas_client("eas" if name == "easvotes" else "offchain").segment_rows(name, 1)), n)
        with self.assertRaises(SegmentError):
            self.client("flip-segment").segment_rows("votes", 1)

    def test_segment_rows_decoded_root(self):
        # A segment that decodes to other values (its hash check bypassed)
        # does not lead to the attested root.
        c = self.client()
        v = c.version("votes", 1)
        body = c._get(c._vpath("votes", 1) + "/segments/" + v.manifest["segments"][0]["sha256"])
        rows = arrow.read_rows(body, v.schema)
        rows[7][2] += 1
        leaves = [canonical.leaf_hash(canonical.encode_row(v.schema, r)) for r in rows]
        self.assertNotEqual(merkle.root_of(leaves), v.merkle_root)
        rows[7][2] -= 1
        leaves = [canonical.leaf_hash(canonical.encode_row(v.schema, r)) for r in rows]
        self.assertEqual(merkle.root_of(leaves), v.merkle_root)

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

    def test_stewards_from_the_registry(self):
        # The registry's stewards() and threshold() are read on the node and
        # the evidence's signatures recovered: 2 of the 3 stewards signed.
        c = self.client()
        v = c.version("votes", 1)
        self.assertEqual(len(v.signers), 2)
        self.assertEqual(c.trust.threshold, 2)
        self.assertEqual({a.lower() for a in c.trust.stewards}, {a.lower() for a in STEWARDS})
        self.assertTrue(set(v.signers) <= c.trust.stewards)

    def test_stewards_refused(self):
        cases = [
            ("foreign stewards", Trust(FOREIGN, 1), "is not one of the stewards"),
            ("one trusted signer of two required", Trust(STEWARDS[:1], 2), "1 stewards of yours signed, 2 required"),
            ("threshold above the signers", Trust(STEWARDS, 3), "2 stewards of yours signed, 3 required"),
        ]
        for name, trust, says in cases:
            with self.subTest(name):
                c = Client(URL, rpc_url=RPC, registry=REGISTRY, trust=trust)
                with self.assertRaises(NotAttestedError) as cm:
                    c.row("votes", 1, 0)
                self.assertNotIsInstance(cm.exception, RevokedError)
                self.assertIn(says, str(cm.exception))

    def test_contract_steward(self):
        # safevotes@1 is attested on a second registry by a key steward and
        # a 2-of-3 Safe whose signature file is "scheme": "eip1271": the
        # Safe's isValidSignature is asked on the node and the Safe counts.
        c = Client(URL, rpc_url=RPC, registry=SAFE_REGISTRY)
        v = c.version("safevotes", 1)
        self.assertEqual(v.row_count, 80)
        self.assertEqual({a.lower() for a in v.signers}, {a.lower() for a in SAFE_STEWARDS})
        key, safe = SAFE_STEWARDS
        with self.assertRaises(NotAttestedError) as cm:
            Client(URL, rpc_url=RPC, registry=SAFE_REGISTRY, trust=Trust([safe], 2)).row("safevotes", 1, 0)
        self.assertIn("1 stewards of yours signed, 2 required", str(cm.exception))
        sf = [f for f in json.loads(c._get("/v1/datasets/safevotes/versions/1/evidence"))["signatures"] if f.get("scheme") == "eip1271"][0]
        sig = bytes.fromhex(sf["signature"][2:])
        self.assertIn("isValidSignature", c.registry.contract_signature_problem(safe, b"\xab" * 32, sig))
        self.assertIn("isValidSignature returned 0x", c.registry.contract_signature_problem(key, b"\xab" * 32, sig))

    def test_receipt_of_the_go_client(self):
        # The Go client's receipt (rows 2 and 9 of votes@1) verifies here;
        # a copy whose row claims another index or value does not.
        with open(GO_RECEIPT) as f:
            text = f.read()
        c = self.client()
        checks = verify_receipt(parse_receipt(text), c.registry)
        self.assertEqual([x for x in checks if not x["ok"]], [])
        self.assertEqual(len(checks), 5)  # statement, attestation, stewards, 2 rows
        bad = parse_receipt(text)
        bad["reads"][0]["rows"][0]["index"] = 3
        self.assertTrue(any(not x["ok"] and x["check"].endswith(".rows[0]") for x in verify_receipt(bad, c.registry)))
        bad = parse_receipt(text)
        bad["reads"][0]["evidence"]["signatures"] = bad["reads"][0]["evidence"]["signatures"][:1]
        self.assertTrue(any(not x["ok"] and x["check"].endswith(".stewards") for x in verify_receipt(bad, c.registry)))

    def test_receipt_for_the_go_client(self):
        # Rows 2 and 9 and the whole of votes@1: the Go test checks this
        # receipt with client.VerifyReceipt after the run.
        c = self.client()
        rc = c.new_receipt("python decision 1")
        for i in (2, 9):
            rc.add_row(c.row("votes", 1, i))
        rc.add_version(c.version("votes", 1))
        text = rc.marshal()
        self.assertEqual([x for x in verify_receipt(parse_receipt(text), c.registry) if not x["ok"]], [])
        with open(PY_RECEIPT, "w") as f:
            f.write(text)

    def eas_client(self, backend, trust=None, eas=None):
        return Client(URL, rpc_url=RPC, backend=backend, eas=eas or EAS_ADDRESS, trust=trust or Trust(STEWARDS, 2))

    def test_eas(self):
        # easvotes@1 / offvotes@1 attested 2-of-3 on EAS (on-chain / off-chain),
        # easgone@1 / offgone@1 revoked there by one steward (eas_world_test.go).
        for backend, good, gone, rows in [("eas", "easvotes", "easgone", 200), ("offchain", "offvotes", "offgone", 150)]:
            with self.subTest(backend):
                c = self.eas_client(backend)
                v = c.version(good, 1)
                self.assertEqual((v.row_count, len(v.signers)), (rows, 2))
                self.assertEqual(c.row(good, 1, 7).index, 7)
                self.assertEqual(len(c.jsonl(good, 1)), rows)
                with self.assertRaises(RevokedError):
                    c.row(gone, 1, 0)
                refusals = [
                    (Trust(FOREIGN, 1), None, "is not one of the stewards"),
                    (Trust(STEWARDS, 3), None, "2 stewards of yours attested it"),
                    (None, REGISTRY, "reverted" if backend == "eas" else "for EAS"),  # another contract
                ]
                for trust, eas, says in refusals:
                    with self.assertRaises(GroundtruthError) as cm:
                        self.eas_client(backend, trust, eas).version(good, 1)
                    self.assertNotIsInstance(cm.exception, RevokedError)
                    self.assertIn(says, str(cm.exception))
                with self.assertRaises(NotAttestedError) as cm:
                    c.version("votes", 1)  # attested on the registry only
                self.assertIn("0 stewards of yours", str(cm.exception))

    def test_eas_offchain_tampered(self):
        c = self.eas_client("offchain")
        v = c.version("offvotes", 1)
        st = statement_of(v.manifest, v.manifest_hash)
        self.assertEqual(len(c.eas.check_offchain(st, v.evidence, c.trust)), 2)
        edits = [
            ("signature", lambda p: p["sig"]["signature"].update(s="0x" + "3" * 64), "signature"),
            ("message time", lambda p: p["sig"]["message"].update(time=int(p["sig"]["message"]["time"]) + 1), "not the UID"),
            ("salt", lambda p: p["sig"]["message"].update(salt="0x" + "44" * 32), "not the UID"),
            ("signer", lambda p: p.update(signer=STEWARDS[2]), "recovers to"),
        ]
        for name, edit, says in edits:
            with self.subTest(name):
                ev = copy.deepcopy(v.evidence)
                f = next(x for x in ev["signatures"] if x.get("backend") == "offchain")
                edit(f["offchain"])
                with self.assertRaises(NotAttestedError) as cm:
                    c.eas.check_offchain(st, ev, c.trust)
                self.assertIn(says, str(cm.exception))

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
