// EAS attestations (on-chain `attest/eas` and off-chain `attest/offchain`),
// checked on the caller's node against the caller's steward set: EAS has no
// steward set of its own, so the caller names the stewards and threshold.
import { AbiCoder, Contract, getAddress, JsonRpcProvider, keccak256, solidityPacked, toUtf8Bytes, verifyTypedData, ZeroAddress } from "ethers";
import { ChainError, NotAttestedError, RevokedError } from "./errors.js";
import type { Statement, Trust } from "./registry.js";

/** groundtruth's EAS schema (the parent root is not part of it: lineage is the refUID). */
export const EAS_SCHEMA = "string dataset,uint64 version,bytes32 merkleRoot,uint64 rowCount,bytes32 manifestHash,bytes32 reportHash";
/** The schema's UID as EAS's SchemaRegistry computes it: no resolver, revocable. */
export const EAS_SCHEMA_UID = keccak256(solidityPacked(["string", "address", "bool"], [EAS_SCHEMA, ZeroAddress, true]));
const ZERO = "0x" + "00".repeat(32);
const SCHEMA_TYPES = ["string", "uint64", "bytes32", "uint64", "bytes32", "bytes32"];
/** The version 2 Attest type of EAS off-chain attestations, in order. */
const ATTEST_TYPES = [
  { name: "version", type: "uint16" }, { name: "schema", type: "bytes32" }, { name: "recipient", type: "address" },
  { name: "time", type: "uint64" }, { name: "expirationTime", type: "uint64" }, { name: "revocable", type: "bool" },
  { name: "refUID", type: "bytes32" }, { name: "data", type: "bytes" }, { name: "salt", type: "bytes32" }];

const ABI = [
  "function getAttestation(bytes32 uid) view returns (tuple(bytes32 uid, bytes32 schema, uint64 time, uint64 expirationTime, uint64 revocationTime, bytes32 refUID, address recipient, address attester, bool revocable, bytes data))",
  "function getRevokeOffchain(address revoker, bytes32 data) view returns (uint64)",
];

/** What the EAS check found: the stewards whose attestations count and one line per attestation looked at. */
export interface EASRecord { backend: "eas" | "offchain"; signers: string[]; checks: string[] }

/** The attestation data of a statement under EAS_SCHEMA (abi.encode of six fields). */
export function encodeSchemaData(s: Statement): string {
  return AbiCoder.defaultAbiCoder().encode(SCHEMA_TYPES, [s.dataset, s.version, s.merkleRoot, s.rowCount, s.manifestHash, s.reportHash]);
}

/** Why data does not attest statement s (its parent root aside), or null. */
function dataProblem(data: string, s: Statement): string | null {
  if (data.toLowerCase() === encodeSchemaData(s).toLowerCase()) return null;
  try {
    const [d, v, root] = AbiCoder.defaultAbiCoder().decode(SCHEMA_TYPES, data);
    return `its data attests ${d}@${v} (root ${root}), not ${s.dataset}@${s.version} (root ${s.merkleRoot}) with this manifest`;
  } catch {
    return `its data is not ${EAS_SCHEMA}`;
  }
}

/** The UID of an off-chain attestation message as the EAS SDK's getOffchainUID computes it for version 2. */
export function offchainUID(m: any): string {
  return keccak256(solidityPacked(
    ["uint16", "bytes", "address", "address", "uint64", "uint64", "bool", "bytes32", "bytes", "bytes32", "uint32"],
    [m.version, toUtf8Bytes(m.schema), m.recipient, ZeroAddress, BigInt(m.time), BigInt(m.expirationTime), m.revocable, m.refUID, m.data, m.salt, 0]));
}

/** Reads EAS at address through the caller's node rpcUrl. */
export class EAS {
  readonly provider: JsonRpcProvider;
  private readonly contract: Contract;

  constructor(rpcUrl: string, readonly address: string) {
    this.provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
    this.contract = new Contract(address, ABI, this.provider);
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new ChainError(`${what} on EAS ${this.address}: ${(e as Error).message}`);
    }
  }

  /**
   * Throws unless at least trust.threshold distinct stewards of the caller's
   * set attested statement s on EAS: every on-chain attestation UID in the
   * server's evidence is read with getAttestation and must carry the
   * groundtruth schema, the statement as data, the steward as attester, no
   * revocation and no past expiry (its refUID must be the same steward's
   * attestation of an earlier version); a revoked one makes the version revoked.
   */
  async checkOnchain(s: Statement, evidence: any, trust: Trust): Promise<EASRecord> {
    const trusted = new Set(trust.stewards.map((a) => getAddress(a)));
    const signers = new Set<string>();
    const checks: string[] = [];
    const now = BigInt(Math.floor(Date.now() / 1000));
    for (const [i, f] of ((evidence?.signatures ?? []) as any[]).entries()) {
      const uid = f?.delegated?.uid;
      if (f?.purpose !== "attest" || typeof uid !== "string") continue;
      const a = await this.call(`getAttestation(${uid})`, () => this.contract.getAttestation(uid));
      const who = a.attester as string;
      let why: string | null = null;
      if (a.uid === ZERO) why = "not found";
      else if (getAddress(who) !== getAddress(f.signer)) why = `made by ${who}, not by ${f.signer}`;
      else if (a.schema !== EAS_SCHEMA_UID) why = `schema ${a.schema} is not the groundtruth schema ${EAS_SCHEMA_UID}`;
      else if (a.revocationTime !== 0n) {
        throw new RevokedError(`${s.dataset}@${s.version}: the EAS attestation ${uid} by ${who} was revoked at ${new Date(Number(a.revocationTime) * 1000).toISOString()}`);
      } else if (a.expirationTime !== 0n && now >= a.expirationTime) why = `expired at ${new Date(Number(a.expirationTime) * 1000).toISOString()}`;
      else why = dataProblem(a.data, s) ?? await this.lineageProblem(a, s);
      if (why === null && !trusted.has(getAddress(who))) why = `${who} is not one of your stewards`;
      checks.push(`eas[${i}] ${uid}: ${why ?? `attested by ${who}, data matches, not revoked`}`);
      if (why === null) signers.add(getAddress(who));
    }
    return this.threshold("eas", s, signers, checks, trust);
  }

  private async lineageProblem(a: any, s: Statement): Promise<string | null> {
    if (a.refUID === ZERO) return null;
    const p = await this.call(`getAttestation(${a.refUID})`, () => this.contract.getAttestation(a.refUID));
    if (p.schema !== EAS_SCHEMA_UID) return `refUID ${a.refUID} is not a groundtruth attestation`;
    if (getAddress(p.attester) !== getAddress(a.attester)) return `refUID ${a.refUID} was made by ${p.attester}, not by the same steward`;
    try {
      const [d, v] = AbiCoder.defaultAbiCoder().decode(SCHEMA_TYPES, p.data);
      if (d !== s.dataset || BigInt(v) >= s.version) return `refUID ${a.refUID} attests ${d}@${v}, not an earlier version of ${s.dataset}`;
    } catch {
      return `refUID ${a.refUID} is not a groundtruth attestation`;
    }
    return null;
  }

  /**
   * Throws unless at least trust.threshold distinct stewards of the caller's
   * set signed an EAS off-chain attestation of statement s for this chain and
   * EAS contract: each package of the evidence is checked as the EAS SDK's
   * verifyOffchainAttestationSignature does (version 2 Attest types, UID,
   * EIP-712 signature by the package's signer), its schema and data must be
   * the statement, and getRevokeOffchain(signer, uid) must be 0 (else the
   * version is revoked).
   */
  async checkOffchain(s: Statement, evidence: any, trust: Trust): Promise<EASRecord> {
    const chainId = (await this.call("eth_chainId", () => this.provider.getNetwork())).chainId;
    const trusted = new Set(trust.stewards.map((a) => getAddress(a)));
    const signers = new Set<string>();
    const checks: string[] = [];
    const now = BigInt(Math.floor(Date.now() / 1000));
    for (const [i, f] of ((evidence?.signatures ?? []) as any[]).entries()) {
      if (f?.purpose !== "attest" || f?.backend !== "offchain" || !f.offchain) continue;
      const pkg = typeof f.offchain === "string" ? JSON.parse(f.offchain) : f.offchain;
      const why = offchainProblem(pkg, s, chainId, this.address);
      if (why) { checks.push(`offchain[${i}]: ${why}`); continue; }
      const a = pkg.sig;
      const signer = getAddress(pkg.signer);
      if (a.message.expirationTime && BigInt(a.message.expirationTime) !== 0n && now >= BigInt(a.message.expirationTime)) {
        checks.push(`offchain[${i}] ${a.uid}: expired`); continue;
      }
      const t = await this.call(`getRevokeOffchain(${signer}, ${a.uid})`, () => this.contract.getRevokeOffchain(signer, a.uid));
      if (t !== 0n) {
        throw new RevokedError(`${s.dataset}@${s.version}: the off-chain attestation ${a.uid} by ${signer} was revoked on EAS ${this.address} at ${new Date(Number(t) * 1000).toISOString()}`);
      }
      if (!trusted.has(signer)) { checks.push(`offchain[${i}] ${a.uid}: ${signer} is not one of your stewards`); continue; }
      checks.push(`offchain[${i}] ${a.uid}: signed by ${signer}, data matches, not revoked`);
      signers.add(signer);
    }
    return this.threshold("offchain", s, signers, checks, trust);
  }

  private threshold(backend: "eas" | "offchain", s: Statement, signers: Set<string>, checks: string[], trust: Trust): EASRecord {
    if (signers.size < trust.threshold) {
      throw new NotAttestedError(`${s.dataset}@${s.version}: ${signers.size} of your stewards attested it on EAS ${this.address} (${backend}), you require ${trust.threshold}` +
        (checks.length ? ` (${checks.join("; ")})` : " (the evidence names no EAS attestation)"));
    }
    return { backend, signers: [...signers], checks };
  }

  /** Releases the provider. */
  destroy(): void {
    this.provider.destroy();
  }
}

/** Why an off-chain attestation package does not attest s for chainId and eas, or null. */
function offchainProblem(pkg: any, s: Statement, chainId: bigint, eas: string): string | null {
  const a = pkg?.sig;
  const m = a?.message;
  if (!a || !m || typeof pkg.signer !== "string") return "not an EAS off-chain attestation package";
  if (a.version !== 2 || m.version !== 2) return `off-chain attestation version ${a.version}/${m.version}, want 2`;
  if (a.primaryType !== "Attest" || JSON.stringify(a.types) !== JSON.stringify({ Attest: ATTEST_TYPES })) return "its types are not EAS's version 2 Attest";
  if (a.domain?.name !== "EAS Attestation") return `domain name ${a.domain?.name}, want "EAS Attestation"`;
  if (BigInt(a.domain.chainId) !== chainId) return `for chain ${a.domain.chainId}, your node is chain ${chainId}`;
  if (getAddress(a.domain.verifyingContract) !== getAddress(eas)) return `for EAS ${a.domain.verifyingContract}, not ${eas}`;
  let uid: string;
  try {
    uid = offchainUID(m);
  } catch (e) {
    return `malformed message: ${(e as Error).message}`;
  }
  if (uid !== a.uid?.toLowerCase()) return `its uid ${a.uid} is not the UID of its message (${uid})`;
  let who: string;
  try {
    who = verifyTypedData(a.domain, { Attest: ATTEST_TYPES }, m, a.signature);
  } catch (e) {
    return `signature: ${(e as Error).message}`;
  }
  if (who !== getAddress(pkg.signer)) return `the signature recovers to ${who}, not to the signer ${pkg.signer}`;
  if (m.schema !== EAS_SCHEMA_UID) return `schema ${m.schema} is not the groundtruth schema ${EAS_SCHEMA_UID}`;
  return dataProblem(m.data, s);
}
