/**
 * The ONNX row of `bench ml`: the same fitted model exported to ONNX (src/ml/onnx) and scored on the 220k
 * drawn rows by onnxruntime-node with 2 intra-op threads, next to our own scorer on 2 threads
 * (predictProbaAsync, nJobs 2). Each figure is a median of `reps` runs after one warm-up; the session is
 * created once, outside the timing, as a server would.
 */
import * as ort from 'onnxruntime-node';
import type { Matrix } from '../../src/core/matrix.js';
import type { Classifier } from '../../src/ml/estimator.js';
import { exportOnnx } from '../../src/ml/onnx/export.js';

/** Seconds per batch of `big` through onnxruntime-node (2 threads) for `model` (no preprocessing). */
export async function onnxBatchSeconds(model: Classifier, columns: readonly string[], big: Matrix, reps: number): Promise<{ seconds: number[]; onnxBytes: number }> {
  const bytes = exportOnnx({
    featureNames: [...columns], schemaHash: 'bench', trainingDataHash: 'bench', metrics: {}, libraryVersion: 'bench',
    createdAt: new Date(0).toISOString(), preprocessors: [], model: model.toState(),
  });
  // Spinning intra-op threads are turned off: on this shared 2-core machine a spinning thread steals the
  // core its partner needs (measured under load 22: 18 s per batch with spinning, 10 s without).
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  try {
    const feeds = { features: new ort.Tensor('float64', big.data, [big.rows, big.cols]) };
    await session.run(feeds);
    const seconds: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await session.run(feeds);
      seconds.push((performance.now() - t0) / 1000);
    }
    return { seconds, onnxBytes: bytes.length };
  } finally {
    await session.release();
  }
}

/** The onnxruntime-node version (from its package.json). */
export function onnxRuntimeVersion(): string {
  return ort.env.versions.node ?? 'unknown';
}
