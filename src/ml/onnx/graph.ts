/**
 * A small builder over the ONNX protobuf classes of `onnx-proto` (generated from onnx.proto): nodes with
 * typed attributes, double initialisers, unique value names, and the final ModelProto bytes. The
 * exporter (export.ts) says what the graph computes; this file only says how it is spelled in ONNX.
 *
 * @example
 *   const g = new GraphBuilder(); const y = g.node('Sigmoid', [x]); const bytes = g.model({ ... });
 */
import onnxProto from 'onnx-proto';
import { NsError } from '../../core/errors.js';
import { ProtoWriter, doublesAttribute, intsAttribute, stringsAttribute } from './proto-writer.js';

const { onnx } = onnxProto;
const Attr = onnx.AttributeProto.AttributeType;
const DType = onnx.TensorProto.DataType;

/** Domain of the ONNX-ML operators (TreeEnsembleRegressor, LinearClassifier …). */
export const ML_DOMAIN = 'ai.onnx.ml';
/** IR version 8 and the opsets of that release (onnx 1.10+): every onnxruntime since 1.10 reads it. */
const IR_VERSION = 8;
const OPSET = 15;
const ML_OPSET = 3;
/** Protobuf's limit on one message (2 GiB - 1 byte): onnxruntime and the onnx package read no larger model. */
export const ONNX_MAX_BYTES = 2 ** 31 - 1;
/** GraphProto.node and NodeProto.attribute, ModelProto.graph (onnx.proto field numbers). */
const GRAPH_NODE = 1;
const NODE_ATTRIBUTE = 5;
const MODEL_GRAPH = 7;

export type AttrValue = number | string | number[] | string[] | { doubles: ArrayLike<number> } | { int64s: ArrayLike<number> };

/** A double tensor (shape given, row-major values). */
function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: DType.DOUBLE, doubleData: Array.from(values) };
}

/** Scalars, one string and float lists go through protobufjs; the array attributes are written as bytes (proto-writer.ts). */
function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto | Uint8Array {
  if (typeof v === 'string') return { name, type: Attr.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: Attr.INT, i: v } : { name, type: Attr.FLOAT, f: v };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return stringsAttribute(name, v);
    return { name, type: Attr.FLOATS, floats: v };
  }
  if ('doubles' in v) return doublesAttribute(name, v.doubles);
  return intsAttribute(name, v.int64s);
}

export interface ModelMeta {
  graphName: string;
  producerVersion: string;
  docString: string;
  input: { name: string; cols: number; doc: string };
  /** Graph outputs: name, element type and shape (a symbolic first dimension 'N'). */
  outputs: { name: string; type: 'double' | 'int64'; dims: (number | 'N')[]; doc: string }[];
  metadata: Record<string, string>;
}

/** A node: its small fields for protobufjs and its array attributes as encoded AttributeProto bytes. */
interface BuiltNode { proto: onnxProto.onnx.INodeProto; encoded: Uint8Array[] }

export class GraphBuilder {
  private readonly nodes: BuiltNode[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;
  private encodedBytes = 0;

  /** `maxBytes`: stop with ONNX_TOO_LARGE once the encoded attributes pass this size. */
  constructor(private readonly maxBytes = ONNX_MAX_BYTES) {}

  /** A fresh value name with the given stem. */
  name(stem: string): string {
    return `${stem}_${this.counter++}`;
  }

  /** A double constant (initialiser) of the given shape; returns its value name. */
  constant(stem: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.name(stem);
    this.inits.push(doubleTensor(name, dims, values));
    return name;
  }

  /** An int64 constant (initialiser), e.g. a shape for Reshape or class labels. */
  int64Constant(stem: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.name(stem);
    this.inits.push({ name, dims, dataType: DType.INT64, int64Data: Array.from(values) });
    return name;
  }

  /** Adds one node; returns the name of its (first) output, or the given output names. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: { domain?: string; outputs?: string[] } = {}): string {
    const outputs = opts.outputs ?? [this.name(op.toLowerCase())];
    const small: onnxProto.onnx.IAttributeProto[] = [];
    const encoded: Uint8Array[] = [];
    for (const [k, v] of Object.entries(attrs)) {
      const a = attribute(k, v);
      if (!(a instanceof Uint8Array)) {
        small.push(a);
        continue;
      }
      encoded.push(a);
      this.encodedBytes += a.length;
      if (this.encodedBytes > this.maxBytes) {
        throw new NsError('ONNX_TOO_LARGE', `The ONNX graph of this model would exceed ${this.maxBytes.toLocaleString('en-US')} bytes, more than an ONNX file can hold.`, {
          hint: 'Export a smaller model (fewer or shallower trees).', details: { maxBytes: this.maxBytes },
        });
      }
    }
    this.nodes.push({
      proto: { opType: op, domain: opts.domain ?? '', input: inputs, output: outputs, name: this.name(`${op}_node`), attribute: small },
      encoded,
    });
    return outputs[0]!;
  }

  /** The serialised ModelProto. */
  model(meta: ModelMeta): Uint8Array {
    const valueInfo = (name: string, elem: number, dims: (number | 'N')[], doc: string): onnxProto.onnx.IValueInfoProto => ({
      name, docString: doc,
      type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (d === 'N' ? { dimParam: 'N' } : { dimValue: d })) } } },
    });
    // The graph's nodes are written field by field so the encoded array attributes are copied, never
    // turned back into objects; protobufjs spells the other fields. Fields may come in any order.
    const graph = new ProtoWriter(1 << 16);
    for (const n of this.nodes) {
      graph.message(GRAPH_NODE, (w) => {
        w.append(onnx.NodeProto.encode(n.proto).finish());
        for (const a of n.encoded) w.bytes(NODE_ATTRIBUTE, a);
      });
    }
    graph.append(onnx.GraphProto.encode({
      name: meta.graphName,
      initializer: this.inits,
      input: [valueInfo(meta.input.name, DType.DOUBLE, ['N', meta.input.cols], meta.input.doc)],
      output: meta.outputs.map((o) => valueInfo(o.name, o.type === 'double' ? DType.DOUBLE : DType.INT64, o.dims, o.doc)),
    }).finish());
    const model = new ProtoWriter(graph.length + (1 << 16));
    model.append(onnx.ModelProto.encode({
      irVersion: IR_VERSION,
      producerName: 'networksecurity',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      opsetImport: [{ domain: '', version: OPSET }, { domain: ML_DOMAIN, version: ML_OPSET }],
      metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
    }).finish());
    model.bytes(MODEL_GRAPH, graph.finish());
    return model.finish();
  }
}
