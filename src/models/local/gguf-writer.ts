/**
 * A small GGUF v3 writer (header, typed metadata, tensor infos, aligned tensor data) with F32, F16 and
 * Q8_0 encoding. `@huggingface/gguf` can only rewrite the metadata of an existing file, so the project
 * writes its own tiny test models with this.
 *
 * Layout (all little-endian): "GGUF", version u32, tensor count u64, kv count u64; each kv = key string,
 * value type u32, value; each tensor info = name, n_dims u32, dims u64[] (innermost first), type u32,
 * offset u64 (relative to the data section); padding to the alignment; the tensor data, each aligned.
 */
import { writeFileSync } from "node:fs";

/** GGUF metadata value types. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
type ScalarType = Exclude<(typeof GgufValueType)[keyof typeof GgufValueType], 9>;

/** A metadata value: strings and booleans are typed by themselves, numbers need their type. */
export type GgufValue =
  | string
  | boolean
  | { type: ScalarType; value: number | bigint }
  | { type: "array"; itemType: ScalarType; values: readonly (string | number | bigint | boolean)[] };

export const u32 = (value: number): GgufValue => ({ type: GgufValueType.UINT32, value });
export const i32 = (value: number): GgufValue => ({ type: GgufValueType.INT32, value });
export const f32 = (value: number): GgufValue => ({ type: GgufValueType.FLOAT32, value });
export const strings = (values: readonly string[]): GgufValue => ({ type: "array", itemType: GgufValueType.STRING, values });
export const i32s = (values: readonly number[]): GgufValue => ({ type: "array", itemType: GgufValueType.INT32, values });

export type TensorEncoding = "F32" | "F16" | "Q8_0";
const GGML_TYPE: Record<TensorEncoding, number> = { F32: 0, F16: 1, Q8_0: 8 };

export interface GgufTensor {
  name: string;
  /** Dimensions innermost first (GGUF `ne` order): a PyTorch `[out, in]` weight is `[in, out]`. */
  dims: readonly number[];
  data: Float32Array;
  encoding?: TensorEncoding;
}

const ALIGNMENT = 32;

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  u64(v: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rem = this.length % ALIGNMENT;
    if (rem) this.push(Buffer.alloc(ALIGNMENT - rem));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeScalar(sink: ByteSink, type: ScalarType, v: string | number | bigint | boolean): void {
  const b = Buffer.alloc(8);
  switch (type) {
    case GgufValueType.STRING:
      return sink.str(String(v));
    case GgufValueType.BOOL:
      return sink.push(Buffer.from([v ? 1 : 0]));
    case GgufValueType.UINT8:
      return sink.push(Buffer.from([Number(v) & 0xff]));
    case GgufValueType.INT8:
      b.writeInt8(Number(v));
      return sink.push(b.subarray(0, 1));
    case GgufValueType.UINT16:
      b.writeUInt16LE(Number(v));
      return sink.push(b.subarray(0, 2));
    case GgufValueType.INT16:
      b.writeInt16LE(Number(v));
      return sink.push(b.subarray(0, 2));
    case GgufValueType.UINT32:
      b.writeUInt32LE(Number(v));
      return sink.push(b.subarray(0, 4));
    case GgufValueType.INT32:
      b.writeInt32LE(Number(v));
      return sink.push(b.subarray(0, 4));
    case GgufValueType.FLOAT32:
      b.writeFloatLE(Number(v));
      return sink.push(b.subarray(0, 4));
    case GgufValueType.UINT64:
      b.writeBigUInt64LE(BigInt(v));
      return sink.push(b);
    case GgufValueType.INT64:
      b.writeBigInt64LE(BigInt(v));
      return sink.push(b);
    case GgufValueType.FLOAT64:
      b.writeDoubleLE(Number(v));
      return sink.push(b);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  if (typeof value === "string") {
    sink.u32(GgufValueType.STRING);
    sink.str(value);
  } else if (typeof value === "boolean") {
    sink.u32(GgufValueType.BOOL);
    writeScalar(sink, GgufValueType.BOOL, value);
  } else if (value.type === "array") {
    sink.u32(GgufValueType.ARRAY);
    sink.u32(value.itemType);
    sink.u64(value.values.length);
    for (const v of value.values) writeScalar(sink, value.itemType, v);
  } else {
    sink.u32(value.type);
    writeScalar(sink, value.type, value.value);
  }
}

/** IEEE 754 half precision, round to nearest even. */
export function toHalf(x: number): number {
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

function encodeTensor(t: GgufTensor): Buffer {
  const enc = t.encoding ?? "F32";
  const n = t.data.length;
  if (enc === "F32") return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (enc === "F16") {
    const b = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) b.writeUInt16LE(toHalf(t.data[i]), i * 2);
    return b;
  }
  // Q8_0: blocks of 32 values, an f16 scale then 32 int8s.
  if (n % 32) throw new Error(`tensor ${t.name}: Q8_0 needs a multiple of 32 values, got ${n}`);
  const b = Buffer.alloc((n / 32) * 34);
  for (let blk = 0; blk < n / 32; blk++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(t.data[blk * 32 + i]));
    const d = amax / 127;
    const inv = d ? 1 / d : 0;
    b.writeUInt16LE(toHalf(d), blk * 34);
    for (let i = 0; i < 32; i++) b.writeInt8(Math.round(t.data[blk * 32 + i] * inv), blk * 34 + 2 + i);
  }
  return b;
}

/** Serialise a GGUF v3 file. */
export function encodeGguf(metadata: Readonly<Record<string, GgufValue>>, tensors: readonly GgufTensor[]): Buffer {
  const head = new ByteSink();
  head.push(Buffer.from("GGUF", "ascii"));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    head.str(key);
    writeValue(head, value);
  }
  const data = new ByteSink();
  for (const t of tensors) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims.join("×")} ≠ ${t.data.length} values`);
    data.pad();
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(GGML_TYPE[t.encoding ?? "F32"]);
    head.u64(data.length);
    data.push(encodeTensor(t));
  }
  head.pad();
  data.pad();
  return Buffer.concat([head.concat(), data.concat()]);
}

export function writeGguf(path: string, metadata: Readonly<Record<string, GgufValue>>, tensors: readonly GgufTensor[]): void {
  writeFileSync(path, encodeGguf(metadata, tensors));
}
