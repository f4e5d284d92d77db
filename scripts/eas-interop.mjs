#!/usr/bin/env node
// eas-interop.mjs — checks groundtruth's attestations with independent
// JavaScript implementations: the EAS SDK (@ethereum-attestation-service/eas-sdk)
// and ethers v6. Run by `go test ./attest/offchain -run Interop` (make test).
//
//   node scripts/eas-interop.mjs vector FILE
//       recompute the statement test vector (docs/SPEC.md §12) with ethers'
//       TypedDataEncoder and check the digest, struct hash and signer
//   node scripts/eas-interop.mjs verify-offchain FILE EAS_ADDRESS CHAIN_ID
//       verify an off-chain attestation package ({sig, signer}) with the SDK's
//       Offchain.verifyOffchainAttestationSignature, bound to that EAS and chain,
//       and decode its data with SchemaEncoder; prints JSON
//   node scripts/eas-interop.mjs sign-offchain REQUEST_FILE
//       sign an off-chain attestation with the SDK; the request is JSON
//       {privateKey, eas, chainId, version, statement, refUID, time,
//       expirationTime, salt}; prints the package JSON
//   node scripts/eas-interop.mjs decode-onchain RPC_URL EAS_ADDRESS UID
//       read an on-chain attestation with the SDK's EAS class and decode its
//       data with SchemaEncoder; prints JSON
//
// Exit status: 0 on success, 1 when a check fails, 2 on bad input.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JsonRpcProvider, TypedDataEncoder, Wallet, getAddress, verifyTypedData } from "ethers";

// The SDK's ESM build does not load under Node 20 (a named lodash import);
// its CommonJS build does.
const require = createRequire(import.meta.url);
const { EAS, Offchain, OffchainAttestationVersion, SchemaEncoder, SchemaRegistry, ZERO_ADDRESS } = require("@ethereum-attestation-service/eas-sdk");

const SCHEMA = "string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash";
const json = (v) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x));
const fail = (msg) => { console.error("eas-interop: " + msg); process.exit(1); };

function decode(data) {
  const out = {};
  for (const item of new SchemaEncoder(SCHEMA).decodeData(data)) out[item.name] = item.value.value;
  return out;
}

function vector(file) {
  const v = JSON.parse(readFileSync(file, "utf8"));
  const types = {
    Statement: [
      { name: "dataset", type: "string" }, { name: "version", type: "uint64" },
      { name: "merkleRoot", type: "bytes32" }, { name: "rowCount", type: "uint64" },
      { name: "manifestHash", type: "bytes32" }, { name: "reportHash", type: "bytes32" },
      { name: "parentRoot", type: "bytes32" },
    ],
  };
  const domain = { ...v.domain, chainId: BigInt(v.domain.chainId) };
  const digest = TypedDataEncoder.hash(domain, types, v.statement);
  const structHash = TypedDataEncoder.from(types).hash(v.statement);
  const sep = TypedDataEncoder.hashDomain(domain);
  if (digest !== v.digest) fail(`digest ${digest}, vector says ${v.digest}`);
  if (structHash !== v.structHash) fail(`struct hash ${structHash}, vector says ${v.structHash}`);
  if (sep !== v.domainSeparator) fail(`domain separator ${sep}, vector says ${v.domainSeparator}`);
  const signer = verifyTypedData(domain, types, v.statement, v.signature);
  if (signer !== getAddress(v.signer)) fail(`signature recovers to ${signer}, vector says ${v.signer}`);
  const wallet = new Wallet(v.privateKey);
  if (wallet.address !== signer) fail(`private key is ${wallet.address}`);
  console.log(json({ ok: true, digest, signer }));
}

function verifyOffchain(file, easAddress, chainId) {
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  const sig = pkg.sig;
  sig.domain.chainId = BigInt(sig.domain.chainId);
  sig.message.time = BigInt(sig.message.time);
  sig.message.expirationTime = BigInt(sig.message.expirationTime);
  const offchain = new Offchain(
    { address: getAddress(easAddress), version: sig.domain.version, chainId: BigInt(chainId) },
    OffchainAttestationVersion.Version2,
    null,
  );
  let ok = false;
  try {
    ok = offchain.verifyOffchainAttestationSignature(pkg.signer, sig);
  } catch (e) {
    fail(`the SDK rejects the attestation: ${e.constructor.name} ${e.message}`);
  }
  if (!ok) fail("the SDK says the signature or the UID does not verify");
  const schemaUID = SchemaRegistry.getSchemaUID(SCHEMA, ZERO_ADDRESS, true);
  if (sig.message.schema !== schemaUID) fail(`schema ${sig.message.schema}, want ${schemaUID}`);
  console.log(json({ ok: true, uid: sig.uid, signer: pkg.signer, decoded: decode(sig.message.data) }));
}

async function signOffchain(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const wallet = new Wallet(r.privateKey);
  const offchain = new Offchain(
    { address: getAddress(r.eas), version: r.version, chainId: BigInt(r.chainId) },
    OffchainAttestationVersion.Version2,
    null,
  );
  const s = r.statement;
  const data = new SchemaEncoder(SCHEMA).encodeData([
    { name: "dataset", type: "string", value: s.dataset },
    { name: "version", type: "uint64", value: BigInt(s.version) },
    { name: "merkleRoot", type: "bytes32", value: s.merkleRoot },
    { name: "rowCount", type: "uint64", value: BigInt(s.rowCount) },
    { name: "manifestHash", type: "bytes32", value: s.manifestHash },
    { name: "reportHash", type: "bytes32", value: s.reportHash },
  ]);
  const att = await offchain.signOffchainAttestation({
    schema: SchemaRegistry.getSchemaUID(SCHEMA, ZERO_ADDRESS, true),
    recipient: ZERO_ADDRESS,
    time: BigInt(r.time),
    expirationTime: BigInt(r.expirationTime ?? 0),
    revocable: true,
    refUID: r.refUID,
    data,
    salt: r.salt,
  }, wallet);
  console.log(json({ sig: att, signer: wallet.address }));
}

async function decodeOnchain(rpc, easAddress, uid) {
  const provider = new JsonRpcProvider(rpc, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const eas = new EAS(getAddress(easAddress));
  eas.connect(provider);
  const a = await eas.getAttestation(uid);
  provider.destroy();
  if (a.uid !== uid) fail(`attestation ${uid} not found`);
  console.log(json({ ok: true, uid: a.uid, attester: a.attester, schema: a.schema, refUID: a.refUID,
    revocationTime: a.revocationTime, expirationTime: a.expirationTime, decoded: decode(a.data) }));
}

const [cmd, ...args] = process.argv.slice(2);
try {
  switch (cmd) {
    case "vector": vector(args[0]); break;
    case "verify-offchain": verifyOffchain(args[0], args[1], args[2]); break;
    case "sign-offchain": await signOffchain(args[0]); break;
    case "decode-onchain": await decodeOnchain(args[0], args[1], args[2]); break;
    default:
      console.error("usage: eas-interop.mjs vector|verify-offchain|sign-offchain|decode-onchain ...");
      process.exit(2);
  }
} catch (e) {
  console.error("eas-interop: " + (e.stack ?? e));
  process.exit(2);
}
