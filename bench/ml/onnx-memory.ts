/**
 * Memory of the ONNX export of a large forest: a synthetic random forest of full binary trees (the node
 * layout of src/ml/trees, right child = left + 1) exported as the MLflow model's graph is. Prints one JSON
 * line: nodes, ONNX bytes, seconds and the process's peak RSS (MB). test/ml/onnx-memory.test.ts runs it
 * under a small V8 heap.
 *
 *   npx tsx bench/ml/onnx-memory.ts [--trees 100] [--depth 12]    # 100 trees of 8,191 nodes = 819,100 nodes
 */
import { parseArgs } from 'node:util';
import { exportOnnx } from '../../src/ml/onnx/export.js';

const { values } = parseArgs({ options: { trees: { type: 'string', default: '100' }, depth: { type: 'string', default: '12' } } });
const trees = Number(values.trees);
const depth = Number(values.depth);
const perTree = 2 ** (depth + 1) - 1;
const n = trees * perTree;
const roots = new Int32Array(trees);
const feature = new Int32Array(n);
const threshold = new Float64Array(n);
const left = new Int32Array(n);
const value = new Float64Array(n);
for (let t = 0; t < trees; t++) {
  const root = t * perTree;
  roots[t] = root;
  for (let i = 0; i < perTree; i++) {
    const k = root + i;
    const leaf = 2 * i + 1 >= perTree;
    feature[k] = leaf ? -1 : (i * 7 + t) % 30;
    threshold[k] = leaf ? 0 : ((i % 3) - 1) + 0.5;
    left[k] = leaf ? -1 : root + 2 * i + 1;
    value[k] = leaf ? ((i * 31 + t) % 100) / 100 / trees : 0;
  }
}
const t0 = performance.now();
const bytes = exportOnnx({
  featureNames: Array.from({ length: 30 }, (_, j) => `f${j}`), schemaHash: 'bench', trainingDataHash: 'bench', metrics: {}, libraryVersion: 'bench',
  createdAt: new Date(0).toISOString(), preprocessors: [],
  model: { kind: 'random_forest', params: {}, json: {}, arrays: { roots, feature, threshold, left, value, baseScale: new Float64Array([0, 1]), classes: new Float64Array([-1, 1]) } },
}, { outputs: 'columns', phishingClass: -1 });
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ nodes: n, onnxBytes: bytes.length, seconds: Number(seconds.toFixed(2)), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
