/**
 * Stage 3, transform: fit the imputer (most frequent by default; KNN with k=3 as in the original) and
 * the optional scaler on the training split only, and save them as the run's preprocessor.
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { transformerFactory } from '../../ml/catalog.js';
import type { Transformer } from '../../ml/estimator.js';
import { statesToJson } from '../../ml/state-json.js';
import { decodeDataset } from '../dataset-io.js';
import type { PipelineOptions, StageContext, TransformOutput } from '../types.js';

export function preprocessorSteps(options: Pick<PipelineOptions, 'imputer' | 'scaler'>): Transformer[] {
  const steps: Transformer[] = [];
  steps.push(options.imputer === 'knn'
    ? transformerFactory('knn_imputer').create({ nNeighbors: 3 })
    : transformerFactory('simple_imputer').create({ strategy: options.imputer }));
  if (options.scaler !== 'none') steps.push(transformerFactory(`${options.scaler}_scaler`).create({}));
  return steps;
}

export function applySteps(steps: readonly Transformer[], X: Matrix): Matrix {
  return steps.reduce((m, t) => t.transform(m), X);
}

export async function transform(ctx: StageContext): Promise<TransformOutput> {
  const v = ctx.outputs.validate;
  if (!v) throw new NsError('STAGE_ORDER', 'transform needs the output of validate.', { kind: 'state', hint: 'Run the pipeline from validate.' });
  const train = decodeDataset(await ctx.artifacts.get(v.trainKey), v.trainKey);
  const steps = preprocessorSteps(ctx.options);
  let X = train.X;
  for (const step of steps) X = step.fitTransform(X);
  const art = await ctx.run.write('transform', 'preprocessor.json', statesToJson(steps.map((s) => s.toState())));
  ctx.progress(1, steps.map((s) => s.kind).join(' → '));
  return { preprocessorKey: art.key, steps: steps.map((s) => s.kind) };
}
