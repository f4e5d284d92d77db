// The canonical row encoding (SPEC §3), leaves, the RFC 6962 tree (§4, §5)
// and canonical JSON (§7.2).
import { createHash } from "node:crypto";
import { ValueFormError } from "./errors.js";
import type { Stored } from "./values.js";

/** A column of a manifest's schema. */
export interface Column { name: string; type: string; nullable: boolean }
/** A manifest's schema. */
export interface Schema { columns: Column[]; key: string[] }

const WORD = 1n << 256n;

function word(n: bigint): Uint8Array {
  let x = ((n % WORD) + WORD) % WORD;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0 && x > 0n; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** The canonical bytes of a row of stored values in schema order. */
export function encodeRow(schema: Schema, stored: Stored[]): Uint8Array {
  const cols = schema.columns;
  if (stored.length !== cols.length) throw new ValueFormError(`row has ${stored.length} values, the schema ${cols.length} columns`);
  let mask = 0n;
  const head: Uint8Array[] = [];
  const tails: Uint8Array[] = [];
  let offset = 32 * (cols.length + 1);
  cols.forEach((c, i) => {
    const v = stored[i];
    if (v === null) {
      if (!c.nullable) throw new ValueFormError(`column ${c.name}: null in a non-nullable column`);
      mask |= 1n << BigInt(i);
    }
    if (c.type === "string" || c.type === "bytes") {
      const data = (v as Uint8Array | null) ?? new Uint8Array(0);
      const tail = new Uint8Array(32 + Math.ceil(data.length / 32) * 32);
      tail.set(word(BigInt(data.length)));
      tail.set(data, 32);
      head.push(word(BigInt(offset)));
      tails.push(tail);
      offset += tail.length;
    } else if (v === null) {
      head.push(new Uint8Array(32));
    } else if (typeof v === "boolean") {
      head.push(word(v ? 1n : 0n));
    } else if (typeof v === "bigint") {
      head.push(word(v));
    } else {
      const w = new Uint8Array(32);
      w.set(v, 32 - v.length); // address right-aligned; bytes32 fills the word
      head.push(w);
    }
  });
  return Buffer.concat([word(mask), ...head, ...tails]);
}

/** SHA-256 of the concatenation of parts. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** SHA-256(0x00 ‖ row bytes). */
export const leafHash = (row: Uint8Array) => sha256(Uint8Array.of(0), row);
/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

/** Incremental RFC 6962 root: push leaves in order, then root(). */
export class RootBuilder {
  private stack: { size: number; hash: Uint8Array }[] = [];
  count = 0;

  push(leaf: Uint8Array): void {
    let h = leaf;
    let size = 1;
    while (this.stack.length && this.stack[this.stack.length - 1].size === size) {
      h = nodeHash(this.stack.pop()!.hash, h);
      size *= 2;
    }
    this.stack.push({ size, hash: h });
    this.count++;
  }

  root(): Uint8Array {
    if (!this.stack.length) return sha256();
    let h = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) h = nodeHash(this.stack[i].hash, h);
    return h;
  }
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when malformed. */
export function rootFromInclusion(index: bigint, size: bigint, leaf: Uint8Array, path: Uint8Array[]): Uint8Array | null {
  if (index < 0n || index >= size) return null;
  let fn = index, sn = size - 1n, r = leaf;
  for (const p of path) {
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) while (fn !== 0n && (fn & 1n) === 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

/** Canonical JSON (SPEC §7.2) of a parsed manifest: sorted keys, no spaces, Go's escapes. */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "number") return String(v);
  if (typeof v === "string") {
    return JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"));
  }
  if (Array.isArray(v)) return "[" + v.map(canonicalJSON).join(",") + "]";
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return "{" + keys.map((k) => canonicalJSON(k) + ":" + canonicalJSON(o[k])).join(",") + "}";
}

/** Equal bytes. */
export function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
