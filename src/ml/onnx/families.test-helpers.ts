/**
 * Test and benchmark helpers: one fitted model bundle per exportable family (and per preprocessing
 * step), fitted on the given data, so the ONNX equality tests cover every family the exporter accepts.
 * Pure; callers read the data.
 */
import type { Dataset } from '../../core/matrix.js';
import type { ModelBundle } from '../bundle.js';
import { classifierFactory, transformerFactory } from '../catalog.js';
import type { Classifier, Transformer } from '../estimator.js';
import { VotingClassifier } from '../ensemble/voting.js';

export interface FamilyCase {
  name: string;
  steps: { kind: string; params?: Record<string, unknown> }[];
  model: () => Classifier;
}

const imputer = { kind: 'simple_imputer', params: { strategy: 'most_frequent' } };
const make = (kind: string, params: Record<string, unknown> = {}) => (): Classifier => classifierFactory(kind).create(params);

/** Every exportable family with small but real settings; the preprocessing steps vary between them. */
export const FAMILY_CASES: FamilyCase[] = [
  { name: 'decision_tree', steps: [imputer], model: make('decision_tree', { maxDepth: null, randomState: 1 }) },
  { name: 'random_forest', steps: [imputer], model: make('random_forest', { nEstimators: 60, randomState: 1 }) },
  { name: 'extra_trees+minmax', steps: [imputer, { kind: 'minmax_scaler' }], model: make('extra_trees', { nEstimators: 40, randomState: 2 }) },
  { name: 'hist_gradient_boosting', steps: [imputer], model: make('hist_gradient_boosting', { maxIter: 150, randomState: 1 }) },
  { name: 'adaboost+robust', steps: [imputer, { kind: 'robust_scaler' }], model: make('adaboost', { nEstimators: 80, learningRate: 0.5 }) },
  { name: 'logistic_regression+standard', steps: [{ kind: 'simple_imputer', params: { strategy: 'mean' } }, { kind: 'standard_scaler' }], model: make('logistic_regression', { C: 1 }) },
  {
    name: 'voting(rf,hgb,lr)', steps: [imputer],
    model: () => new VotingClassifier({ members: [make('random_forest', { nEstimators: 30, randomState: 3 })(), make('hist_gradient_boosting', { maxIter: 60 })(), make('logistic_regression')()] }),
  },
];

/** Fits the case's preprocessing and model on `train` and returns the bundle the pipeline would save. */
export async function fitBundle(c: FamilyCase, train: Dataset): Promise<ModelBundle> {
  const steps: Transformer[] = c.steps.map((s) => transformerFactory(s.kind).create(s.params ?? {}));
  let X = train.X;
  for (const s of steps) X = s.fitTransform(X);
  const model = await c.model().fit(X, train.y);
  return {
    featureNames: [...train.columns], schemaHash: 'test-schema', trainingDataHash: 'test-data', metrics: {}, libraryVersion: 'test',
    createdAt: new Date(0).toISOString(), preprocessors: steps.map((s) => s.toState()), model: model.toState(),
  };
}
