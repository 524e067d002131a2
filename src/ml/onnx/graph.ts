/**
 * A small builder over the ONNX protobuf classes of `onnx-proto` (generated from onnx.proto): nodes with
 * typed attributes, double initialisers, unique value names, and the final ModelProto bytes. The
 * exporter (export.ts) says what the graph computes; this file only says how it is spelled in ONNX.
 *
 * @example
 *   const g = new GraphBuilder(); const y = g.node('Sigmoid', [x]); const bytes = g.model({ ... });
 */
import onnxProto from 'onnx-proto';
import { attributeBytes, concatBytes, lenField } from './wire.js';

const { onnx } = onnxProto;
const Attr = onnx.AttributeProto.AttributeType;
const DType = onnx.TensorProto.DataType;

/** Domain of the ONNX-ML operators (TreeEnsembleRegressor, LinearClassifier …). */
export const ML_DOMAIN = 'ai.onnx.ml';
/** IR version 8 and the opsets of that release (onnx 1.10+): every onnxruntime since 1.10 reads it. */
const IR_VERSION = 8;
const OPSET = 15;
const ML_OPSET = 3;

export type AttrValue = number | string | number[] | string[] | { doubles: ArrayLike<number> } | { int64s: ArrayLike<number> };

/** A double tensor (shape given, row-major values). */
function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: DType.DOUBLE, doubleData: Array.from(values) };
}

/** A small attribute as an `onnx-proto` object, or a bulk one (one value per tree node) encoded by wire.ts. */
function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto | Uint8Array {
  if (typeof v === 'string') return { name, type: Attr.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: Attr.INT, i: v } : { name, type: Attr.FLOAT, f: v };
  if (Array.isArray(v) && !v.every((x) => typeof x === 'string')) return { name, type: Attr.FLOATS, floats: v };
  return attributeBytes(name, v);
}

// onnx.proto field numbers of the messages graph.ts splices: GraphProto.node, NodeProto.attribute, ModelProto.graph.
const GRAPH_NODE = 1;
const NODE_ATTRIBUTE = 5;
const MODEL_GRAPH = 7;

export interface ModelMeta {
  graphName: string;
  producerVersion: string;
  docString: string;
  input: { name: string; cols: number; doc: string };
  /** Graph outputs: name, element type and shape (a symbolic first dimension 'N'). */
  outputs: { name: string; type: 'double' | 'int64'; dims: (number | 'N')[]; doc: string }[];
  metadata: Record<string, string>;
}

export class GraphBuilder {
  /** Each node: its `onnx-proto` fields and its bulk attributes, already encoded. */
  private readonly nodes: { proto: onnxProto.onnx.INodeProto; bulk: Uint8Array[] }[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private counter = 0;

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
    const all = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({
      proto: { opType: op, domain: opts.domain ?? '', input: inputs, output: outputs, name: this.name(`${op}_node`), attribute: all.filter((a): a is onnxProto.onnx.IAttributeProto => !(a instanceof Uint8Array)) },
      bulk: all.filter((a): a is Uint8Array => a instanceof Uint8Array),
    });
    return outputs[0]!;
  }

  /** The serialised ModelProto. */
  model(meta: ModelMeta): Uint8Array {
    const valueInfo = (name: string, elem: number, dims: (number | 'N')[], doc: string): onnxProto.onnx.IValueInfoProto => ({
      name, docString: doc,
      type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (d === 'N' ? { dimParam: 'N' } : { dimValue: d })) } } },
    });
    // The graph's nodes are encoded one by one, each followed by its bulk attributes, ahead of the
    // graph's other fields; the graph is appended to the model's other fields (see wire.ts).
    const nodes = this.nodes.map((n) => lenField(GRAPH_NODE, concatBytes([onnx.NodeProto.encode(n.proto).finish(), ...n.bulk.map((a) => lenField(NODE_ATTRIBUTE, a))])));
    const graph = onnx.GraphProto.encode({
      name: meta.graphName,
      initializer: this.inits,
      input: [valueInfo(meta.input.name, DType.DOUBLE, ['N', meta.input.cols], meta.input.doc)],
      output: meta.outputs.map((o) => valueInfo(o.name, o.type === 'double' ? DType.DOUBLE : DType.INT64, o.dims, o.doc)),
    }).finish();
    const model = onnx.ModelProto.encode({
      irVersion: IR_VERSION,
      producerName: 'networksecurity',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      opsetImport: [{ domain: '', version: OPSET }, { domain: ML_DOMAIN, version: ML_OPSET }],
      metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
    }).finish();
    return concatBytes([model, lenField(MODEL_GRAPH, concatBytes([...nodes, graph]))]);
  }
}
