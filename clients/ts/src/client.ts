// The verifying HTTP client: it trusts the server for nothing.
import { compressionRegistry, CompressionType, tableFromIPC, type Table } from "apache-arrow";
import { decompress } from "fzstd";
import { getBytes, hexlify } from "ethers";
import { canonicalJSON, encodeRow, eq, leafHash, rootFromInclusion, RootBuilder, sha256, type Schema } from "./encode.js";
import { APIError, GroundtruthError, ManifestHashError, MerkleRootError, MismatchError, ProofError, SegmentError } from "./errors.js";
import { Registry, statementOf, type RegistryRecord, type Trust } from "./registry.js";
import { EAS, type EASRecord } from "./eas.js";
import { Receipt } from "./receipt.js";
import { arrowValue, parseValue, type Stored } from "./values.js";

// The official Arrow library reads zstd-compressed IPC bodies only with a codec registered.
// Typed arrays over the output need 8-byte alignment, so a misaligned result is copied.
compressionRegistry.set(CompressionType.ZSTD, {
  decode: (b: Uint8Array) => {
    const out = decompress(b);
    return out.byteOffset % 8 === 0 ? out : out.slice();
  },
});

/** A version whose manifest and attestation verified. */
export interface Version {
  dataset: string; version: number; schema: Schema; rowCount: bigint; merkleRoot: string;
  manifestHash: string; manifest: any; manifestBytes: Uint8Array;
  /** What the chain says: the registry's record, or the EAS attestations that count. */
  record: RegistryRecord | EASRecord;
  /** The server's attestation evidence and summary (recorded in receipts; the chain is what is trusted). */
  evidence: unknown; attestation: unknown;
}

/** A row whose inclusion proof verified against its version's attested root. */
export interface Row {
  version: Version; index: bigint; values: Record<string, unknown>;
  proof: { index: string; size: string; leaf: string; path: string[]; root: string };
}

/** Options of a Client. */
export interface ClientOptions {
  /** The server, e.g. http://127.0.0.1:8484. */
  baseUrl: string;
  /** Your Ethereum node's JSON-RPC URL. */
  rpcUrl: string;
  /** The DatasetRegistry address you trust (backend "registry"). */
  registry?: string;
  /**
   * How versions are attested: "registry" (default), "eas" (on-chain EAS
   * attestations: each UID of the evidence read with getAttestation) or
   * "offchain" (EAS off-chain attestations, their EIP-712 signatures checked
   * here and revocations read with getRevokeOffchain). EAS has no steward
   * set of its own: with "eas" and "offchain", trust is required.
   */
  backend?: "registry" | "eas" | "offchain";
  /** The EAS contract you trust (backends "eas" and "offchain"). */
  eas?: string;
  /** Bearer token. */
  token?: string;
  /**
   * Your steward set and threshold. When set, the server's evidence must hold
   * signatures of at least threshold of these stewards (besides the registry's
   * record); without it the registry's own steward set is trusted.
   */
  trust?: Trust;
  /**
   * The value form asked for: "canonical" (default; values=canonical, SPEC §10)
   * or "server" (the server's default, readable where it has value forms).
   * Both verify: values.ts parses either form.
   */
  valueForm?: "canonical" | "server";
  /** fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

function hash32(where: string, v: unknown): Uint8Array {
  if (typeof v !== "string" || !/^0x[0-9a-f]{64}$/i.test(v)) throw new ProofError(`${where}: ${JSON.stringify(v)} is not a 32-byte hash`);
  return getBytes(v);
}

/** A client of a groundtruth server that verifies every answer on the caller's chain. */
export class Client {
  /** The registry (backend "registry"). */
  readonly registry!: Registry;
  /** EAS (backends "eas" and "offchain"). */
  readonly eas?: EAS;
  private readonly base: string;
  private readonly f: typeof fetch;
  private readonly versions = new Map<string, Version>();
  private canonicalParam = true;

  constructor(readonly opts: ClientOptions) {
    this.base = opts.baseUrl.replace(/\/$/, "");
    const backend = opts.backend ?? "registry";
    if (backend === "registry") {
      if (!opts.registry) throw new GroundtruthError(`the registry backend needs the registry address (options.registry)`);
      this.registry = new Registry(opts.rpcUrl, opts.registry);
    } else if (backend === "eas" || backend === "offchain") {
      if (!opts.eas) throw new GroundtruthError(`the ${backend} backend needs the EAS contract address (options.eas)`);
      if (!opts.trust || opts.trust.stewards.length === 0 || opts.trust.threshold < 1) {
        throw new GroundtruthError(`the ${backend} backend needs your steward set and threshold (options.trust): EAS has no steward set of its own`);
      }
      this.eas = new EAS(opts.rpcUrl, opts.eas);
    } else {
      throw new GroundtruthError(`backend ${JSON.stringify(backend)}: want registry, eas or offchain`);
    }
    this.f = opts.fetch ?? fetch;
    this.canonicalParam = opts.valueForm !== "server";
  }

  /** Releases the chain connection. */
  close(): void {
    this.registry?.destroy();
    this.eas?.destroy();
  }

  private async get(path: string, params?: Record<string, string>): Promise<Uint8Array> {
    const url = this.base + path + (params && Object.keys(params).length ? "?" + new URLSearchParams(params) : "");
    let resp: Response;
    try {
      resp = await this.f(url, { headers: this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {} });
    } catch (e) {
      throw new GroundtruthError(`GET ${url}: ${(e as Error).message}`);
    }
    const body = new Uint8Array(await resp.arrayBuffer());
    if (!resp.ok) {
      let env: any = {};
      try { env = JSON.parse(Buffer.from(body).toString()); } catch { /* not an envelope */ }
      throw new APIError(env.status ?? resp.status, env.errorType ?? "", env.error ?? Buffer.from(body.subarray(0, 200)).toString());
    }
    return body;
  }

  /** GET with values=canonical; a server from before value forms refuses it (400), then ask without. */
  private async getValues(path: string, params: Record<string, string> = {}): Promise<Uint8Array> {
    if (this.canonicalParam) {
      try {
        return await this.get(path, { ...params, values: "canonical" });
      } catch (e) {
        if (!(e instanceof APIError && e.status === 400 && e.detail.includes('"values"'))) throw e;
        this.canonicalParam = false;
      }
    }
    return this.get(path, params);
  }

  private vpath(dataset: string, v: number | string) {
    return `/v1/datasets/${encodeURIComponent(dataset)}/versions/${v}`;
  }

  /** Verify and return a version: a number, or "latest" (the server's claim, verified like any other). */
  async version(dataset: string, version: number | "latest" = "latest"): Promise<Version> {
    const doc = JSON.parse(Buffer.from(await this.get(this.vpath(dataset, version))).toString());
    const n = Number(doc.version);
    if (version !== "latest" && n !== version) throw new MismatchError(`asked for ${dataset}@${version}, the server answered version ${n}`);
    const cached = this.versions.get(`${dataset}@${n}`);
    if (cached) return cached;
    const claimed = hash32(`${dataset}@${n} manifestHash`, doc.manifestHash);
    const raw = await this.get(this.vpath(dataset, n) + "/manifest");
    const got = sha256(raw);
    if (!eq(got, claimed)) throw new ManifestHashError(`${dataset}@${n}: the manifest hashes to ${hexlify(got)}, the server claims ${hexlify(claimed)}`);
    const text = Buffer.from(raw).toString();
    const m = JSON.parse(text);
    if (canonicalJSON(m) !== text) throw new ManifestHashError(`${dataset}@${n}: the manifest is not canonical JSON (SPEC §7.2)`);
    if (m.dataset !== dataset || Number(m.version) !== n) throw new MismatchError(`asked for ${dataset}@${n}, the manifest is of ${m.dataset}@${m.version}`);
    const st = statementOf(m, got);
    const evidence = JSON.parse(Buffer.from(await this.get(this.vpath(dataset, n) + "/evidence")).toString());
    let record: RegistryRecord | EASRecord;
    if (this.eas) {
      record = this.opts.backend === "eas" ? await this.eas.checkOnchain(st, evidence, this.opts.trust!) : await this.eas.checkOffchain(st, evidence, this.opts.trust!);
    } else {
      record = await this.registry.check(st);
      if (this.opts.trust) await this.registry.checkStewards(st, evidence, this.opts.trust);
    }
    const v: Version = { dataset, version: n, schema: m.schema, rowCount: BigInt(m.rowCount), merkleRoot: m.merkleRoot,
      manifestHash: hexlify(got), manifest: m, manifestBytes: raw, record, evidence, attestation: doc.attestation };
    this.versions.set(`${dataset}@${n}`, v);
    return v;
  }

  /** Start a receipt for a decision. */
  newReceipt(note: string): Receipt {
    return new Receipt(note, this.base);
  }

  /** Row index of a version, its values and proof checked against the attested root. */
  async row(dataset: string, version: number | "latest", index: number | bigint): Promise<Row> {
    const v = await this.version(dataset, version);
    const doc = JSON.parse(Buffer.from(await this.getValues(this.vpath(dataset, v.version) + `/rows/${index}`)).toString());
    return verifyRow(v, doc, BigInt(index));
  }

  /** The row whose key columns have these values (either value form), verified. */
  async rowByKey(dataset: string, version: number | "latest", key: Record<string, string>): Promise<Row> {
    const v = await this.version(dataset, version);
    const doc = JSON.parse(Buffer.from(await this.getValues(this.vpath(dataset, v.version) + "/rows", key)).toString());
    const row = verifyRow(v, doc, null);
    for (const [k, want] of Object.entries(key)) {
      const col = v.schema.columns.find((c) => c.name === k);
      if (!col) throw new MismatchError(`${dataset}@${v.version}: ${k} is not a column`);
      const a = parseValue(k, col.type, row.values[k]);
      const b = parseValue(k, col.type, want);
      if (String(a instanceof Uint8Array ? hexlify(a) : a) !== String(b instanceof Uint8Array ? hexlify(b) : b)) {
        throw new MismatchError(`${dataset}@${v.version}: asked for ${k}=${want}, the row has ${JSON.stringify(row.values[k])}`);
      }
    }
    return row;
  }

  /**
   * Download every segment file of a version, check each against the SHA-256
   * and size its attested manifest names, decode it (zstd Arrow IPC), recompute
   * every row's leaf from the raw Arrow buffers and the Merkle root, and only
   * then return the tables (one per segment, in row order).
   */
  async fetchVersion(dataset: string, version: number | "latest" = "latest"): Promise<{ version: Version; tables: Table[] }> {
    const v = await this.version(dataset, version);
    const ref = `${v.dataset}@${v.version}`;
    const rb = new RootBuilder();
    const tables: Table[] = [];
    for (const [i, seg] of (v.manifest.segments as any[]).entries()) {
      const body = await this.get(this.vpath(dataset, v.version) + "/segments/" + seg.sha256);
      const h = hexlify(sha256(body));
      if (h !== seg.sha256 || body.length !== Number(seg.bytes)) {
        throw new SegmentError(`${ref} segments[${i}]: ${body.length} bytes hashing to ${h}, the manifest names ${seg.bytes} bytes, ${seg.sha256}`);
      }
      const t = tableFromIPC(body);
      checkFields(ref, i, v.schema, t);
      const rows = pushLeaves(v.schema, t, rb);
      if (rows !== Number(seg.rows)) throw new SegmentError(`${ref} segments[${i}]: ${rows} rows, the manifest names ${seg.rows}`);
      tables.push(t);
    }
    checkRoot(ref, v, rb);
    return { version: v, tables };
  }

  /**
   * Download the version's full Arrow IPC stream (`data`, one request; its
   * record batches are the segment files' bytes), decode it and check every
   * row's leaf and the root against the attested ones before returning it.
   */
  async fetchData(dataset: string, version: number | "latest" = "latest"): Promise<{ version: Version; table: Table }> {
    const v = await this.version(dataset, version);
    const ref = `${v.dataset}@${v.version}`;
    const body = await this.get(this.vpath(dataset, v.version) + "/data", { format: "arrow" });
    const rb = new RootBuilder();
    let t: Table;
    try {
      t = tableFromIPC(body);
      pushLeaves(v.schema, t, rb);
    } catch (e) {
      if (e instanceof GroundtruthError) throw e;
      throw new MerkleRootError(`${ref}: the Arrow stream does not decode: ${(e as Error).message}`);
    }
    checkRoot(ref, v, rb);
    return { version: v, table: t };
  }
}

/** Push the leaf of every row of t (read from the raw Arrow buffers) and return the row count. */
function pushLeaves(schema: Schema, t: Table, rb: RootBuilder): number {
  let rows = 0;
  for (const batch of t.batches) {
    const datas = schema.columns.map((c, i) => {
      const child = batch.getChildAt(i);
      if (!child || batch.schema.fields[i].name !== c.name) throw new MismatchError(`Arrow field ${i} is not column ${c.name}`);
      return child.data[0];
    });
    for (let r = 0; r < batch.numRows; r++) {
      const stored: Stored[] = schema.columns.map((col, c) => arrowValue(col.name, col.type, datas[c], r));
      rb.push(leafHash(encodeRow(schema, stored)));
    }
    rows += batch.numRows;
  }
  return rows;
}

function checkRoot(ref: string, v: Version, rb: RootBuilder): void {
  const root = hexlify(rb.root());
  if (BigInt(rb.count) !== v.rowCount || root !== v.merkleRoot) {
    throw new MerkleRootError(`${ref}: ${rb.count} rows hashing to ${root}, the attested root is ${v.merkleRoot} over ${v.rowCount} rows`);
  }
}

function checkFields(ref: string, seg: number, schema: Schema, t: Table): void {
  const fields = t.schema.fields;
  if (fields.length !== schema.columns.length) throw new SegmentError(`${ref} segments[${seg}]: ${fields.length} fields, the schema has ${schema.columns.length} columns`);
  schema.columns.forEach((c, i) => {
    const f = fields[i];
    const typ = f.metadata.get("groundtruth.type");
    if (f.name !== c.name || typ !== c.type) throw new SegmentError(`${ref} segments[${seg}] field ${i}: ${f.name} (${typ}), want ${c.name} (${c.type})`);
  });
}

/** Verify a row document (rows/{i} or rows?key) against the verified version v. */
export function verifyRow(v: Version, doc: any, index: bigint | null): Row {
  const ref = `${v.dataset}@${v.version}`;
  const got = BigInt(doc.index);
  if (doc.dataset !== v.dataset || Number(doc.version) !== v.version) throw new MismatchError(`asked for a row of ${ref}, the server answered one of ${doc.dataset}@${doc.version}`);
  if (index !== null && got !== index) throw new MismatchError(`${ref}: asked for row ${index}, the server answered row ${got}`);
  const p = doc.proof;
  if (BigInt(p.index) !== got || BigInt(p.size) !== v.rowCount) throw new ProofError(`${ref} row ${got}: the proof is for index ${p.index} of ${p.size} rows`);
  const root = hash32(`${ref} row ${got} proof root`, p.root);
  if (hexlify(root) !== v.merkleRoot) throw new ProofError(`${ref} row ${got}: the proof's root ${p.root} is not the attested root ${v.merkleRoot}`);
  const stored = v.schema.columns.map((c) => parseValue(c.name, c.type, doc.values[c.name] === undefined ? missing(c.name) : doc.values[c.name]));
  const leaf = leafHash(encodeRow(v.schema, stored));
  const path = (p.path as unknown[]).map((h, i) => hash32(`${ref} row ${got} proof path[${i}]`, h));
  const r = rootFromInclusion(got, v.rowCount, leaf, path);
  if (!r || !eq(r, root)) throw new ProofError(`${ref} row ${got}: the values and proof do not lead to the attested root (leaf ${hexlify(leaf)})`);
  return { version: v, index: got, values: doc.values, proof: { index: String(got), size: String(v.rowCount), leaf: hexlify(leaf), path: path.map((x) => hexlify(x)), root: v.merkleRoot } };
}

function missing(name: string): never {
  throw new ProofError(`the row lacks column ${name}`);
}
