import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { attributeBytes, concatBytes, lenField, WireWriter } from './wire.js';

const { onnx } = onnxProto;

describe('attributeBytes', () => {
  it('reads back with onnx-proto as the same INTS, STRINGS and double TENSOR attributes', () => {
    const ints = onnx.AttributeProto.decode(attributeBytes('ids', { int64s: [0, 1, 127, 128, 300, 2 ** 40, -1] }));
    expect(ints.name).toBe('ids');
    expect(ints.type).toBe(onnx.AttributeProto.AttributeType.INTS);
    expect(ints.ints.map((v) => Number(v))).toEqual([0, 1, 127, 128, 300, 2 ** 40, -1]);

    const strings = onnx.AttributeProto.decode(attributeBytes('modes', ['LEAF', 'BRANCH_LEQ', 'LEAF']));
    expect(strings.type).toBe(onnx.AttributeProto.AttributeType.STRINGS);
    expect(strings.strings.map((b) => new TextDecoder().decode(b))).toEqual(['LEAF', 'BRANCH_LEQ', 'LEAF']);

    const values = [0.5, -1e-300, 3.141592653589793, 0];
    const tensor = onnx.AttributeProto.decode(attributeBytes('w', { doubles: Float64Array.from(values) }));
    expect(tensor.type).toBe(onnx.AttributeProto.AttributeType.TENSOR);
    expect(tensor.t!.name).toBe('w');
    expect(tensor.t!.dataType).toBe(onnx.TensorProto.DataType.DOUBLE);
    expect(tensor.t!.dims!.map((d) => Number(d))).toEqual([4]);
    expect(tensor.t!.doubleData).toEqual(values);
  });

  it('spliced into a node, reads back as one node with both its small and bulk attributes', () => {
    const small = onnx.NodeProto.encode({ opType: 'TreeEnsembleRegressor', attribute: [{ name: 'n_targets', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }).finish();
    const big = new WireWriter().packedVarints(1, Array.from({ length: 5000 }, (_, i) => i)).finish();
    expect(big.length).toBeGreaterThan(256); // past the first growth of the buffer
    const node = onnx.NodeProto.decode(concatBytes([small, lenField(5, attributeBytes('nodes_nodeids', { int64s: Array.from({ length: 5000 }, (_, i) => i) }))]));
    expect(node.opType).toBe('TreeEnsembleRegressor');
    expect(node.attribute.map((a) => a.name)).toEqual(['n_targets', 'nodes_nodeids']);
    expect(node.attribute[1]!.ints!.map((v) => Number(v))).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
