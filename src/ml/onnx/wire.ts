/**
 * Protobuf wire encoding by hand, for the few ONNX fields that hold one value per tree node. The
 * generated `onnx-proto` encoder keeps an operation object per written value until `finish()`, about
 * 30 bytes of heap per byte of output: a 100-tree forest fitted on 50,000 distinct rows took 1.8 GB
 * to export. Here the values go straight into one growing byte buffer, and graph.ts splices the bytes
 * into the message `onnx-proto` encodes (fields of a protobuf message may come in any order, and a
 * repeated field's elements are read in the order written).
 *
 * Packed encoding for repeated numbers, as `onnx-proto` writes them.
 *
 * @example
 *   const bytes = attributeBytes('nodes_treeids', { int64s: [0, 0, 1] });
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

export class WireWriter {
  private buf = new Uint8Array(256);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  /** An int64 as a varint: non-negative integers up to 2^53 directly, negative ones as 64-bit two's complement. */
  varint(v: number): this {
    if (v < 0) return this.bigVarint(BigInt.asUintN(64, BigInt(v)));
    this.room(10);
    let n = v;
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.at++] = n;
    return this;
  }

  private bigVarint(v: bigint): this {
    this.room(10);
    let n = v;
    while (n >= 0x80n) {
      this.buf[this.at++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.at++] = Number(n);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** A length-delimited field: bytes, a string or an embedded message. */
  bytes(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LEN).varint(bytes.length);
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  int(field: number, v: number): this {
    return this.tag(field, WIRE_VARINT).varint(v);
  }

  packedVarints(field: number, values: ArrayLike<number>): this {
    const inner = new WireWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]!);
    return this.bytes(field, inner.finish());
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    this.tag(field, WIRE_LEN).varint(values.length * 8);
    this.room(values.length * 8);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.at, values.length * 8);
    for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
    this.at += values.length * 8;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

/** `parts` joined into one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One length-delimited field holding `bytes` (an embedded message). */
export function lenField(field: number, bytes: Uint8Array): Uint8Array {
  return new WireWriter().bytes(field, bytes).finish();
}

// onnx.proto field numbers and enum values used below.
const ATTR = { name: 1, t: 5, ints: 8, strings: 9, type: 20 } as const;
const ATTR_TYPE = { TENSOR: 4, INTS: 7, STRINGS: 8 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, doubleData: 10 } as const;
const TENSOR_DOUBLE = 11;

export type BulkAttr = string[] | { doubles: ArrayLike<number> } | { int64s: ArrayLike<number> };

/** An AttributeProto holding many values (INTS, STRINGS, or a 1-D double TENSOR), encoded. */
export function attributeBytes(name: string, v: BulkAttr): Uint8Array {
  const w = new WireWriter().string(ATTR.name, name);
  if (Array.isArray(v)) {
    const utf8 = new Map<string, Uint8Array>();
    const encoder = new TextEncoder();
    for (const s of v) {
      let b = utf8.get(s);
      if (b === undefined) utf8.set(s, (b = encoder.encode(s)));
      w.bytes(ATTR.strings, b);
    }
    return w.int(ATTR.type, ATTR_TYPE.STRINGS).finish();
  }
  if ('doubles' in v) {
    const t = new WireWriter().packedVarints(TENSOR.dims, [v.doubles.length]).int(TENSOR.dataType, TENSOR_DOUBLE).string(TENSOR.name, name);
    t.packedDoubles(TENSOR.doubleData, v.doubles);
    return w.bytes(ATTR.t, t.finish()).int(ATTR.type, ATTR_TYPE.TENSOR).finish();
  }
  return w.packedVarints(ATTR.ints, v.int64s).int(ATTR.type, ATTR_TYPE.INTS).finish();
}
