// EAS attestations (on-chain and off-chain) against the real server and the
// EAS contracts on anvil, started by serve/clientinterop's TestTypeScript
// (GT_URL, GT_RPC_URL, GT_EAS, GT_STEWARDS; the world is in
// serve/clientinterop/eas_world_test.go). Skipped without GT_URL; the Go
// test fails on any skip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getBytes, Wallet } from "ethers";
import { Client, GroundtruthError, NotAttestedError, RevokedError, statementOf, type EASRecord } from "../src/index.js";

const URL_ = process.env.GT_URL;
const skip = URL_ ? false : "GT_URL is not set (run by go test ./serve/clientinterop)";
const stewards = (process.env.GT_STEWARDS ?? "").split(",").filter(Boolean);

function client(backend: "eas" | "offchain", trust = { stewards, threshold: 2 }, eas = process.env.GT_EAS!): Client {
  return new Client({ baseUrl: URL_!, rpcUrl: process.env.GT_RPC_URL!, backend, eas, trust });
}

async function withClient<T>(c: Client, f: (c: Client) => Promise<T>): Promise<T> {
  try { return await f(c); } finally { c.close(); }
}

for (const [backend, good, gone, rows] of [["eas", "easvotes", "easgone", 200n], ["offchain", "offvotes", "offgone", 150n]] as const) {
  test(`${backend}: a version attested by 2 of your 3 stewards verifies: segments, every leaf, the root, rows`, { skip }, async () => {
    await withClient(client(backend), async (c) => {
      const { version, tables } = await c.fetchVersion(good, 1);
      assert.equal(version.rowCount, rows);
      assert.equal(tables.reduce((n, t) => n + t.numRows, 0), Number(rows));
      const rec = version.record as EASRecord;
      assert.equal(rec.backend, backend);
      assert.equal(rec.signers.length, 2);
      const r = await c.row(good, 1, 7);
      assert.equal(r.index, 7n);
    });
  });

  test(`${backend}: a version one steward revoked on EAS is refused`, { skip }, async () => {
    await withClient(client(backend), async (c) => {
      await assert.rejects(c.version(gone, 1), RevokedError);
      await assert.rejects(c.row(gone, 1, 0), RevokedError);
    });
  });

  test(`${backend}: foreign stewards, a threshold above the signers, another EAS contract are refused`, { skip }, async () => {
    const foreign = [Wallet.createRandom().address, Wallet.createRandom().address];
    await withClient(client(backend, { stewards: foreign, threshold: 1 }), async (c) => {
      await assert.rejects(c.version(good, 1), (e) => e instanceof NotAttestedError && !(e instanceof RevokedError) && /not one of your stewards/.test(e.message));
    });
    await withClient(client(backend, { stewards, threshold: 3 }), async (c) => {
      await assert.rejects(c.version(good, 1), /2 of your stewards attested it .* you require 3/);
    });
    await withClient(client(backend, { stewards, threshold: 2 }, process.env.GT_REGISTRY!), async (c) => {
      await assert.rejects(c.version(good, 1), GroundtruthError);
    });
  });

  test(`${backend}: a version attested on the registry only has no EAS attestation`, { skip }, async () => {
    await withClient(client(backend), async (c) => {
      await assert.rejects(c.version("votes", 1), (e) => e instanceof NotAttestedError && /0 of your stewards/.test(e.message));
    });
  });
}

test("offchain: a package whose signature, message or UID was changed does not count", { skip }, async () => {
  await withClient(client("offchain"), async (c) => {
    const v = await c.version("offvotes", 1);
    const st = statementOf(v.manifest, getBytes(v.manifestHash));
    const trust = { stewards, threshold: 2 };
    assert.equal((await c.eas!.checkOffchain(st, v.evidence, trust)).signers.length, 2);
    const edits: [string, (p: any) => void, RegExp][] = [
      ["signature", (p) => { p.sig.signature.s = "0x" + "3".repeat(64); }, /signature|recovers/],
      ["message time", (p) => { p.sig.message.time = String(BigInt(p.sig.message.time) + 1n); }, /not the UID of its message/],
      ["uid and time", (p) => { p.sig.message.salt = "0x" + "44".repeat(32); }, /not the UID of its message/],
      ["signer", (p) => { p.signer = stewards[2]; }, /recovers to/],
    ];
    for (const [what, edit, says] of edits) {
      const ev = structuredClone(v.evidence) as any;
      const f = ev.signatures.find((x: any) => x.backend === "offchain");
      const pkg = typeof f.offchain === "string" ? JSON.parse(f.offchain) : f.offchain;
      edit(pkg);
      f.offchain = pkg;
      await assert.rejects(c.eas!.checkOffchain(st, ev, trust), (e) => e instanceof NotAttestedError && says.test(e.message), what);
    }
  });
});

test("the EAS backends need the EAS address and your steward set", () => {
  assert.throws(() => new Client({ baseUrl: "http://127.0.0.1:1", rpcUrl: "http://127.0.0.1:1", backend: "eas", trust: { stewards, threshold: 1 } }), /options\.eas/);
  assert.throws(() => new Client({ baseUrl: "http://127.0.0.1:1", rpcUrl: "http://127.0.0.1:1", backend: "offchain", eas: "0x" + "11".repeat(20) }), /options\.trust/);
});
