// The attestation statement (SPEC §12.1) and the DatasetRegistry's read
// functions, through the caller's node.
import { AbiCoder, Contract, getAddress, JsonRpcProvider, keccak256, toUtf8Bytes, hexlify, TypedDataEncoder, verifyTypedData } from "ethers";
import { ChainError, MismatchError, NotAttestedError, RevokedError } from "./errors.js";

const ZERO = "0x" + "00".repeat(32);
/** keccak256 of the Statement type string. */
export const STATEMENT_TYPEHASH = keccak256(toUtf8Bytes(
  "Statement(string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash,bytes32 parentRoot)"));

/** What stewards sign for a version. */
export interface Statement {
  dataset: string; version: bigint; merkleRoot: string; rowCount: bigint;
  manifestHash: string; reportHash: string; parentRoot: string;
}

/** What the registry stores for a version. */
export interface RegistryRecord {
  merkleRoot: string; statementHash: string; rowCount: bigint;
  attestedBlock: bigint; attestedAt: bigint; revoked: boolean;
}

/** The statement of a parsed manifest whose canonical bytes hash to manifestHash. */
export function statementOf(m: any, manifestHash: Uint8Array): Statement {
  return {
    dataset: m.dataset, version: BigInt(m.version), merkleRoot: m.merkleRoot, rowCount: BigInt(m.rowCount),
    manifestHash: hexlify(manifestHash), reportHash: m.reportHash ?? ZERO,
    parentRoot: m.parent ? m.parent.merkleRoot : ZERO,
  };
}

/** The EIP-712 struct hash of a statement, as the registry stores it. */
export function statementHash(s: Statement): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(
    ["bytes32", "bytes32", "uint64", "bytes32", "uint64", "bytes32", "bytes32", "bytes32"],
    [STATEMENT_TYPEHASH, keccak256(toUtf8Bytes(s.dataset)), s.version, s.merkleRoot, s.rowCount,
      s.manifestHash, s.reportHash, s.parentRoot]));
}

/** The steward set and threshold the caller trusts. */
export interface Trust { stewards: string[]; threshold: number }

const STATEMENT_TYPES = { Statement: [
  { name: "dataset", type: "string" }, { name: "version", type: "uint64" }, { name: "merkleRoot", type: "bytes32" },
  { name: "rowCount", type: "uint64" }, { name: "manifestHash", type: "bytes32" }, { name: "reportHash", type: "bytes32" },
  { name: "parentRoot", type: "bytes32" }] };

function signatureProblem(f: any, s: Statement, chainId: bigint, registry: string): string | null {
  if (f?.backend !== "registry" || f?.purpose !== "attest") return `backend: ${f?.backend}/${f?.purpose}, want registry/attest`;
  if (BigInt(f.chainId) !== chainId) return `chain: ${f.chainId}, want ${chainId}`;
  if (!f.registry || getAddress(f.registry) !== getAddress(registry)) return `contract: ${f.registry}, want ${registry}`;
  const t = f.statement ?? {};
  if (t.dataset !== s.dataset || BigInt(t.version) !== s.version || t.merkleRoot !== s.merkleRoot || BigInt(t.rowCount) !== s.rowCount ||
    t.manifestHash !== s.manifestHash || t.reportHash !== s.reportHash || t.parentRoot !== s.parentRoot) {
    return "statement: another statement than this version's";
  }
  return null;
}

/** The scheme of a contract steward's signature file (EIP-1271, e.g. a Safe). */
export const SCHEME_EIP1271 = "eip1271";
/** What isValidSignature(bytes32,bytes) returns for a valid signature (EIP-1271). */
export const EIP1271_MAGIC = "0x1626ba7e";
const EIP1271_ABI = ["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"];

const ABI = [
  "function statementOf(string dataset, uint64 version) view returns (tuple(bytes32 merkleRoot, bytes32 statementHash, uint64 rowCount, uint64 attestedBlock, uint64 attestedAt, bool revoked))",
];

/** Reads a DatasetRegistry at address through the caller's node rpcUrl. */
export class Registry {
  private readonly contract: Contract;
  readonly provider: JsonRpcProvider;

  constructor(rpcUrl: string, readonly address: string) {
    this.provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
    this.contract = new Contract(address, ABI, this.provider);
  }

  /** statementOf(dataset, version). */
  async record(dataset: string, version: bigint): Promise<RegistryRecord> {
    try {
      const r = await this.contract.statementOf(dataset, version);
      return { merkleRoot: r[0], statementHash: r[1], rowCount: r[2], attestedBlock: r[3], attestedAt: r[4], revoked: r[5] };
    } catch (e) {
      throw new ChainError(`statementOf(${dataset}, ${version}) at ${this.address}: ${(e as Error).message}`);
    }
  }

  /** Throws unless the registry holds exactly statement s, attested and not revoked. */
  async check(s: Statement): Promise<RegistryRecord> {
    const ref = `${s.dataset}@${s.version}`;
    const rec = await this.record(s.dataset, s.version);
    if (rec.attestedBlock === 0n) throw new NotAttestedError(`${ref} is not attested on the registry ${this.address}`);
    if (rec.revoked) throw new RevokedError(`${ref} was revoked on the registry ${this.address}`);
    const want = statementHash(s);
    if (rec.statementHash !== want) {
      throw new NotAttestedError(`${ref}: the registry ${this.address} attested another statement (struct hash ${rec.statementHash}, the manifest's is ${want})`);
    }
    if (rec.merkleRoot !== s.merkleRoot || rec.rowCount !== s.rowCount) {
      throw new MismatchError(`${ref}: the registry's root or row count differs from the manifest's`);
    }
    return rec;
  }

  /**
   * Throws unless at least trust.threshold distinct stewards of the caller's
   * set signed statement s for this registry and chain: the signature files
   * of the server's evidence are recovered (EIP-712, SPEC §12.1) and counted;
   * a contract steward's ("scheme": "eip1271") is checked with the contract's
   * isValidSignature through the caller's node.
   */
  async checkStewards(s: Statement, evidence: any, trust: Trust): Promise<string[]> {
    const ref = `${s.dataset}@${s.version}`;
    const chainId = (await this.provider.getNetwork()).chainId;
    const domain = { name: "groundtruth DatasetRegistry", version: "1", chainId, verifyingContract: this.address };
    const value = { ...s };
    const trusted = new Set(trust.stewards.map((a) => getAddress(a)));
    const signers = new Set<string>();
    const refused: string[] = [];
    for (const [i, f] of ((evidence?.signatures ?? []) as any[]).entries()) {
      const why = signatureProblem(f, s, chainId, this.address);
      if (why) { refused.push(`signatures[${i}].${why}`); continue; }
      if (f.scheme === SCHEME_EIP1271) {
        const why1271 = await this.contractSignatureProblem(f.signer, TypedDataEncoder.hash(domain, STATEMENT_TYPES, value), f.signature);
        if (why1271) refused.push(`signatures[${i}].signature: ${why1271}`);
        else if (!trusted.has(getAddress(f.signer))) refused.push(`signatures[${i}].steward: ${f.signer} is not one of your stewards`);
        else signers.add(getAddress(f.signer));
        continue;
      }
      if (f.scheme) { refused.push(`signatures[${i}].scheme: ${JSON.stringify(f.scheme)}, want none or ${SCHEME_EIP1271}`); continue; }
      let who: string;
      try {
        who = verifyTypedData(domain, STATEMENT_TYPES, value, f.signature);
      } catch (e) {
        refused.push(`signatures[${i}].signature: ${(e as Error).message}`);
        continue;
      }
      if (who !== getAddress(f.signer)) refused.push(`signatures[${i}].signature: recovers ${who}, not ${f.signer}`);
      else if (!trusted.has(who)) refused.push(`signatures[${i}].steward: ${who} is not one of your stewards`);
      else signers.add(who);
    }
    if (signers.size < trust.threshold) {
      throw new NotAttestedError(`${ref}: ${signers.size} of your stewards signed, you require ${trust.threshold}` +
        (refused.length ? ` (${refused.join("; ")})` : ""));
    }
    return [...signers];
  }

  /**
   * Asks a contract steward (EIP-1271, e.g. a Safe) through the caller's node
   * whether signature is its signature of digest: isValidSignature(digest,
   * signature) must return the magic value 0x1626ba7e. Returns why not, or
   * null. A contract's answer reflects its current state (a Safe whose owners
   * changed may refuse a signature it accepted when the registry recorded it).
   */
  async contractSignatureProblem(steward: string, digest: string, signature: string): Promise<string | null> {
    let addr: string;
    try { addr = getAddress(steward); } catch { return `the steward ${JSON.stringify(steward)} is not an address`; }
    if ((await this.provider.getCode(addr)) === "0x") return `${addr} has no code: a contract signature needs a contract steward`;
    try {
      const got: string = await new Contract(addr, EIP1271_ABI, this.provider).isValidSignature(digest, signature);
      return got.toLowerCase() === EIP1271_MAGIC ? null : `${addr}'s isValidSignature returned ${got}, not ${EIP1271_MAGIC}`;
    } catch (e) {
      return `${addr}'s isValidSignature refused the signature (${(e as Error).message.split("\n")[0]})`;
    }
  }

  /** Releases the provider. */
  destroy(): void {
    this.provider.destroy();
  }
}

