/**
 * Search presets. `originalSearchSpaces` are the five model families and grids of the original Python
 * project (GridSearchCV, cv=3), mapped onto our kinds and camelCase params; its "Gradient Boosting"
 * becomes our histogram gradient boosting (rounds = maxIter). The original scored candidates with
 * scikit-learn's default for classifiers, accuracy; pass `scoring: 'accuracy'` to reproduce it, or keep
 * F1 (our default, and the metric the original picked the final model by). The tree-count grids
 * (boosting rounds, forest and AdaBoost sizes) are scored as prefixes of one fit per fold (staged.ts).
 * The original then refit each family's best and kept the one with the best *test* F1; bench/search
 * reproduces that rule for comparison (refit: 'perKind') and also reports the best-by-CV choice.
 *
 * @example
 *   await gridSearchCV(originalSearchSpaces(), X, y, { cv: 3, nJobs: 2 });
 */
import type { GridSpace } from './search.js';

/** The original project's grids; `quick` shrinks the boosting grid to one point (its --quick). */
export function originalSearchSpaces(quick = false): GridSpace[] {
  return [
    { kind: 'decision_tree', grid: { criterion: ['gini', 'entropy', 'log_loss'] } },
    { kind: 'random_forest', grid: { nEstimators: [8, 16, 32, 128, 256] } },
    {
      kind: 'hist_gradient_boosting',
      grid: quick
        ? { learningRate: [0.1], subsample: [0.85], maxIter: [128] }
        : { learningRate: [0.1, 0.01, 0.05, 0.001], subsample: [0.6, 0.7, 0.75, 0.85, 0.9], maxIter: [8, 16, 32, 64, 128, 256] },
    },
    { kind: 'logistic_regression', grid: {} },
    { kind: 'adaboost', grid: { learningRate: [0.1, 0.01, 0.001], nEstimators: [8, 16, 32, 64, 128, 256] } },
  ];
}
