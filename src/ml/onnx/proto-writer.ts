/**
 * Protobuf bytes of the large ONNX attributes (the per-node arrays of a tree ensemble), written straight
 * from typed arrays into one growing byte buffer. protobufjs, which spells the rest of the model
 * (graph.ts), keeps one JS object per encoded value; for a forest of a million nodes that took GBs. Here
 * the memory is the encoded bytes plus the caller's arrays.
 *
 * Field numbers and wire types are those of onnx.proto (AttributeProto, TensorProto). Repeated int64s
 * are written packed, which every protobuf parser reads for repeated scalars.
 *
 * @example
 *   const w = new ProtoWriter(); intsAttribute(w, 'nodes_treeids', ids); const bytes = w.finish();
 */

/** AttributeProto.type values (onnx.proto AttributeType). */
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;
const ATTR_STRINGS = 8;
/** TensorProto.DataType.DOUBLE. */
const DOUBLE = 11;
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** An unsigned varint, or a negative integer as its 64-bit two's complement (10 bytes). */
  varint(v: number): void {
    this.reserve(10);
    if (v < 0) {
      let b = BigInt.asUintN(64, BigInt(v));
      while (b > 0x7fn) {
        this.buf[this.pos++] = Number(b & 0x7fn) | 0x80;
        b >>= 7n;
      }
      this.buf[this.pos++] = Number(b);
      return;
    }
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(b.length);
    this.append(b);
  }

  /** Bytes that are already encoded fields. */
  append(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A length-delimited field whose body `write` appends; the body is written once, then moved behind its length. */
  message(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter(Math.max(1024, Math.min(this.buf.length, 1 << 20)));
    write(inner);
    this.bytes(field, inner.finish());
  }

  packedVarints(field: number, values: ArrayLike<number>): void {
    const body = new ProtoWriter(Math.max(16, values.length * 2));
    for (let i = 0; i < values.length; i++) body.varint(values[i]!);
    this.bytes(field, body.finish());
  }

  packedDoubles(field: number, values: ArrayLike<number>): void {
    this.tag(field, WIRE_LEN);
    this.varint(values.length * 8);
    this.reserve(values.length * 8);
    for (let i = 0; i < values.length; i++, this.pos += 8) this.view.setFloat64(this.pos, values[i]!, true);
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

function attributeHead(w: ProtoWriter, name: string, type: number): void {
  w.bytes(1, utf8.encode(name));
  w.tag(20, WIRE_VARINT);
  w.varint(type);
}

/** An INTS attribute (AttributeProto field 8). */
export function intsAttribute(name: string, values: ArrayLike<number>): Uint8Array {
  const w = new ProtoWriter(values.length * 3 + 64);
  attributeHead(w, name, ATTR_INTS);
  w.packedVarints(8, values);
  return w.finish();
}

/** A STRINGS attribute (AttributeProto field 9, one entry per value; equal strings are encoded once). */
export function stringsAttribute(name: string, values: readonly string[]): Uint8Array {
  const w = new ProtoWriter(values.length * 8 + 64);
  attributeHead(w, name, ATTR_STRINGS);
  const encoded = new Map<string, Uint8Array>();
  for (const s of values) {
    let b = encoded.get(s);
    if (!b) encoded.set(s, (b = utf8.encode(s)));
    w.bytes(9, b);
  }
  return w.finish();
}

/** A TENSOR attribute holding a 1-D double tensor named like the attribute (AttributeProto field 5). */
export function doublesAttribute(name: string, values: ArrayLike<number>): Uint8Array {
  const w = new ProtoWriter(values.length * 8 + 64);
  attributeHead(w, name, ATTR_TENSOR);
  w.message(5, (t) => {
    t.tag(1, WIRE_VARINT);
    t.varint(values.length);
    t.tag(2, WIRE_VARINT);
    t.varint(DOUBLE);
    t.bytes(8, utf8.encode(name));
    t.packedDoubles(10, values);
  });
  return w.finish();
}
