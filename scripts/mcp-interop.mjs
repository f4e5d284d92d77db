#!/usr/bin/env node
// mcp-interop.mjs — groundtruth's MCP server seen by a third-party client:
// the official TypeScript SDK (@modelcontextprotocol/sdk), over stdio (the
// server spawned as a host spawns it, with a minimal environment) or over
// streamable HTTP (/mcp with a bearer token).
//
// Usage: node scripts/mcp-interop.mjs PLAN.json
// PLAN: {"mode": "stdio"|"http"|"failed", "command", "args", "env" (stdio,
// failed), "url", "token" (http), "good": {"dataset","version","rows","root"},
// "revoked": "gone", "tampered": "tampered"}
//
// It calls every tool at once right after connecting (a server that answers
// before it knows what it may serve would say "0 datasets"), checks that the
// results match their declared output schemas (the SDK's client validates
// structuredContent), recomputes rows' leaves from the readable value forms
// with ethers' AbiCoder and checks their RFC 6962 inclusion proofs against
// the attested root, and checks that the revoked and the tampered versions
// are refused. "failed" expects a server that could not start to say why in
// a tool error. Exit 0: every check passed; 1: the first failure is printed.

import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { AbiCoder, sha256, concat, getAddress } from "ethers";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
let checks = 0;
function check(ok, what) {
  if (!ok) throw new Error(what);
  checks++;
}
const text = (res) => res.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");

// ---- leaves from readable values (docs/serving.md, docs/SPEC.md §3) ----

const ABI = {
  bool: "bool", int8: "int8", int16: "int16", int32: "int32", int64: "int64",
  uint8: "uint8", uint16: "uint16", uint32: "uint32", uint64: "uint64", float64: "uint64",
  string: "string", bytes: "bytes", address: "address", bytes32: "bytes32",
  uint256: "uint256", int256: "int256", timestamp: "int64",
};
const ZERO = { bool: false, string: "", bytes: "0x", address: "0x" + "00".repeat(20), bytes32: "0x" + "00".repeat(32) };

function floatBits(v) {
  if (v === "NaN") return 0x7ff8000000000000n;
  const x = v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v;
  if (typeof x !== "number") throw new Error(`float64: ${JSON.stringify(v)}`);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}

function micros(v) {
  if (/^-?\d+$/.test(v)) return BigInt(v); // outside years 0000-9999
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(v);
  if (!m) throw new Error(`timestamp: ${JSON.stringify(v)}`);
  return BigInt(Date.parse(m[1] + "Z")) * 1000n + BigInt(m[2]);
}

function abiValue(type, v) {
  switch (type) {
    case "float64": return floatBits(v);
    case "timestamp": return micros(v);
    case "address": return getAddress(v); // throws on a bad EIP-55 checksum
    case "bool": case "string": case "bytes": case "bytes32": return v;
    default: return BigInt(v); // JSON numbers (≤ 32 bits) and decimal strings
  }
}

function leafOf(schema, values) {
  let mask = 0n;
  const types = ["uint256"], vals = [];
  schema.columns.forEach((c, i) => {
    const t = ABI[c.type];
    types.push(t);
    const v = values[c.name];
    if (v === null) {
      mask |= 1n << BigInt(i);
      vals.push(t in ZERO ? ZERO[t] : 0n);
    } else {
      vals.push(abiValue(c.type, v));
    }
  });
  const row = AbiCoder.defaultAbiCoder().encode(types, [mask, ...vals]);
  return sha256(concat(["0x00", row]));
}

// RFC 9162 §2.1.3.2
function verifyInclusion(leaf, index, size, path, root) {
  let fn = BigInt(index), sn = BigInt(size) - 1n, r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha256(concat(["0x01", p, r]));
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = sha256(concat(["0x01", r, p]));
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && r === root;
}

// ---- the session ----

async function connect() {
  const client = new Client({ name: "mcp-interop", version: "1" });
  let transport;
  if (plan.mode === "http") {
    transport = new StreamableHTTPClientTransport(new URL(plan.url), { requestInit: { headers: { Authorization: `Bearer ${plan.token}` } } });
  } else {
    // A host's environment: the SDK's minimal default plus the entry's "env".
    transport = new StdioClientTransport({ command: plan.command, args: plan.args, env: { ...getDefaultEnvironment(), ...plan.env }, stderr: "pipe" });
    transport.stderr?.on("data", (b) => { stderr += b; });
  }
  await client.connect(transport);
  return client;
}
let stderr = "";

async function failed(client) {
  const res = await client.callTool({ name: "list_datasets", arguments: {} });
  check(res.isError === true, "a server that could not start answered list_datasets with a success");
  for (const want of plan.says) check(text(res).includes(want), `the startup error lacks ${JSON.stringify(want)}: ${text(res)}`);
}

async function serving(client) {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort().join(",");
  check(names === "describe_dataset,get_rows,list_datasets,query,verify_version", `tools ${names}`);
  for (const t of tools) check(t.outputSchema?.type === "object", `${t.name} declares no output schema`);
  const g = plan.good;
  // Every tool at once, right after the handshake.
  const [list, desc, rows, query, verify] = await Promise.all([
    client.callTool({ name: "list_datasets", arguments: {} }),
    client.callTool({ name: "describe_dataset", arguments: { dataset: g.dataset } }),
    client.callTool({ name: "get_rows", arguments: { dataset: g.dataset, indexes: [0, 1, g.rows - 1] } }),
    client.callTool({ name: "query", arguments: { sql: `SELECT count(*) AS n FROM "${g.dataset}"` } }),
    client.callTool({ name: "verify_version", arguments: { dataset: g.dataset, version: g.version } }),
  ]);
  for (const [name, res] of Object.entries({ list, desc, rows, query, verify })) {
    check(!res.isError, `${name} right after start: ${text(res)}`);
    check(res.structuredContent !== undefined, `${name}: no structured content`);
  }
  check(text(list).includes(`${g.dataset}@${g.version} (root ${g.root})`), `list_datasets: ${text(list)}`);
  check(!text(list).includes(`${plan.revoked}@`), `list_datasets lists the revoked version: ${text(list)}`);
  // BIGINT results are decimal strings in the readable form (exact in JavaScript).
  check(query.structuredContent.rows[0][0] === String(g.rows) && query.structuredContent.columnTypes[0] === "BIGINT",
    `query count: ${JSON.stringify(query.structuredContent)}`);
  check(verify.structuredContent.ok === true, `verify_version: ${text(verify)}`);
  const schema = desc.structuredContent.schema;
  const out = rows.structuredContent;
  check(out.merkleRoot === g.root && out.rows.length === 3, `get_rows: ${text(rows)}`);
  for (const r of out.rows) {
    const leaf = leafOf(schema, r.values);
    check(leaf === r.proof.leaf, `row ${r.index}: readable values hash to ${leaf}, the proof is for ${r.proof.leaf}`);
    check(verifyInclusion(leaf, r.index, r.proof.size, r.proof.path, g.root), `row ${r.index}: the inclusion proof does not reach ${g.root}`);
    check(typeof r.values.block_time === "string" && r.values.block_time.endsWith("Z"), `row ${r.index}: block_time ${r.values.block_time}`);
  }
  // Canonical forms hash to the same leaves.
  const canon = await client.callTool({ name: "get_rows", arguments: { dataset: g.dataset, indexes: [1], values: "canonical" } });
  check(!canon.isError && /^\d+$/.test(canon.structuredContent.rows[0].values.block_time), `canonical get_rows: ${text(canon)}`);
  check(canon.structuredContent.rows[0].proof.leaf === out.rows[1].proof.leaf, "canonical and readable rows have different leaves");
  // A tampered version (a flipped segment byte) and a revoked one are refused.
  const bad = await Promise.all([
    client.callTool({ name: "get_rows", arguments: { dataset: plan.tampered, indexes: [0] } }),
    client.callTool({ name: "get_rows", arguments: { dataset: plan.revoked, version: 1, indexes: [0] } }),
    client.callTool({ name: "query", arguments: { sql: `SELECT count(*) FROM "${plan.revoked}@1"` } }),
  ]);
  check(bad[0].isError && /corrupt|does not match/.test(text(bad[0])), `tampered get_rows: ${text(bad[0])}`);
  check(bad[1].isError && /revoked|no dataset|not attested/.test(text(bad[1])), `revoked get_rows: ${text(bad[1])}`);
  check(bad[2].isError, `revoked query: ${text(bad[2])}`);
  // Resources: each attested version's manifest.
  const { resources } = await client.listResources();
  const man = resources.find((r) => r.uri.endsWith(`/${g.dataset}/versions/${g.version}/manifest`));
  check(man !== undefined, `no manifest resource for ${g.dataset}@${g.version}: ${resources.map((r) => r.uri)}`);
  const body = await client.readResource({ uri: man.uri });
  check(sha256(new TextEncoder().encode(body.contents[0].text)) === desc.structuredContent.versions.at(-1).manifestHash, "the manifest resource does not hash to the manifest hash");
}

const client = await connect().catch((e) => {
  console.error(`mcp-interop: connecting (${plan.mode}): ${e.message}\n${stderr}`);
  process.exit(1);
});
try {
  await (plan.mode === "failed" ? failed(client) : serving(client));
  console.log(`mcp-interop ${plan.mode}: ${checks} checks passed`);
  await client.close();
  process.exit(0);
} catch (e) {
  console.error(`mcp-interop ${plan.mode}: FAIL: ${e.message}\n${stderr}`);
  await client.close().catch(() => {});
  process.exit(1);
}
