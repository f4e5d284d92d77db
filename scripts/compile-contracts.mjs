#!/usr/bin/env node
// compile-contracts.mjs compiles the Solidity sources in attest/contracts with the solc npm
// package (solcjs, standard JSON input) and writes, for each deployable contract, its ABI
// (<Name>.abi) and creation bytecode (<Name>.bin) to the output folder, by default
// attest/contracts/build. It also copies the ABIs of EAS and SchemaRegistry from the
// @ethereum-attestation-service/eas-contracts artifacts (ABI only: their bytecode is read
// from node_modules at test time). The output is deterministic: fixed compiler settings,
// no metadata hash in the bytecode, sorted file names, stable JSON formatting.
//
// Usage: node scripts/compile-contracts.mjs [output-folder]

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));
const solc = require("solc");

const srcDir = path.join(root, "attest", "contracts");
const outDir = path.resolve(process.argv[2] ?? path.join(srcDir, "build"));
const nodeModules = path.join(root, "node_modules");

// The contracts whose ABI and bytecode are written; abstract contracts and libraries
// with only internal functions are compiled as dependencies only.
const deployable = ["DatasetRegistry", "EventEmitter", "TestGovernor", "TestTimelock", "TestToken"];
const easArtifacts = {
  EAS: "@ethereum-attestation-service/eas-contracts/artifacts/contracts/EAS.sol/EAS.json",
  SchemaRegistry:
    "@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json",
};
const maxCodeSize = 24576; // EIP-170

function input() {
  const sources = {};
  for (const f of fs.readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort()) {
    sources[f] = { content: fs.readFileSync(path.join(srcDir, f), "utf8") };
  }
  return {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      metadata: { bytecodeHash: "none", useLiteralContent: true },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
}

// findImports resolves "@scope/pkg/..." imports from node_modules and nothing else.
function findImports(importPath) {
  const full = path.join(nodeModules, importPath);
  if (!importPath.startsWith("@") || !full.startsWith(nodeModules + path.sep)) {
    return { error: `import ${importPath} not found (only node_modules packages are resolved)` };
  }
  try {
    return { contents: fs.readFileSync(full, "utf8") };
  } catch (err) {
    return { error: `import ${importPath}: ${err.message} (run npm ci)` };
  }
}

function compile() {
  const out = JSON.parse(solc.compile(JSON.stringify(input()), { import: findImports }));
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  // Report everything about our sources; of the dependencies, report only errors.
  const ours = (e) => e.severity === "error" || !(e.sourceLocation?.file ?? "").startsWith("@");
  for (const e of (out.errors ?? []).filter(ours)) {
    process.stderr.write(e.formattedMessage ?? e.message);
  }
  if (errors.length > 0) {
    throw new Error(`solc reported ${errors.length} error(s)`);
  }
  return out;
}

function write(name, data) {
  fs.writeFileSync(path.join(outDir, name), data);
}

function writeContracts(out) {
  for (const name of deployable) {
    const file = `${name}.sol`;
    const c = out.contracts[file]?.[name];
    if (!c) throw new Error(`contract ${name} not found in ${file}`);
    const size = c.evm.deployedBytecode.object.length / 2;
    if (size > maxCodeSize) throw new Error(`${name}: runtime code is ${size} bytes, over ${maxCodeSize}`);
    write(`${name}.abi`, JSON.stringify(c.abi, null, 2) + "\n");
    write(`${name}.bin`, c.evm.bytecode.object);
    process.stdout.write(`${name}: ${size} bytes of runtime code\n`);
  }
}

function writeEASAbis() {
  for (const [name, rel] of Object.entries(easArtifacts)) {
    const artifact = JSON.parse(fs.readFileSync(path.join(nodeModules, rel), "utf8"));
    write(`${name}.abi`, JSON.stringify(artifact.abi, null, 2) + "\n");
  }
}

fs.mkdirSync(outDir, { recursive: true });
process.stdout.write(`solc ${solc.version()}\n`);
writeContracts(compile());
writeEASAbis();
