/**
 * Training plans: which model families to try and with which parameter grids. `default` is tuned for
 * this data (strong and fast), `original` is the Python project's five grids (GridSearchCV, cv=3), and
 * `quick` is a small plan for tests and demos. Kinds missing from the estimator catalog are left out
 * with a warning rather than failing the run.
 */
import { originalSearchSpaces } from '../ml/model-selection/index.js';

export interface CandidateSpec {
  name: string;
  kind: string;
  /** Fixed parameters. */
  params: Record<string, unknown>;
  /** Grid searched by cross-validation; each key's values are tried in combination. */
  grid: Record<string, readonly unknown[]>;
}

export interface TrainingPlan {
  preset: PresetName;
  candidates: CandidateSpec[];
  /** Cross-validation folds unless `--cv` says otherwise: 3 for `original` (its GridSearchCV cv=3), else 5. */
  cvFolds: number;
}

export const PRESETS = ['default', 'original', 'quick'] as const;
export type PresetName = (typeof PRESETS)[number];

/** Names the original project used for its model families. */
const displayName: Record<string, string> = {
  random_forest: 'Random Forest', decision_tree: 'Decision Tree', hist_gradient_boosting: 'Gradient Boosting',
  logistic_regression: 'Logistic Regression', adaboost: 'AdaBoost',
};

const spec = (name: string, kind: string, params: Record<string, unknown> = {}, grid: Record<string, readonly unknown[]> = {}): CandidateSpec => ({ name, kind, params, grid });

const plans: Record<PresetName, CandidateSpec[]> = {
  default: [
    spec('Logistic Regression', 'logistic_regression', { C: 1 }),
    spec('Decision Tree', 'decision_tree', {}, { criterion: ['gini', 'entropy'] }),
    spec('Random Forest', 'random_forest', { nEstimators: 300, randomState: 1 }, { maxFeatures: ['sqrt', 0.3] }),
    spec('Extra Trees', 'extra_trees', { nEstimators: 300, randomState: 1 }),
    spec('Gradient Boosting', 'hist_gradient_boosting', { maxIter: 300, maxDepth: 6, randomState: 1 }, { learningRate: [0.05, 0.1] }),
    spec('AdaBoost', 'adaboost', { nEstimators: 100, randomState: 1 }),
    spec('SVC', 'svc', { kernel: 'rbf', C: 1, randomState: 1 }),
    spec('KNN', 'knn', { nNeighbors: 5 }),
    spec('Naive Bayes', 'naive_bayes'),
  ],
  original: originalSearchSpaces().map((space) => spec(displayName[space.kind] ?? space.kind, space.kind, {}, { ...space.grid })),
  quick: [
    spec('Logistic Regression', 'logistic_regression'),
    spec('Decision Tree', 'decision_tree', { maxDepth: 12 }),
    spec('Random Forest', 'random_forest', { nEstimators: 40, randomState: 1 }),
  ],
};

export function trainingPlan(preset: PresetName, available: ReadonlySet<string>): { plan: TrainingPlan; missing: string[] } {
  const all = plans[preset];
  return {
    plan: { preset, candidates: all.filter((c) => available.has(c.kind)), cvFolds: preset === 'original' ? 3 : 5 },
    missing: all.filter((c) => !available.has(c.kind)).map((c) => c.kind),
  };
}
