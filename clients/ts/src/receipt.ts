// Decision receipts (format groundtruth-receipt/1), the same documents as the
// Go client's client.Receipt: what an agent read, checkable later without
// the server. verifyReceipt checks each read's manifest against its
// statement, the statement on the caller's registry, and every row's values
// and proof against the attested root; the Go VerifyReceipt accepts the
// receipts written here and this function accepts the Go client's.
import { hexlify } from "ethers";
import { canonicalJSON, sha256 } from "./encode.js";
import { GroundtruthError } from "./errors.js";
import { Registry, statementOf } from "./registry.js";
import { verifyRow, type Row, type Version } from "./client.js";

/** The receipt format identifier. */
export const RECEIPT_FORMAT = "groundtruth-receipt/1";

/** One row read, with its proof. */
export interface ReadRow {
  index: number; values: Record<string, unknown>;
  proof: { index: number; size: number; leaf: string; path: string[]; root: string }; at: string;
}

/** What was read of one version. */
export interface Read {
  dataset: string; version: number; statement: Record<string, unknown>; manifest: string;
  evidence: unknown; attestation: unknown; whole: boolean; at: string; rows: ReadRow[];
}

/** The receipt document. */
export interface ReceiptDoc { format: string; note: string; server: string; createdAt: string; reads: Read[] }

/** One check of verifyReceipt. */
export interface ReceiptCheck { check: string; ok: boolean; detail: string }

function statementJSON(v: Version) {
  const s = statementOf(v.manifest, Buffer.from(v.manifestHash.slice(2), "hex"));
  return { dataset: s.dataset, version: Number(s.version), merkleRoot: s.merkleRoot, rowCount: Number(s.rowCount),
    manifestHash: s.manifestHash, reportHash: s.reportHash, parentRoot: s.parentRoot };
}

/** A receipt being written. */
export class Receipt {
  readonly doc: ReceiptDoc;

  constructor(note: string, server: string) {
    this.doc = { format: RECEIPT_FORMAT, note, server, createdAt: new Date().toISOString(), reads: [] };
  }

  private read(v: Version): Read {
    let r = this.doc.reads.find((x) => x.dataset === v.dataset && x.version === v.version);
    if (!r) {
      r = { dataset: v.dataset, version: v.version, statement: statementJSON(v), manifest: Buffer.from(v.manifestBytes).toString(),
        evidence: v.evidence, attestation: v.attestation, whole: false, at: new Date().toISOString(), rows: [] };
      this.doc.reads.push(r);
    }
    return r;
  }

  /** Record a verified row. */
  addRow(row: Row): void {
    const p = row.proof;
    this.read(row.version).rows.push({ index: Number(row.index), values: row.values,
      proof: { index: Number(p.index), size: Number(p.size), leaf: p.leaf, path: p.path, root: p.root }, at: new Date().toISOString() });
  }

  /** Record that a whole verified version was read. */
  addVersion(v: Version): void {
    this.read(v).whole = true;
  }

  /** The receipt as indented JSON. */
  marshal(): string {
    return JSON.stringify(this.doc, null, 2);
  }
}

/** Parse a receipt document. */
export function parseReceipt(text: string): ReceiptDoc {
  const d = JSON.parse(text);
  if (d.format !== RECEIPT_FORMAT) throw new GroundtruthError(`receipt: format ${JSON.stringify(d.format)}, want ${RECEIPT_FORMAT}`);
  return d;
}

/** Check a receipt without the server against the registry the caller trusts; returns every check. */
export async function verifyReceipt(doc: ReceiptDoc, registry: Registry): Promise<ReceiptCheck[]> {
  const out: ReceiptCheck[] = [];
  for (const [i, rd] of doc.reads.entries()) {
    const name = `reads[${i}] ${rd.dataset}@${rd.version}`;
    const raw = Buffer.from(rd.manifest);
    const mh = sha256(raw);
    let m: any;
    try {
      m = JSON.parse(rd.manifest);
    } catch (e) {
      out.push({ check: name + ".manifest", ok: false, detail: (e as Error).message });
      continue;
    }
    if (canonicalJSON(m) !== rd.manifest) {
      out.push({ check: name + ".manifest", ok: false, detail: "the manifest is not canonical JSON" });
      continue;
    }
    const st = statementOf(m, mh);
    const s = rd.statement as any;
    const same = s.dataset === st.dataset && BigInt(s.version) === st.version && s.merkleRoot === st.merkleRoot &&
      BigInt(s.rowCount) === st.rowCount && s.manifestHash === st.manifestHash && s.reportHash === st.reportHash &&
      s.parentRoot === st.parentRoot && m.dataset === rd.dataset && Number(m.version) === rd.version;
    out.push({ check: name + ".statement", ok: same, detail: `the manifest gives root ${st.merkleRoot}, ${st.rowCount} rows, manifest ${hexlify(mh)}` });
    let record;
    try {
      record = await registry.check(st);
      out.push({ check: name + ".attestation", ok: true, detail: `attested on the registry ${registry.address} in block ${record.attestedBlock}` });
    } catch (e) {
      out.push({ check: name + ".attestation", ok: false, detail: (e as Error).message });
    }
    const v: Version = { dataset: rd.dataset, version: rd.version, schema: m.schema, rowCount: BigInt(m.rowCount), merkleRoot: m.merkleRoot,
      manifestHash: hexlify(mh), manifest: m, manifestBytes: raw, record: record!, evidence: rd.evidence, attestation: rd.attestation };
    rd.rows.forEach((row, j) => {
      try {
        verifyRow(v, { dataset: rd.dataset, version: rd.version, index: row.index, values: row.values, proof: row.proof }, BigInt(row.index));
        out.push({ check: `${name}.rows[${j}]`, ok: true, detail: `row ${row.index}: its values and proof lead to the attested root` });
      } catch (e) {
        out.push({ check: `${name}.rows[${j}]`, ok: false, detail: `row ${row.index}: ${(e as Error).message}` });
      }
    });
  }
  return out;
}
