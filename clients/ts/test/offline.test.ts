// Offline tests against the repository's vectors (testdata/vectors/canonical.json)
// and SPEC §12.2: value forms, canonical encoding, leaves, roots, proofs,
// canonical JSON and the statement hash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hexlify, getBytes } from "ethers";
import { canonicalJSON, encodeRow, leafHash, rootFromInclusion, RootBuilder, parseValue, statementHash, STATEMENT_TYPEHASH, ValueFormError } from "../src/index.js";
import { sha256 } from "../src/encode.js";

const vectors = JSON.parse(readFileSync(fileURLToPath(new URL("../../../../testdata/vectors/canonical.json", import.meta.url)), "utf8"));

test("canonical rows, leaves and root", () => {
  const rb = new RootBuilder();
  for (const r of vectors.rows) {
    const stored = vectors.schema.columns.map((c: any, i: number) => parseValue(c.name, c.type, r.values[i]));
    const b = encodeRow(vectors.schema, stored);
    assert.equal(hexlify(b), r.canonical, r.note);
    assert.equal(hexlify(leafHash(b)), r.leaf, r.note);
    rb.push(leafHash(b));
  }
  assert.equal(hexlify(rb.root()), vectors.merkleRoot);
  assert.equal(hexlify(new RootBuilder().root()), vectors.emptyRoot);
});

test("tree and inclusion proofs", () => {
  const leaves = vectors.tree.leaves.map((h: string) => getBytes(h));
  const rb = new RootBuilder();
  leaves.forEach((l: Uint8Array) => rb.push(l));
  assert.equal(hexlify(rb.root()), vectors.tree.root);
  for (const p of vectors.inclusionProofs) {
    const path = p.path.map((h: string) => getBytes(h));
    const r = rootFromInclusion(BigInt(p.index), BigInt(p.size), getBytes(p.leaf), path);
    assert.equal(r && hexlify(r), p.root, `index ${p.index} size ${p.size}`);
    assert.equal(rootFromInclusion(BigInt(p.size), BigInt(p.size), getBytes(p.leaf), path), null);
    if (path.length) {
      const bad = rootFromInclusion(BigInt(p.index), BigInt(p.size), getBytes(p.leaf), [new Uint8Array(32), ...path.slice(1)]);
      assert.notEqual(bad && hexlify(bad), p.root);
    }
  }
});

test("manifests are canonical JSON", () => {
  for (const m of vectors.manifests) {
    const text = m.canonical.startsWith("0x") ? Buffer.from(m.canonical.slice(2), "hex").toString() : m.canonical;
    assert.equal(canonicalJSON(JSON.parse(text)), text, m.note);
    assert.equal(hexlify(sha256(Buffer.from(text))), m.hash, m.note);
  }
});

test("statement vector (SPEC §12.2)", () => {
  assert.equal(STATEMENT_TYPEHASH, "0xdc643b49c70e65870f635c1c9e3612d5809e35ccf3179bf5d0d938963178b68c");
  assert.equal(statementHash({
    dataset: "compound_bravo", version: 2n,
    merkleRoot: "0x3f570f443902da83adb5cf8dad402c27fde7413c97b16afddde584d8fe69146e", rowCount: 8003n,
    manifestHash: "0xc973f01c30db151771eca5d5661d5262b8df81b0f801adc18cd689e95256cb4e",
    reportHash: "0x" + "00".repeat(32),
    parentRoot: "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  }), "0xbce59f114843e5ead99e0aeadf208c56a886e1ce3cb43ee784ba9a202fc55a3f");
});

test("readable and canonical value forms give the same stored value", () => {
  const cases: [string, unknown, string][] = [
    ["uint8", 5, "5"], ["int32", -5, "-5"], ["float64", 31.29, "0x403f4a3d70a3d70a"],
    ["float64", JSON.parse("-0"), "0x8000000000000000"], ["float64", 1e-7, "0x3e7ad7f29abcaf48"],
    ["float64", "NaN", "0x7ff8000000000001"], ["float64", "-Infinity", "0xfff0000000000000"],
    ["timestamp", "2024-05-01T12:00:00.000001Z", "1714564800000001"],
    ["timestamp", "1969-12-31T23:59:59.999999Z", "-1"],
    ["timestamp", "2024-05-01T14:00:00.000001+02:00", "1714564800000001"],
    ["timestamp", "0000-01-01T00:00:00.000000Z", "-62167219200000000"],
    ["address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"],
  ];
  for (const [typ, readable, canon] of cases) {
    assert.deepEqual(parseValue("c", typ, readable), parseValue("c", typ, canon), `${typ} ${readable}`);
  }
  const refused: [string, unknown][] = [["uint8", "256"], ["int8", "-129"], ["uint64", "-1"], ["uint8", 1.5],
    ["timestamp", "2024-05-01T12:00:00.0000001Z"], ["address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"],
    ["bytes32", "0x00"], ["bytes", "00"], ["bool", "true"], ["string", 5], ["float64", "1.5"]];
  for (const [typ, v] of refused) assert.throws(() => parseValue("c", typ, v), ValueFormError, `${typ} ${v}`);
});
