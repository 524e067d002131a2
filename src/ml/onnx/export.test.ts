// The exporter's graph structure and its refusals; the numbers are checked against onnxruntime (Node and
// Python) in test/interop/onnx-equality.test.ts.
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { NsError } from '../../core/errors.js';
import { matrix, type Dataset } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { classifierFactory } from '../catalog.js';
import { VotingClassifier } from '../ensemble/voting.js';
import { FAMILY_CASES, fitBundle } from './families.test-helpers.js';
import { exportOnnx } from './export.js';

const { onnx } = onnxProto;
const graphOf = (bytes: Uint8Array): onnxProto.onnx.GraphProto => onnx.ModelProto.decode(bytes).graph as onnxProto.onnx.GraphProto;

function toyData(): Dataset {
  const rng = new Rng(7);
  const n = 300;
  const X = matrix(n, 4);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) X.data[i * 4 + j] = rng.int(3) - 1;
    y[i] = X.data[i * 4]! + X.data[i * 4 + 1]! + (rng.next() < 0.2 ? 1 : 0) > 0 ? 1 : -1;
  }
  return { columns: ['a', 'b', 'c', 'd'], X, y };
}

describe('exportOnnx', () => {
  it('documents the input with the feature names and names the outputs label and probabilities', async () => {
    const bytes = exportOnnx(await fitBundle(FAMILY_CASES[1]!, toyData()), { version: 7 });
    const m = onnx.ModelProto.decode(bytes);
    const g = graphOf(bytes);
    expect(g.input.map((i) => i.name)).toEqual(['features']);
    expect(g.input[0]!.docString).toContain('in this order: a, b, c, d');
    expect(g.input[0]!.type!.tensorType!.elemType).toBe(onnx.TensorProto.DataType.DOUBLE);
    expect(g.input[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 4]);
    expect(g.output.map((o) => o.name)).toEqual(['label', 'probabilities']);
    expect(g.node.map((n) => n.opType)).toContain('TreeEnsembleRegressor');
    expect(m.opsetImport.map((o) => `${o.domain}:${Number(o.version)}`).sort()).toEqual([':15', 'ai.onnx.ml:3']);
    const meta = new Map(m.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
    expect(JSON.parse(meta.get('feature_names') ?? 'null')).toEqual(['a', 'b', 'c', 'd']);
    expect(meta.get('model_version')).toBe('7');
    expect(meta.get('model_kind')).toBe('random_forest');
  });

  it('uses LinearClassifier for logistic regression and one Sum over the soft vote members', async () => {
    const ops = async (name: string): Promise<string[]> => graphOf(exportOnnx(await fitBundle(FAMILY_CASES.find((c) => c.name.startsWith(name))!, toyData()))).node.map((n) => n.opType ?? '');
    expect(await ops('logistic_regression')).toContain('LinearClassifier');
    const vote = await ops('voting');
    expect(vote.filter((o) => o === 'Sum')).toHaveLength(1);
    expect(vote.filter((o) => o === 'TreeEnsembleRegressor')).toHaveLength(2);
  });

  it("gives MLflow's pyfunc layout one column per output when asked", async () => {
    const bytes = exportOnnx(await fitBundle(FAMILY_CASES[0]!, toyData()), { outputs: 'columns', phishingClass: -1 });
    const outs = graphOf(bytes).output;
    expect(outs.map((o) => [o.name, o.type!.tensorType!.shape!.dim!.length])).toEqual([['label', 1], ['phishing_probability', 1]]);
  });

  it('writes negative int64 attributes and tree arrays that decode back to the model', async () => {
    const lr = graphOf(exportOnnx(await fitBundle(FAMILY_CASES.find((c) => c.name.startsWith('logistic'))!, toyData())));
    const labels = lr.node.find((n) => n.opType === 'LinearClassifier')!.attribute!.find((a) => a.name === 'classlabels_ints')!;
    expect(labels.ints!.map(Number)).toEqual([-1, 1]);
    const bundle = await fitBundle(FAMILY_CASES[0]!, toyData());
    const tree = graphOf(exportOnnx(bundle)).node.find((n) => n.opType === 'TreeEnsembleRegressor')!;
    const attr = (name: string): onnxProto.onnx.IAttributeProto => tree.attribute!.find((a) => a.name === name)!;
    const feature = bundle.model.arrays['feature'] as Int32Array;
    expect(attr('nodes_modes').strings!.map((b) => new TextDecoder().decode(b))).toEqual(Array.from(feature, (f) => (f < 0 ? 'LEAF' : 'BRANCH_LEQ')));
    expect(attr('nodes_featureids').ints!.map(Number)).toEqual(Array.from(feature, (f) => Math.max(f, 0)));
    const threshold = bundle.model.arrays['threshold'] as Float64Array;
    expect(attr('nodes_values_as_tensor').t!.doubleData).toEqual(Array.from(threshold, (t, k) => (feature[k]! < 0 ? 0 : t)));
  });

  it('stops with ONNX_TOO_LARGE past maxBytes, before writing the model', async () => {
    const bundle = await fitBundle(FAMILY_CASES[1]!, toyData());
    expect(() => exportOnnx(bundle, { maxBytes: 10_000 })).toThrow(expect.objectContaining({ code: 'ONNX_TOO_LARGE' }));
    expect(exportOnnx(bundle, { maxBytes: 1_000_000 }).length).toBeGreaterThan(10_000);
  });

  it.each([
    ['knn', 'knn', [{ kind: 'simple_imputer' }]],
    ['svc', 'svc', [{ kind: 'simple_imputer' }]],
    ['naive_bayes', 'naive_bayes', [{ kind: 'simple_imputer' }]],
    ['a soft vote with a k-NN member', 'knn', [{ kind: 'simple_imputer' }]],
    ['the KNN imputer', 'knn_imputer', [{ kind: 'knn_imputer' }]],
  ] as const)('refuses %s with ONNX_UNSUPPORTED naming the family', async (what, family, steps) => {
    const model = what.startsWith('a soft vote')
      ? () => new VotingClassifier({ members: [classifierFactory('random_forest').create({ nEstimators: 5 }), classifierFactory('knn').create({})] })
      : () => classifierFactory(family === 'knn_imputer' ? 'decision_tree' : family).create({});
    const bundle = await fitBundle({ name: what, steps: [...steps], model }, toyData());
    let err: unknown;
    try {
      exportOnnx(bundle);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NsError);
    expect((err as NsError).code).toBe('ONNX_UNSUPPORTED');
    expect((err as NsError).message).toContain(`"${family}"`);
    expect((err as NsError).details).toEqual({ family });
  });
});
