/**
 * The training plan fitted to the data's size: a pure function of (plan, cross-validation folds,
 * training rows, distinct share) that returns the plan to run and every decision it took, in words,
 * for the run's log. Only the `default` preset adapts; `original` and `quick` run as written.
 *
 * - Kernel SVC (SMO over a kernel matrix) and k-NN (brute-force neighbours) cost grows with rows²
 *   (k-NN: every scored row against every training row); above KERNEL_MAX_ROWS they are fit on a
 *   stratified sample (their `maxRows` param) of SVC_SAMPLE_ROWS / KNN_SAMPLE_ROWS rows.
 * - Cross-validation folds drop to 3 from FEWER_FOLDS_ROWS rows and to 2 from TWO_FOLDS_ROWS.
 * - Tree ensembles train on the distinct vectors, so their cost follows rows × distinct share: from
 *   ONE_SETTING_VECTORS distinct vectors each family keeps one setting (the first of its grid) and
 *   forests keep at most FOREST_TREES_LARGE trees. From there on, forests also grow leaves of at least
 *   ceil(rows / ROWS_PER_LEAF_ROW) rows (`minSamplesLeaf`): fully grown trees have about one leaf per
 *   few distinct vectors, so the model grows with the data. At 500,000 generated rows (bench/scale
 *   data, 400,000 training rows) the fully grown 100-tree forest was a 242 MB bundle (extra trees
 *   368 MB); the soft vote of both no longer fit the tracking store and its ONNX export ran out of a
 *   4 GB heap. With leaves of 10 rows: 73 MB and 80 MB, F1 on fresh rows 0.9545 / 0.9552 (fully grown:
 *   0.9562 / 0.9541), and the fits took less CPU.
 * - The per-profile models (stages/profiles.ts: every family again on the 19- and 7-feature profiles)
 *   are cross-validated and fit on a stratified sample of PROFILE_SAMPLE_ROWS rows above that many
 *   training rows: at 400,000 training rows they took 5 minutes of a 14-minute train stage (load 4-15).
 *
 * The limits come from this project's measurements: SVC and k-NN on the bundled data's 8,844 training
 * rows take seconds, so at rows² growth 20,000 rows is already about 5x that, and the scale bench
 * (bench/scale) puts a 100-tree forest at 400,000 rows near 10 s on two threads. On the scale bench's
 * rows (one thread, CPU seconds): SVC fit on 10,000 rows 1.1 s and 0.5 s per 20,000 rows scored (on
 * 20,000 rows: 4.1 s and 1.0 s); k-NN on 5,000 rows 1.1 s per 20,000 rows scored (on 20,000: 4.5 s).
 * At 500,000 rows (every row scored once by cross-validation, a fifth again as the test split) the
 * samples keep each near half a minute of CPU.
 *
 * `expectedSeconds` turns per-family CPU costs measured at 50,000 rows (COST_50K) into the expected
 * time of a plan before it runs.
 *
 * @example
 *   const { plan, cvFolds, decisions } = planForData(plan, 5, { rows: 400_000, distinctShare: 0.7 });
 */
import { stagedParam } from '../ml/model-selection/staged.js';
import type { CandidateSpec, TrainingPlan } from './plan.js';

export const KERNEL_MAX_ROWS = 20_000;
export const SVC_SAMPLE_ROWS = 10_000;
export const KNN_SAMPLE_ROWS = 5_000;
const SAMPLE_ROWS: Record<string, number> = { svc: SVC_SAMPLE_ROWS, knn: KNN_SAMPLE_ROWS };
export const FEWER_FOLDS_ROWS = 50_000;
export const TWO_FOLDS_ROWS = 200_000;
export const ONE_SETTING_VECTORS = 100_000;
export const FOREST_TREES_LARGE = 100;
/** Above ONE_SETTING_VECTORS, forests' smallest leaf is one row per this many training rows (rounded up). */
export const ROWS_PER_LEAF_ROW = 40_000;
export const PROFILE_SAMPLE_ROWS = 100_000;

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
  /** Training rows of the per-profile models (a stratified sample), when fewer than all. */
  profileRows?: number;
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
    candidates = candidates.map((c) => {
      if (!KERNEL_KINDS.has(c.kind)) return c;
      const maxRows = SAMPLE_ROWS[c.kind]!;
      decisions.push(`${c.name} fit on a stratified sample of ${fmt(maxRows)} rows: ${fmt(rows)} training rows > ${fmt(KERNEL_MAX_ROWS)}, and its cost grows with rows².`);
      return { ...c, params: { ...c.params, maxRows } };
    });
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
    const leaf = Math.ceil(rows / ROWS_PER_LEAF_ROW);
    const grown: string[] = [];
    candidates = candidates.map((c) => {
      const current = c.params.minSamplesLeaf;
      if (leaf <= 1 || !FOREST_KINDS.has(c.kind) || 'minSamplesLeaf' in c.grid || (typeof current === 'number' && current >= leaf)) return c;
      grown.push(c.name);
      return { ...c, params: { ...c.params, minSamplesLeaf: leaf } };
    });
    if (grown.length > 0) {
      decisions.push(`${grown.join(', ')}: leaves of at least ${leaf} rows (one per ${fmt(ROWS_PER_LEAF_ROW)} training rows), so that the model's size stays bounded as rows grow.`);
    }
  }
  let profileRows: number | undefined;
  if (rows > PROFILE_SAMPLE_ROWS) {
    profileRows = PROFILE_SAMPLE_ROWS;
    decisions.push(`profile models (URL + page + fetch, URL only) cross-validated and fit on a stratified sample of ${fmt(PROFILE_SAMPLE_ROWS)} of the ${fmt(rows)} training rows.`);
  }
  return { plan: { ...plan, candidates }, cvFolds: folds, ...(profileRows !== undefined ? { profileRows } : {}), decisions };
}

/** Rows the per-family costs below were measured at, and their distinct share. */
const COST_ROWS = 50_000;
const COST_DISTINCT_SHARE = 0.9;

/**
 * CPU seconds of one fit at COST_ROWS rows of the scale bench's data (distinct share 0.9), one thread,
 * with the default preset's parameters (forests 100 trees, boosting 300 rounds, AdaBoost 100); they
 * grow as (rows or distinct vectors)^exponent. SVC and k-NN are costed by their sample and the rows
 * they score instead (see the module comment).
 */
const COST_50K: Record<string, { seconds: number; by: 'rows' | 'vectors'; exponent: number; per?: { param: string; base: number } }> = {
  logistic_regression: { seconds: 0.54, by: 'rows', exponent: 1 },
  naive_bayes: { seconds: 0.07, by: 'rows', exponent: 1 },
  decision_tree: { seconds: 0.29, by: 'vectors', exponent: 1.15 },
  random_forest: { seconds: 1.54, by: 'vectors', exponent: 1.15, per: { param: 'nEstimators', base: 100 } },
  extra_trees: { seconds: 2.59, by: 'vectors', exponent: 1.15, per: { param: 'nEstimators', base: 100 } },
  hist_gradient_boosting: { seconds: 2.1, by: 'vectors', exponent: 0.8, per: { param: 'maxIter', base: 300 } },
  adaboost: { seconds: 1.41, by: 'rows', exponent: 1, per: { param: 'nEstimators', base: 100 } },
};
/** SVC: fit seconds on 10,000 rows (growing with rows²) and seconds per 20,000 rows scored per 10,000 fit rows. */
const SVC_COST = { fit: 1.1, score: 0.5 };
/** k-NN: seconds per 20,000 rows scored per 5,000 fit rows. */
const KNN_SCORE = 1.14;

export interface ExpectedTime {
  /** Wall seconds on `jobs` threads of an otherwise idle machine. */
  seconds: number;
  /** CPU seconds per candidate name. */
  perCandidate: Record<string, number>;
}

/**
 * The expected time of the train stage's search: every setting of every candidate fit once per fold
 * on (folds - 1) / folds of the rows (a tree-count grid as one fit with its largest count: the search
 * scores the smaller counts as its prefixes), its best refit on all of them, the CPU seconds of COST_50K
 * shared by `jobs` threads. `testRows` are scored once more by each refit model. Kinds without a
 * measured cost count as a logistic regression.
 */
export function expectedSeconds(plan: TrainingPlan, cvFolds: number, size: DataSize & { testRows: number }, jobs: number): ExpectedTime {
  const perCandidate: Record<string, number> = {};
  const rows = size.rows;
  const share = (cvFolds - 1) / cvFolds;
  for (const c of plan.candidates) {
    // A tree-count grid is scored as prefixes of one fit with its largest count per fold (staged.ts).
    const countParam = stagedCount(c);
    const settings = Object.entries(c.grid).reduce((a, [k, v]) => (k === countParam?.param ? a : a * Math.max(1, v.length)), 1);
    let cpu: number;
    if (c.kind === 'svc' || c.kind === 'knn') {
      const cap = typeof c.params.maxRows === 'number' ? c.params.maxRows : Infinity;
      const fitRows = (n: number): number => Math.min(cap, n);
      const scored = rows + size.testRows;
      if (c.kind === 'svc') {
        const fit = (n: number): number => SVC_COST.fit * (fitRows(n) / 10_000) ** 2;
        cpu = settings * cvFolds * fit(rows * share) + fit(rows) + SVC_COST.score * (scored / 20_000) * (fitRows(rows) / 10_000);
      } else {
        cpu = KNN_SCORE * (scored / 20_000) * (fitRows(rows) / 5_000);
      }
    } else {
      const cost = COST_50K[c.kind] ?? COST_50K.logistic_regression!;
      const units = cost.by === 'rows' ? rows : rows * size.distinctShare;
      const p = cost.per ? (countParam?.param === cost.per.param ? countParam.max : c.params[cost.per.param]) : undefined;
      const scale = cost.per && typeof p === 'number' ? p / cost.per.base : 1;
      const at = cost.by === 'rows' ? COST_ROWS : COST_ROWS * COST_DISTINCT_SHARE;
      const fit = (n: number): number => cost.seconds * scale * (n / at) ** cost.exponent;
      cpu = settings * cvFolds * fit(units * share) + fit(units);
    }
    perCandidate[c.name] = cpu;
  }
  const total = Object.values(perCandidate).reduce((a, b) => a + b, 0);
  return { seconds: total / Math.max(1, jobs), perCandidate };
}

/** The candidate's tree-count grid parameter and its largest value, when the search scores it as prefixes. */
function stagedCount(c: CandidateSpec): { param: string; max: number } | undefined {
  for (const [param, values] of Object.entries(c.grid)) {
    const counts = values.filter((v): v is number => typeof v === 'number');
    if (counts.length === 0 || counts.length !== values.length) continue;
    const max = Math.max(...counts);
    if (stagedParam(c.kind, { ...c.params, [param]: max }) === param) return { param, max };
  }
  return undefined;
}

/** "42 s" below 90 seconds, else "7 min 5 s". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
