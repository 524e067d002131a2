/**
 * The training plan fitted to the data's size: a pure function of (plan, cross-validation folds,
 * training rows, distinct share) that returns the plan to run and every decision it took, in words,
 * for the run's log. Only the `default` preset adapts; `original` and `quick` run as written.
 *
 * - Kernel SVC (SMO over a kernel matrix) and k-NN (brute-force neighbours) cost grows with rows²;
 *   above KERNEL_MAX_ROWS they are left out, and the plan's linear model (logistic regression) is
 *   their scalable counterpart.
 * - Cross-validation folds drop to 3 from FEWER_FOLDS_ROWS rows and to 2 from TWO_FOLDS_ROWS.
 * - Tree ensembles train on the distinct vectors, so their cost follows rows × distinct share: from
 *   ONE_SETTING_VECTORS distinct vectors each family keeps one setting (the first of its grid) and
 *   forests keep at most FOREST_TREES_LARGE trees.
 *
 * The limits come from this project's measurements: SVC and k-NN on the bundled data's 8,844 training
 * rows take seconds, so at rows² growth 20,000 rows is already about 5x that, and the scale bench
 * (bench/scale) puts a 100-tree forest at 400,000 rows near 10 s on two threads.
 *
 * @example
 *   const { plan, cvFolds, decisions } = planForData(plan, 5, { rows: 400_000, distinctShare: 0.7 });
 */
import type { CandidateSpec, TrainingPlan } from './plan.js';

export const KERNEL_MAX_ROWS = 20_000;
export const FEWER_FOLDS_ROWS = 50_000;
export const TWO_FOLDS_ROWS = 200_000;
export const ONE_SETTING_VECTORS = 100_000;
export const FOREST_TREES_LARGE = 100;

const KERNEL_KINDS = new Set(['svc', 'knn']);
const FOREST_KINDS = new Set(['random_forest', 'extra_trees']);
const TREE_KINDS = new Set(['random_forest', 'extra_trees', 'hist_gradient_boosting', 'adaboost', 'decision_tree']);

export interface DataSize {
  /** Training rows. */
  rows: number;
  /** Distinct feature vectors / rows (0..1]. */
  distinctShare: number;
}

export interface ScaledPlan {
  plan: TrainingPlan;
  cvFolds: number;
  /** One sentence per change, in the order taken (empty when nothing changed). */
  decisions: string[];
}

/** The plan and folds to run on data of this size (see the module comment). */
export function planForData(plan: TrainingPlan, cvFolds: number, size: DataSize): ScaledPlan {
  if (plan.preset !== 'default') return { plan, cvFolds, decisions: [] };
  const decisions: string[] = [];
  const rows = size.rows;
  const vectors = Math.round(rows * size.distinctShare);
  const fmt = (n: number): string => n.toLocaleString('en-US');
  let candidates: CandidateSpec[] = plan.candidates;
  if (rows > KERNEL_MAX_ROWS) {
    const dropped = candidates.filter((c) => KERNEL_KINDS.has(c.kind));
    if (dropped.length > 0) {
      candidates = candidates.filter((c) => !KERNEL_KINDS.has(c.kind));
      const linear = candidates.some((c) => c.kind === 'logistic_regression') ? '; Logistic Regression stays as the linear model' : '';
      decisions.push(`${dropped.map((c) => c.name).join(' and ')} left out: ${fmt(rows)} training rows > ${fmt(KERNEL_MAX_ROWS)}, and their cost grows with rows²${linear}.`);
    }
  }
  let folds = cvFolds;
  const wanted = rows >= TWO_FOLDS_ROWS ? 2 : rows >= FEWER_FOLDS_ROWS ? 3 : cvFolds;
  if (wanted < cvFolds) {
    folds = wanted;
    decisions.push(`cross-validation with ${folds} folds instead of ${cvFolds}: ${fmt(rows)} training rows ≥ ${fmt(rows >= TWO_FOLDS_ROWS ? TWO_FOLDS_ROWS : FEWER_FOLDS_ROWS)}.`);
  }
  if (vectors >= ONE_SETTING_VECTORS) {
    const changed: string[] = [];
    candidates = candidates.map((c) => {
      if (!TREE_KINDS.has(c.kind)) return c;
      const grid = Object.fromEntries(Object.entries(c.grid).map(([k, v]) => [k, v.slice(0, 1)]));
      const trees = c.params.nEstimators;
      const params = FOREST_KINDS.has(c.kind) && typeof trees === 'number' && trees > FOREST_TREES_LARGE ? { ...c.params, nEstimators: FOREST_TREES_LARGE } : c.params;
      const gridCut = Object.values(c.grid).some((v) => v.length > 1);
      if (!gridCut && params === c.params) return c;
      changed.push(c.name);
      return { ...c, params, grid };
    });
    if (changed.length > 0) {
      decisions.push(`${changed.join(', ')}: one setting each (the first of the grid), forests at most ${FOREST_TREES_LARGE} trees: ${fmt(vectors)} distinct training vectors ≥ ${fmt(ONE_SETTING_VECTORS)}.`);
    }
  }
  return { plan: { ...plan, candidates }, cvFolds: folds, decisions };
}
