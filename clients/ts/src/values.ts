// The value forms of the server's JSON (rows, JSONL) and of Arrow columns, in
// one place. Both turn into the stored value that the canonical encoding
// (SPEC §3) takes: bigint for every integer type, timestamps (µs) and float64
// bits; Uint8Array for string (UTF-8), bytes, address and bytes32; boolean.
import { getAddress, hexlify } from "ethers";
import { Type, type Data } from "apache-arrow";
import { ValueFormError } from "./errors.js";

/** A stored value: null, a boolean, an integer or the bytes of a value. */
export type Stored = null | boolean | bigint | Uint8Array;

export const CANONICAL_NAN = 0x7ff8000000000000n;
const INT_BITS: Record<string, number> = { int8: 8, int16: 16, int32: 32, int64: 64, int256: 256 };
const UINT_BITS: Record<string, number> = { uint8: 8, uint16: 16, uint32: 32, uint64: 64, uint256: 256 };
const DEC = /^[+-]?[0-9]+$/;
const RFC3339 = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|z|[+-][0-9]{2}:[0-9]{2})$/;
const enc = new TextEncoder();

/** The IEEE-754 bits of a double, NaN canonicalised (SPEC §3.3). */
export function floatBits(x: number): bigint {
  if (Number.isNaN(x)) return CANONICAL_NAN;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}

function canonNaN(bits: bigint): bigint {
  const exp = (bits >> 52n) & 0x7ffn;
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0x7ffn && frac !== 0n ? CANONICAL_NAN : bits;
}

function integer(col: string, v: unknown, lo: bigint, hi: bigint): bigint {
  let n: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === "string" && DEC.test(v)) n = BigInt(v);
  else throw new ValueFormError(`column ${col}: ${JSON.stringify(v)} is not a decimal integer`);
  if (n < lo || n > hi) throw new ValueFormError(`column ${col}: ${n} is out of range [${lo}, ${hi}]`);
  return n;
}

function hexBytes(col: string, v: unknown, size?: number): Uint8Array {
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v)) {
    throw new ValueFormError(`column ${col}: ${JSON.stringify(v)} is not 0x-prefixed hex`);
  }
  const b = Uint8Array.from(Buffer.from(v.slice(2), "hex"));
  if (size !== undefined && b.length !== size) {
    throw new ValueFormError(`column ${col}: ${v} has ${b.length} bytes, want ${size}`);
  }
  return b;
}

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function timestamp(col: string, v: unknown): bigint {
  if ((typeof v === "string" && DEC.test(v)) || typeof v === "number") {
    return integer(col, v, -(1n << 63n), (1n << 63n) - 1n);
  }
  const m = typeof v === "string" ? RFC3339.exec(v) : null;
  if (!m) throw new ValueFormError(`column ${col}: ${JSON.stringify(v)} is neither decimal microseconds nor an RFC 3339 time`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const frac = m[7] ?? "";
  if (frac.length > 6) throw new ValueFormError(`column ${col}: ${v} has more than 6 fractional digits`);
  let secs = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s);
  const off = m[8];
  if (off !== "Z" && off !== "z") {
    const sign = off[0] === "+" ? 1n : -1n;
    secs -= sign * BigInt(Number(off.slice(1, 3)) * 3600 + Number(off.slice(4, 6)) * 60);
  }
  return secs * 1_000_000n + BigInt(frac.padEnd(6, "0"));
}

/** Parse a JSON value of either form (readable or canonical) for column col of logical type typ. */
export function parseValue(col: string, typ: string, v: unknown): Stored {
  if (v === null) return null;
  if (typ === "bool") {
    if (typeof v !== "boolean") throw new ValueFormError(`column ${col}: ${JSON.stringify(v)} is not true or false`);
    return v;
  }
  if (typ in INT_BITS) {
    const b = BigInt(INT_BITS[typ]);
    return integer(col, v, -(1n << (b - 1n)), (1n << (b - 1n)) - 1n);
  }
  if (typ in UINT_BITS) return integer(col, v, 0n, (1n << BigInt(UINT_BITS[typ])) - 1n);
  if (typ === "float64") {
    if (typeof v === "number") return floatBits(v);
    if (typeof v === "string" && /^0x[0-9a-fA-F]{16}$/.test(v)) return canonNaN(BigInt(v));
    if (v === "NaN") return CANONICAL_NAN;
    if (v === "Infinity") return 0x7ff0000000000000n;
    if (v === "-Infinity") return 0xfff0000000000000n;
    throw new ValueFormError(`column ${col}: ${JSON.stringify(v)} is not a float64 value`);
  }
  if (typ === "timestamp") return timestamp(col, v);
  if (typ === "string") {
    if (typeof v !== "string") throw new ValueFormError(`column ${col}: ${JSON.stringify(v)} is not a string`);
    return enc.encode(v);
  }
  if (typ === "bytes") return hexBytes(col, v);
  if (typ === "bytes32") return hexBytes(col, v, 32);
  if (typ === "address") {
    const b = hexBytes(col, v, 20);
    const body = (v as string).slice(2);
    if (body !== body.toLowerCase() && body !== body.toUpperCase() && getAddress(hexlify(b)) !== v) {
      throw new ValueFormError(`column ${col}: ${v} fails its EIP-55 checksum`);
    }
    return b;
  }
  throw new ValueFormError(`column ${col}: unknown logical type ${typ}`);
}

/**
 * The stored value of row i of an Arrow column (one Data chunk), read from the
 * raw buffers: timestamps stay exact microseconds (the library's get() gives
 * float milliseconds), float64 keeps its bits, strings their stored bytes.
 */
export function arrowValue(col: string, typ: string, data: Data, i: number): Stored {
  if (data.nullCount > 0 && !isValid(data, i)) return null;
  const j = data.offset + i;
  switch (data.typeId) {
    case Type.Bool: {
      const bit = data.offset + i;
      return ((data.values[bit >> 3] >> (bit & 7)) & 1) === 1;
    }
    case Type.Int:
    case Type.Timestamp:
      return BigInt(data.values[j]);
    case Type.Float: {
      const dv = new DataView(data.values.buffer, data.values.byteOffset + 8 * j, 8);
      return canonNaN(dv.getBigUint64(0, true));
    }
    case Type.Utf8:
    case Type.Binary: {
      const o = data.valueOffsets as Int32Array;
      return data.values.subarray(o[j], o[j + 1]);
    }
    case Type.FixedSizeBinary: {
      const n = (data.type as unknown as { byteWidth: number }).byteWidth;
      return data.values.subarray(j * n, (j + 1) * n);
    }
  }
  throw new ValueFormError(`column ${col}: Arrow type ${data.type} cannot hold a ${typ}`);
}

function isValid(data: Data, i: number): boolean {
  const bm = data.nullBitmap;
  if (!bm || bm.length === 0) return true;
  const bit = data.offset + i;
  return ((bm[bit >> 3] >> (bit & 7)) & 1) === 1;
}
