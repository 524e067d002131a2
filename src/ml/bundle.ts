/**
 * The model bundle: everything needed to score a row — preprocessors, the classifier, the feature
 * order and the provenance — in one byte string:
 *
 *   "NSMB" | u32 format version | u32 header length | header JSON (UTF-8) | padding to 8 | array payloads
 *
 * The header lists each typed array (owner, name, dtype, byte offset, length); payloads are 8-byte
 * aligned little-endian copies, so decoding is a few slices and a loaded model predicts bit for bit
 * what the saved one did.
 *
 * @example
 *   const bytes = encodeBundle(bundle); const again = decodeBundle(bytes, { schemaHash });
 */
import { NsError } from '../core/errors.js';
import type { ModelState, TypedArray } from './estimator.js';

export const BUNDLE_FORMAT_VERSION = 1;
const MAGIC = [0x4e, 0x53, 0x4d, 0x42]; // "NSMB"

export interface ModelBundle {
  featureNames: string[];
  schemaHash: string;
  trainingDataHash: string;
  metrics: Record<string, number>;
  libraryVersion: string;
  createdAt: string;
  preprocessors: ModelState[];
  model: ModelState;
}

type DType = 'f64' | 'f32' | 'i32' | 'u32' | 'i16' | 'u16' | 'i8' | 'u8';
const ctors: Record<DType, { new (buf: ArrayBuffer, off: number, len: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array,
};

function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int8Array) return 'i8';
  return 'u8';
}

interface ArrayRef { owner: number; name: string; dtype: DType; offset: number; length: number }
interface StateHeader { kind: string; params: Record<string, unknown>; json: Record<string, unknown> }
interface Header extends Omit<ModelBundle, 'preprocessors' | 'model'> {
  formatVersion: number;
  states: StateHeader[];
  arrays: ArrayRef[];
  payloadLength: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

export function encodeBundle(bundle: ModelBundle): Uint8Array {
  const states = [...bundle.preprocessors, bundle.model];
  const refs: ArrayRef[] = [];
  const payloads: TypedArray[] = [];
  let offset = 0;
  states.forEach((s, owner) => {
    for (const [name, arr] of Object.entries(s.arrays)) {
      refs.push({ owner, name, dtype: dtypeOf(arr), offset, length: arr.length });
      payloads.push(arr);
      offset = align8(offset + arr.byteLength);
    }
  });
  const { preprocessors: _p, model: _m, ...meta } = bundle;
  const header: Header = {
    ...meta,
    formatVersion: BUNDLE_FORMAT_VERSION,
    states: states.map((s) => ({ kind: s.kind, params: s.params, json: s.json })),
    arrays: refs,
    payloadLength: offset,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(12 + headerBytes.length);
  const out = new Uint8Array(start + offset);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, BUNDLE_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  refs.forEach((ref, i) => {
    const a = payloads[i]!;
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + ref.offset);
  });
  return out;
}

export interface DecodeExpectations {
  /** When given, a bundle made for another schema is refused. */
  schemaHash?: string;
}

export function decodeBundle(bytes: Uint8Array, expect: DecodeExpectations = {}): ModelBundle {
  const bad = (why: string): NsError =>
    new NsError('BUNDLE_INVALID', `The model bundle cannot be read: ${why}.`, { hint: 'Retrain or pull the bundle again; it may be truncated or from another tool.' });
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('it does not start with the NSMB marker');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== BUNDLE_FORMAT_VERSION) {
    throw new NsError('BUNDLE_VERSION', `The model bundle has format version ${version}; this build reads version ${BUNDLE_FORMAT_VERSION}.`, {
      hint: 'Retrain the model with this version of networksecurity.',
    });
  }
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw bad('the header is truncated');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Header;
  } catch {
    throw bad('the header is not JSON');
  }
  if (expect.schemaHash !== undefined && header.schemaHash !== expect.schemaHash) {
    throw new NsError('BUNDLE_SCHEMA_MISMATCH', `The model was trained for schema ${header.schemaHash.slice(0, 12)}, but the current schema is ${expect.schemaHash.slice(0, 12)}.`, {
      hint: 'Retrain the model on data of the current schema, or use the schema it was trained with.',
    });
  }
  const start = align8(12 + headerLength);
  if (bytes.length - start !== header.payloadLength) throw bad('the payload is truncated');
  // Copy the payload once into an aligned buffer so every typed array can view it directly. Through
  // Uint8Array's slice: a Node Buffer's own slice is a view that shares (and starts with) the file's bytes.
  const payload = Uint8Array.prototype.slice.call(bytes, start).buffer;
  const states: ModelState[] = header.states.map((s) => ({ ...s, arrays: {} }));
  for (const ref of header.arrays) {
    const C = ctors[ref.dtype];
    if (ref.offset + ref.length * C.BYTES_PER_ELEMENT > payload.byteLength) throw bad(`array ${ref.name} is truncated`);
    states[ref.owner]!.arrays[ref.name] = new C(payload, ref.offset, ref.length);
  }
  const { formatVersion: _v, states: _s, arrays: _a, payloadLength: _l, ...meta } = header;
  const model = states.pop();
  if (!model) throw bad('it holds no model');
  return { ...meta, preprocessors: states, model };
}
