#!/usr/bin/env node
// check-vectors.mjs — an independent second implementation of groundtruth's
// verifiable dataset format (docs/SPEC.md), written from the specification
// only. It recomputes, from testdata/vectors/canonical.json:
//
//   - every row's canonical bytes: abi.encode(uint256 nullMask, v1, ..., vn)
//     with ethers v6's AbiCoder, from the row's JSON values and the schema;
//   - every leaf hash SHA-256(0x00 || row) and the RFC 6962 Merkle root;
//   - the synthetic leaves of the derived tree and its roots;
//   - the inclusion and consistency proofs, with the verification algorithms
//     of RFC 9162 §2.1.3.2 and §2.1.4.2;
//   - each manifest's canonical JSON and its SHA-256, and the links between
//     the example versions (segment paths, row counts, parents, roots).
//
// The expected values in the file are only compared against, never used to
// compute. Usage: node scripts/check-vectors.mjs [path/to/canonical.json]
// Exit status: 0 when every check passes, 1 when one fails (the first
// mismatch is named), 2 when the file cannot be read.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AbiCoder, sha256, concat, toUtf8Bytes, ZeroAddress, ZeroHash } from "ethers";

const here = path.dirname(fileURLToPath(import.meta.url));
const vectorPath = process.argv[2] ?? path.join(here, "..", "testdata", "vectors", "canonical.json");

// ---- the specification ----------------------------------------------------

// ABI type of each logical type (docs/SPEC.md, "Canonical row encoding").
const ABI_TYPE = {
  bool: "bool",
  int8: "int8", int16: "int16", int32: "int32", int64: "int64",
  uint8: "uint8", uint16: "uint16", uint32: "uint32", uint64: "uint64",
  float64: "uint64", // IEEE-754 bits, NaN canonicalised
  string: "string", bytes: "bytes", address: "address", bytes32: "bytes32",
  uint256: "uint256", int256: "int256",
  timestamp: "int64", // microseconds since the Unix epoch, UTC
};

// The value a null of each ABI type is encoded as.
const ZERO = {
  bool: false, string: "", bytes: "0x", address: ZeroAddress, bytes32: ZeroHash,
};
const zeroOf = (abiType) => (abiType in ZERO ? ZERO[abiType] : 0n);

const CANONICAL_NAN = 0x7ff8000000000000n;
const MAX_COLUMNS = 256;

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
const hexRE = (digits) => new RegExp(`^0x[0-9a-f]{${digits}}$`);

// abiValue turns one JSON value form (see the file's valueForms) into the
// value ethers encodes for the column's ABI type.
function abiValue(type, v) {
  switch (type) {
    case "bool":
      if (typeof v !== "boolean") throw new Error(`bool: want true/false, got ${JSON.stringify(v)}`);
      return v;
    case "int8": case "int16": case "int32": case "int64":
    case "uint8": case "uint16": case "uint32": case "uint64":
    case "uint256": case "int256": case "timestamp":
      if (typeof v !== "string" || !DECIMAL.test(v)) throw new Error(`${type}: want a decimal string, got ${JSON.stringify(v)}`);
      return BigInt(v); // ethers range-checks against the ABI type
    case "float64": {
      if (typeof v !== "string" || !hexRE(16).test(v)) throw new Error(`float64: want 0x + 16 hex digits, got ${JSON.stringify(v)}`);
      const bits = BigInt(v);
      const exponent = (bits >> 52n) & 0x7ffn;
      const mantissa = bits & ((1n << 52n) - 1n);
      return exponent === 0x7ffn && mantissa !== 0n ? CANONICAL_NAN : bits;
    }
    case "string":
      if (typeof v !== "string") throw new Error(`string: got ${JSON.stringify(v)}`);
      if (!v.isWellFormed()) throw new Error("string: not valid Unicode (lone surrogate)");
      return v; // ethers encodes the UTF-8 bytes
    case "bytes":
      if (typeof v !== "string" || !/^0x([0-9a-f]{2})*$/.test(v)) throw new Error(`bytes: want 0x hex, got ${JSON.stringify(v)}`);
      return v;
    case "address":
      if (typeof v !== "string" || !hexRE(40).test(v)) throw new Error(`address: want 0x + 40 hex digits, got ${JSON.stringify(v)}`);
      return v;
    case "bytes32":
      if (typeof v !== "string" || !hexRE(64).test(v)) throw new Error(`bytes32: want 0x + 64 hex digits, got ${JSON.stringify(v)}`);
      return v;
  }
  throw new Error(`unknown column type ${JSON.stringify(type)}`);
}

// encodeRow returns the canonical bytes (hex) and the null mask of a row.
function encodeRow(schema, values) {
  if (values.length !== schema.columns.length) {
    throw new Error(`${values.length} values for ${schema.columns.length} columns`);
  }
  let mask = 0n;
  const types = ["uint256"];
  const vals = [];
  schema.columns.forEach((col, i) => {
    const abiType = ABI_TYPE[col.type];
    if (!abiType) throw new Error(`column ${col.name}: unknown type ${col.type}`);
    types.push(abiType);
    if (values[i] === null) {
      if (!col.nullable) throw new Error(`column ${col.name} is not nullable but the value is null`);
      mask |= 1n << BigInt(i);
      vals.push(zeroOf(abiType));
    } else {
      vals.push(abiValue(col.type, values[i]));
    }
  });
  return { bytes: AbiCoder.defaultAbiCoder().encode(types, [mask, ...vals]), mask };
}

// RFC 6962 hashes.
const leafHash = (data) => sha256(concat(["0x00", data]));
const nodeHash = (l, r) => sha256(concat(["0x01", l, r]));
const EMPTY_ROOT = sha256("0x");

// mth is MTH(D[n]) of RFC 6962 §2.1: split at the largest power of two
// smaller than n.
function mth(leaves) {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

// verifyInclusion follows RFC 9162 §2.1.3.2.
function verifyInclusion(index, size, leaf, path, root) {
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  if (fn > sn) return false;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && r === root;
}

// verifyConsistency follows RFC 9162 §2.1.4.2, with the trivial cases of
// equal sizes (empty proof, equal roots) and an empty old tree (empty proof).
function verifyConsistency(size1, size2, path, root1, root2) {
  if (size1 > size2) return false;
  if (size1 === size2) return path.length === 0 && root1 === root2;
  if (size1 === 0) return path.length === 0;
  if (path.length === 0) return false;
  let p = path;
  if ((size1 & (size1 - 1)) === 0) p = [root1, ...path]; // first is a power of 2
  let fn = BigInt(size1) - 1n;
  let sn = BigInt(size2) - 1n;
  while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
  let fr = p[0];
  let sr = p[0];
  for (const c of p.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return fr === root1 && sr === root2 && sn === 0n;
}

// Canonical JSON (docs/SPEC.md, "Canonical JSON"): object keys sorted by
// their UTF-8 bytes, no whitespace, integers only, strings escaped minimally
// with the escapes Go's encoding/json uses (no HTML escaping).
function canonicalJSON(v) {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(v)) throw new Error(`canonical JSON allows only integers, got ${v}`);
      return String(v);
    case "string":
      return quoteJSON(v);
    case "object":
      if (Array.isArray(v)) return "[" + v.map(canonicalJSON).join(",") + "]";
      return "{" + Object.keys(v)
        .sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")))
        .map((k) => quoteJSON(k) + ":" + canonicalJSON(v[k]))
        .join(",") + "}";
  }
  throw new Error(`canonical JSON cannot hold ${typeof v}`);
}

const SHORT_ESCAPES = { 0x22: '\\"', 0x5c: "\\\\", 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t" };

function quoteJSON(s) {
  if (!s.isWellFormed()) throw new Error("canonical JSON strings must be valid Unicode");
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c in SHORT_ESCAPES) out += SHORT_ESCAPES[c];
    else if (c < 0x20 || c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

// segmentPath is the store-relative path of a segment file.
const segmentPath = (sha) => `segments/${sha.slice(2, 4)}/${sha.slice(2)}.arrow`;

// ---- the checks -------------------------------------------------------------

let passed = 0;
const failures = [];
const sections = {};

// check records one named check; fn returns true, false or throws.
function check(section, name, fn) {
  sections[section] ??= true;
  let ok = false;
  let detail = "";
  try {
    const r = fn();
    ok = r === true;
    if (!ok && typeof r === "string") detail = r;
  } catch (err) {
    detail = err.message;
  }
  if (ok) {
    passed++;
  } else {
    sections[section] = false;
    failures.push(`${name}${detail ? ": " + detail : ""}`);
    console.error(`FAIL ${name}${detail ? ": " + detail : ""}`);
  }
  return ok;
}

// expectEqual returns true or a message naming both values; for long values
// it shows where they first differ.
function expectEqual(got, want) {
  if (got === want) return true;
  const g = String(got);
  const w = String(want);
  if (g.length <= 80 && w.length <= 80) return `computed ${g}, file says ${w}`;
  let i = 0;
  while (i < g.length && i < w.length && g[i] === w[i]) i++;
  const at = (s) => JSON.stringify(s.slice(Math.max(0, i - 16), i + 16));
  const where = /^0x[0-9a-f]*$/.test(g) ? `byte ${Math.floor((i - 2) / 2)} (ABI word ${Math.floor((i - 2) / 64)})` : `character ${i}`;
  return `first difference at ${where}: computed …${at(g)}…, file says …${at(w)}… (lengths ${g.length} and ${w.length})`;
}

let file;
try {
  file = JSON.parse(readFileSync(vectorPath, "utf8"));
} catch (err) {
  console.error(`cannot read ${vectorPath}: ${err.message}`);
  process.exit(2);
}

const { schema, rows } = file;

check("schema", "schema", () => {
  if (!Array.isArray(schema?.columns) || schema.columns.length === 0) return "no columns";
  if (schema.columns.length > MAX_COLUMNS) return `more than ${MAX_COLUMNS} columns`;
  for (const c of schema.columns) if (!(c.type in ABI_TYPE)) return `column ${c.name}: unknown type ${c.type}`;
  return true;
});

// Rows: canonical bytes, null mask and leaf.
const rowLeaves = [];
rows.forEach((row, i) => {
  let enc = null;
  check("rows", `rows[${i}].canonical`, () => {
    enc = encodeRow(schema, row.values);
    return expectEqual(enc.bytes, row.canonical);
  });
  check("rows", `rows[${i}].nullMask`, () => enc !== null && expectEqual(enc.mask.toString(), row.nullMask));
  const leaf = enc ? leafHash(enc.bytes) : null;
  rowLeaves.push(leaf);
  check("rows", `rows[${i}].leaf`, () => expectEqual(leaf, row.leaf));
});

check("root", "emptyRoot", () => expectEqual(EMPTY_ROOT, file.emptyRoot));
check("root", "merkleRoot", () => expectEqual(mth(rowLeaves), file.merkleRoot));

// The derived tree: the row leaves, then synthetic leaves.
const tree = [...rowLeaves];
for (let i = rows.length; i < file.tree.size; i++) tree.push(leafHash(toUtf8Bytes(`groundtruth test leaf ${i}`)));
tree.forEach((leaf, i) => check("root", `tree.leaves[${i}]`, () => expectEqual(leaf, file.tree.leaves[i])));
check("root", "tree.root", () => expectEqual(mth(tree), file.tree.root));

// flipHash changes the last hex digit of a hash.
const flipHash = (h) => h.slice(0, -1) + (h.at(-1) === "0" ? "1" : "0");

for (const p of file.inclusionProofs) {
  const name = `inclusion(index ${p.index}, size ${p.size})`;
  check("inclusion", `${name} leaf`, () => expectEqual(tree[p.index], p.leaf));
  check("inclusion", `${name} root`, () => expectEqual(mth(tree.slice(0, p.size)), p.root));
  check("inclusion", `${name} verifies`, () => verifyInclusion(p.index, p.size, tree[p.index], p.path, mth(tree.slice(0, p.size))));
  // The verifier must not accept a changed proof, leaf or index.
  check("inclusion", `${name} rejects tampering`, () => {
    const root = mth(tree.slice(0, p.size));
    if (verifyInclusion(p.index, p.size, flipHash(tree[p.index]), p.path, root)) return "accepted another leaf";
    for (let j = 0; j < p.path.length; j++) {
      const bad = p.path.map((h, k) => (k === j ? flipHash(h) : h));
      if (verifyInclusion(p.index, p.size, tree[p.index], bad, root)) return `accepted a changed path[${j}]`;
    }
    if (p.size > 1 && verifyInclusion((p.index + 1) % p.size, p.size, tree[p.index], p.path, root)) return "accepted another index";
    return true;
  });
}

for (const p of file.consistencyProofs) {
  const name = `consistency(${p.size1} -> ${p.size2})`;
  const r1 = mth(tree.slice(0, p.size1));
  const r2 = mth(tree.slice(0, p.size2));
  check("consistency", `${name} root1`, () => expectEqual(r1, p.root1));
  check("consistency", `${name} root2`, () => expectEqual(r2, p.root2));
  check("consistency", `${name} verifies`, () => verifyConsistency(p.size1, p.size2, p.path, r1, r2));
  check("consistency", `${name} rejects tampering`, () => {
    if (p.size1 > 0 && verifyConsistency(p.size1, p.size2, p.path, flipHash(r1), r2)) return "accepted another old root";
    if (verifyConsistency(p.size1, p.size2, p.path, r1, flipHash(r2))) return "accepted another new root";
    for (let j = 0; j < p.path.length; j++) {
      const bad = p.path.map((h, k) => (k === j ? flipHash(h) : h));
      if (verifyConsistency(p.size1, p.size2, bad, r1, r2)) return `accepted a changed path[${j}]`;
    }
    return true;
  });
}

// Manifests: canonical JSON, hash and the links a verifier checks.
const byVersion = new Map();
file.manifests.forEach((m, i) => {
  const v = m.value;
  const name = `manifests[${i}] (version ${v?.version})`;
  let canonical = null;
  check("manifest", `${name} canonical JSON`, () => {
    canonical = canonicalJSON(v);
    return expectEqual(canonical, m.canonical);
  });
  check("manifest", `${name} hash`, () => canonical !== null && expectEqual(sha256(toUtf8Bytes(canonical)), m.hash));
  check("manifest", `${name} segments`, () => {
    let rowsSum = 0;
    for (const s of v.segments) {
      if (s.path !== segmentPath(s.sha256)) return `segment path ${s.path} does not match its sha256`;
      rowsSum += s.rows;
    }
    return expectEqual(rowsSum, v.rowCount);
  });
  check("manifest", `${name} schema`, () => expectEqual(canonicalJSON(v.schema), canonicalJSON(schema)));
  if (v.parent === null) {
    check("manifest", `${name} root`, () => expectEqual(mth(rowLeaves.slice(0, v.rowCount)), v.merkleRoot));
  } else {
    const parent = byVersion.get(v.parent.version);
    check("manifest", `${name} parent`, () => {
      if (!parent) return `parent version ${v.parent.version} is not among the examples`;
      if (parent.merkleRoot !== v.parent.merkleRoot) return "parent.merkleRoot differs from the parent manifest";
      return expectEqual(v.parent.rowCount, parent.rowCount);
    });
    if (v.appendOnly) {
      // An append keeps the parent's rows as a prefix: the new root covers
      // the row leaves and a consistency proof links the two roots.
      check("manifest", `${name} root`, () => expectEqual(mth(rowLeaves.slice(0, v.rowCount)), v.merkleRoot));
      check("manifest", `${name} consistency with its parent`, () => {
        const p = file.consistencyProofs.find((c) => c.size1 === v.parent.rowCount && c.size2 === v.rowCount);
        if (!p) return "no consistency proof between the parent and this version";
        return verifyConsistency(p.size1, p.size2, p.path, v.parent.merkleRoot, v.merkleRoot);
      });
    } else {
      // The example correction retracts row 3 of its parent.
      check("manifest", `${name} root`, () => expectEqual(mth(rowLeaves.filter((_, j) => j !== 3).slice(0, v.rowCount)), v.merkleRoot));
    }
  }
  byVersion.set(v.version, v);
});

// ---- summary ----------------------------------------------------------------

const word = (s) => (sections[s] === false ? "FAILED" : "ok");
console.log(
  `vectors: ${rows.length} rows, root ${word("root")}, inclusion ${word("inclusion")}, ` +
  `consistency ${word("consistency")}, manifest ${word("manifest")}` +
  (sections.rows === false ? " (row encoding FAILED)" : ""),
);
console.log(`${passed} passed, ${failures.length} failed`);
if (failures.length > 0) {
  console.error(`first mismatch: ${failures[0]}`);
  process.exit(1);
}
