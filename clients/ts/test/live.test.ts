// Tests against a real server and a DatasetRegistry on anvil, started by
// serve/clientinterop's TestTypeScript (GT_URL, GT_RPC_URL, GT_REGISTRY; see
// clients/python/tests/test_live.py for the world). Skipped without GT_URL;
// the Go test fails on any skip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { Client, VerificationError, parseReceipt, parseValue, verifyReceipt, MerkleRootError, MismatchError, NotAttestedError, ProofError, RevokedError, SegmentError } from "../src/index.js";

const URL_ = process.env.GT_URL;
const skip = URL_ ? false : "GT_URL is not set (run by go test ./serve/clientinterop)";

function client(mode?: string): Client {
  return new Client({ baseUrl: URL_ + (mode ? `/tamper/${mode}` : ""), rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_REGISTRY! });
}

async function withClient<T>(mode: string | undefined, f: (c: Client) => Promise<T>): Promise<T> {
  const c = client(mode);
  try { return await f(c); } finally { c.close(); }
}

test("fetch verifies segments, every leaf and the root; timestamps exact", { skip }, async () => {
  await withClient(undefined, async (c) => {
    const { version, tables } = await c.fetchVersion("votes", 1);
    assert.equal(version.rowCount, 300n);
    assert.equal(tables.reduce((n, t) => n + t.numRows, 0), 300);
    // The row API's canonical microseconds equal the raw Arrow value.
    const row = await c.row("votes", 1, 5);
    const data = tables[0].batches[0].getChild("block_time")!.data[0];
    const us = BigInt((data.values as BigInt64Array)[data.offset + 5]);
    assert.equal(parseValue("block_time", "timestamp", row.values.block_time), us);
    assert.ok(us > 1_000_000_000_000_000n, "microseconds, not milliseconds");
  });
});

test("the full Arrow stream verifies row by row", { skip }, async () => {
  await withClient(undefined, async (c) => {
    const { version, table } = await c.fetchData("votes", 1);
    assert.equal(table.numRows, 300);
    assert.equal(version.version, 1);
  });
  await withClient("flip-data", async (c) => {
    await assert.rejects(c.fetchData("votes", 1), VerificationError);
  });
});

test("rows with proofs", { skip }, async () => {
  await withClient(undefined, async (c) => {
    for (const i of [0, 1, 150, 299]) {
      const r = await c.row("votes", 1, i);
      assert.equal(r.index, BigInt(i));
      assert.equal(Object.keys(r.values).length, 10);
    }
  });
});

test("key lookups and the server's default value form", { skip }, async () => {
  for (const valueForm of ["canonical", "server"] as const) {
    const c = new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_REGISTRY!, valueForm });
    try {
      const r = await c.row("votes", 1, 42);
      const k = await c.rowByKey("votes", 1, { chain_id: String(r.values.chain_id), tx_hash: String(r.values.tx_hash), log_index: String(r.values.log_index) });
      assert.equal(k.index, 42n, valueForm);
    } finally { c.close(); }
  }
});

test("revoked, unattested and latest", { skip }, async () => {
  await withClient(undefined, async (c) => {
    await assert.rejects(c.row("votes", 2, 0), RevokedError);
    await assert.rejects(c.fetchVersion("votes", 3), (e) => e instanceof NotAttestedError && !(e instanceof RevokedError));
    await assert.rejects(c.version("votes", "latest"), NotAttestedError);
  });
});

test("your steward set: signatures of foreign stewards do not count", { skip }, async () => {
  const stewards = process.env.GT_STEWARDS!.split(",");
  const ok = new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_REGISTRY!, trust: { stewards, threshold: 2 } });
  try { assert.equal((await ok.row("votes", 1, 0)).index, 0n); } finally { ok.close(); }
  const foreign = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"];
  const bad = new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_REGISTRY!, trust: { stewards: foreign, threshold: 1 } });
  try {
    await assert.rejects(bad.row("votes", 1, 0), (e) => e instanceof NotAttestedError && /not one of your stewards/.test(e.message));
  } finally { bad.close(); }
  // Only one of the two signers trusted: below a threshold of 2.
  const one = new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_REGISTRY!, trust: { stewards: [stewards[0]], threshold: 2 } });
  try { await assert.rejects(one.version("votes", 1), /1 of your stewards signed, you require 2/); } finally { one.close(); }
});

test("tampered answers are refused", { skip }, async () => {
  const cases: [string, (c: Client) => Promise<unknown>, Function][] = [
    ["flip-segment", (c) => c.fetchVersion("votes", 1), SegmentError],
    ["wrong-root", (c) => c.row("votes", 1, 7), ProofError],
    ["wrong-value", (c) => c.row("votes", 1, 7), ProofError],
    ["wrong-index", (c) => c.row("votes", 1, 7), MismatchError],
  ];
  for (const [mode, call, err] of cases) {
    await withClient(mode, async (c) => { await assert.rejects(call(c), err as any, mode); });
  }
  void MerkleRootError;
});

test("receipts: the Go client's verify here, ours are written for the Go VerifyReceipt", { skip }, async () => {
  await withClient(undefined, async (c) => {
    const goText = readFileSync(process.env.GT_GO_RECEIPT!, "utf8");
    const checks = await verifyReceipt(parseReceipt(goText), c.registry);
    assert.ok(checks.length >= 4, JSON.stringify(checks));
    assert.deepEqual(checks.filter((x) => !x.ok), []);
    const bad = parseReceipt(goText);
    bad.reads[0].rows[0].index += 1; // the row claims another position
    assert.ok((await verifyReceipt(bad, c.registry)).some((x) => !x.ok && x.check.endsWith(".rows[0]")));
    const rc = c.newReceipt("ts decision 1");
    rc.addRow(await c.row("votes", 1, 3));
    rc.addRow(await c.row("votes", 1, 7));
    rc.addVersion((await c.fetchVersion("votes", 1)).version);
    assert.deepEqual((await verifyReceipt(parseReceipt(rc.marshal()), c.registry)).filter((x) => !x.ok), []);
    writeFileSync(process.env.GT_TS_RECEIPT!, rc.marshal());
  });
});

test("a contract steward (a Safe, EIP-1271) is checked with isValidSignature on the node", { skip }, async () => {
  // safevotes@1 is attested on a second registry by a key steward and a
  // 2-of-3 Safe; the Safe's signature file is "scheme": "eip1271".
  const [key, safe] = process.env.GT_SAFE_STEWARDS!.split(",");
  const withTrust = async (stewards: string[], threshold: number, f: (c: Client) => Promise<void>) => {
    const c = new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_SAFE_REGISTRY!, trust: { stewards, threshold } });
    try { await f(c); } finally { c.close(); }
  };
  await withTrust([key, safe], 2, async (c) => {
    const v = await c.version("safevotes", 1);
    assert.equal(v.rowCount, 80n);
    assert.equal((await c.row("safevotes", 1, 3)).index, 3n);
  });
  // The Safe alone counts as one steward.
  await withTrust([safe], 1, async (c) => { assert.equal((await c.row("safevotes", 1, 0)).index, 0n); });
  // Only the Safe trusted: one steward of the two required.
  await withTrust([safe], 2, async (c) => {
    await assert.rejects(c.version("safevotes", 1), /1 of your stewards signed, you require 2/);
  });
  // isValidSignature refuses the Safe's signature over another digest, and
  // an account without code has no isValidSignature at all.
  const r = c0();
  try {
    const digest = "0x" + "ab".repeat(32);
    const ev = await (await fetch(`${URL_}/v1/datasets/safevotes/versions/1/evidence`)).json() as any;
    const sf = (ev.signatures as any[]).find((f) => f.scheme === "eip1271");
    assert.ok(sf, JSON.stringify(ev));
    assert.match((await r.registry!.contractSignatureProblem(safe, digest, sf.signature))!, /isValidSignature (refused|returned)/);
    assert.match((await r.registry!.contractSignatureProblem(key, digest, sf.signature))!, /has no code/);
  } finally { r.close(); }
});

function c0(): Client {
  return new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, registry: process.env.GT_SAFE_REGISTRY! });
}
