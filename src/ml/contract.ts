/**
 * The shared estimator contract, after scikit-learn's `estimator_checks`: a list of named checks that
 * every classifier factory (both catalogs) and every transformer factory must pass. Each check is a
 * plain async function that throws on violation, so contract.test.ts can run them all under vitest and
 * other tools could run them too. Data is small and synthetic (seeded), and `quickParams` keeps the
 * ensembles small, so the whole suite stays fast.
 *
 *   classifierChecks: params stored unchanged, NotFittedError before fit, fit returns this, same seed →
 *     same predictions, clone unfitted with equal params, probabilities valid (rows sum to 1, predict =
 *     argmax), bad shapes / single class / NaN give NsErrors, toState → bundle → fromState identical,
 *     inputs not mutated, arbitrary label values, contributions sum to the probability of classes[1]
 *     or its log-odds, as contributionSpace() states.
 *   transformerChecks: the same ideas for fit / transform.
 */
import { NsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { decodeBundle, encodeBundle } from './bundle.js';
import type { Classifier, ClassifierFactory, ModelState, TransformerFactory } from './estimator.js';

/** Small ensembles and few iterations per kind, so each check runs in milliseconds. */
export const quickParams: Record<string, Record<string, unknown>> = {
  random_forest: { nEstimators: 5, nJobs: 1 },
  extra_trees: { nEstimators: 5, nJobs: 1 },
  adaboost: { nEstimators: 5 },
  hist_gradient_boosting: { maxIter: 10 },
  knn: { nNeighbors: 3 },
  svc: { C: 2 },
  logistic_regression: { C: 0.5 },
};

/** Seeded synthetic binary data: ternary features (like the phishing data), a noisy linear rule. */
export function contractData(rows = 90, cols = 6, seed = 1, labels: [number, number] = [-1, 1]): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = rng.int(3) - 1;
      X.data[i * cols + j] = v;
      s += v * (j % 2 === 0 ? 1 : -0.5);
    }
    y[i] = s + 0.8 * rng.normal() > 0 ? labels[1] : labels[0];
  }
  return { X, y };
}

export interface ContractCheck<F> {
  name: string;
  run(factory: F): Promise<void>;
}

function fail(message: string): never {
  throw new Error(`contract violated: ${message}`);
}

function expectNsError(e: unknown, what: string, code?: string): void {
  if (!(e instanceof NsError)) fail(`${what} should throw an NsError, got ${String(e)}`);
  if (code !== undefined && e.code !== code) fail(`${what} should throw ${code}, got ${e.code}`);
}

async function rejects(p: () => Promise<unknown>, what: string, code?: string): Promise<void> {
  try {
    await p();
  } catch (e) {
    expectNsError(e, what, code);
    return;
  }
  fail(`${what} should fail`);
}

function throws(f: () => unknown, what: string, code?: string): void {
  try {
    f();
  } catch (e) {
    expectNsError(e, what, code);
    return;
  }
  fail(`${what} should fail`);
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) fail(`${what}: lengths ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) fail(`${what}: value ${i} differs (${a[i]} vs ${b[i]})`);
}

function paramsOf(kind: string): Record<string, unknown> {
  return { ...(quickParams[kind] ?? {}) };
}

async function fitted(factory: ClassifierFactory, data = contractData()): Promise<Classifier> {
  return factory.create(paramsOf(factory.kind)).fit(data.X, data.y);
}

function checkProba(model: Classifier, X: Matrix): void {
  const P = model.predictProba(X);
  const k = model.classes.length;
  if (P.rows !== X.rows || P.cols !== k) fail(`predictProba shape ${P.rows} x ${P.cols}, expected ${X.rows} x ${k}`);
  const pred = model.predict(X);
  for (let i = 0; i < X.rows; i++) {
    let sum = 0;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = P.data[i * k + c]!;
      if (!(p >= 0 && p <= 1)) fail(`probability ${p} outside [0, 1] at row ${i}`);
      sum += p;
      if (p > P.data[i * k + best]!) best = c;
    }
    if (Math.abs(sum - 1) > 1e-9) fail(`probabilities of row ${i} sum to ${sum}`);
    if (pred[i] !== model.classes[best]) fail(`predict (${pred[i]}) is not the most probable class (${model.classes[best]}) at row ${i}`);
  }
}

/** Every classifier must pass these. */
export const classifierChecks: ContractCheck<ClassifierFactory>[] = [
  {
    name: 'stores params unchanged and getParams returns them',
    run: (factory) => {
      const given = paramsOf(factory.kind);
      const model = factory.create(given);
      const got = model.getParams() as Record<string, unknown>;
      for (const [k, v] of Object.entries(given)) {
        if (got[k] !== v) fail(`param ${k}: gave ${String(v)}, getParams has ${String(got[k])}`);
        if ((model.params as Record<string, unknown>)[k] !== v) fail(`param ${k} changed in params`);
      }
      if (model.kind !== factory.kind) fail(`kind ${model.kind} differs from the factory's ${factory.kind}`);
      return Promise.resolve();
    },
  },
  {
    name: 'throws NotFittedError before fit',
    run: (factory) => {
      const model = factory.create(paramsOf(factory.kind));
      const { X } = contractData();
      throws(() => model.predictProba(X), 'predictProba before fit', 'NOT_FITTED');
      throws(() => model.predict(X), 'predict before fit', 'NOT_FITTED');
      throws(() => model.toState(), 'toState before fit', 'NOT_FITTED');
      throws(() => model.classes, 'classes before fit', 'NOT_FITTED');
      return Promise.resolve();
    },
  },
  {
    name: 'fit returns this, and does not mutate X, y or params',
    run: async (factory) => {
      const { X, y } = contractData();
      const X0 = X.data.slice();
      const y0 = y.slice();
      const given = paramsOf(factory.kind);
      const before = JSON.stringify(given);
      const model = factory.create(given);
      if ((await model.fit(X, y)) !== model) fail('fit did not return this');
      sameArray(X.data, X0, 'X after fit');
      sameArray(y, y0, 'y after fit');
      if (JSON.stringify(given) !== before) fail('fit mutated the params object');
    },
  },
  {
    name: 'same params and seed give the same predictions (also when refitted)',
    run: async (factory) => {
      const data = contractData();
      const a = await fitted(factory, data);
      const b = await fitted(factory, data);
      sameArray(a.predictProba(data.X).data, b.predictProba(data.X).data, 'two fits');
      await a.fit(data.X, data.y);
      sameArray(a.predictProba(data.X).data, b.predictProba(data.X).data, 'refit');
    },
  },
  {
    name: 'clone is an unfitted twin with equal params',
    run: async (factory) => {
      const model = await fitted(factory);
      const twin = model.clone();
      if (twin === model) fail('clone returned the same object');
      if (JSON.stringify(twin.getParams()) !== JSON.stringify(model.getParams())) fail('clone params differ');
      throws(() => twin.predictProba(contractData().X), 'predictProba on a clone', 'NOT_FITTED');
    },
  },
  {
    name: 'predictProba rows are probabilities summing to 1 and predict is their argmax',
    run: async (factory) => {
      const data = contractData();
      const model = await fitted(factory, data);
      sameArray(model.classes, [-1, 1], 'classes');
      checkProba(model, data.X);
      checkProba(model, contractData(25, 6, 99).X);
    },
  },
  {
    name: 'keeps arbitrary label values (e.g. 0 / 7)',
    run: async (factory) => {
      const data = contractData(90, 6, 1, [0, 7]);
      const model = await fitted(factory, data);
      sameArray(model.classes, [0, 7], 'classes');
      for (const v of model.predict(data.X)) if (v !== 0 && v !== 7) fail(`predicted label ${v}`);
    },
  },
  {
    name: 'bad shapes give NsErrors',
    run: async (factory) => {
      const { X, y } = contractData();
      await rejects(() => factory.create(paramsOf(factory.kind)).fit(X, y.subarray(1)), 'fit with fewer labels than rows');
      await rejects(() => factory.create(paramsOf(factory.kind)).fit(matrix(0, 6), new Float64Array(0)), 'fit on no rows');
      const model = await fitted(factory);
      throws(() => model.predictProba(matrix(2, 5)), 'predictProba with a wrong column count');
    },
  },
  {
    name: 'a single class in y gives an NsError',
    run: async (factory) => {
      const { X, y } = contractData();
      await rejects(() => factory.create(paramsOf(factory.kind)).fit(X, y.map(() => 1)), 'fit on one class');
    },
  },
  {
    name: 'NaN in X gives an NsError or valid probabilities',
    run: async (factory) => {
      const { X, y } = contractData();
      const holed = matrix(X.rows, X.cols, X.data.slice());
      holed.data[7] = NaN;
      let model: Classifier;
      try {
        model = await factory.create(paramsOf(factory.kind)).fit(holed, y);
      } catch (e) {
        expectNsError(e, 'fit with NaN');
        const ok = await fitted(factory);
        try {
          checkProba(ok, holed);
        } catch (e2) {
          expectNsError(e2, 'predictProba with NaN');
        }
        return;
      }
      checkProba(model, holed);
    },
  },
  {
    name: 'toState → bundle bytes → fromState predicts bit for bit',
    run: async (factory) => {
      const data = contractData();
      const model = await fitted(factory, data);
      const state = model.toState();
      if (state.kind !== factory.kind) fail(`state kind ${state.kind}`);
      const bytes = encodeBundle({
        featureNames: Array.from({ length: data.X.cols }, (_, j) => `f${j}`), schemaHash: 's', trainingDataHash: 'd', metrics: {},
        libraryVersion: 'contract', createdAt: '2026-01-01T00:00:00.000Z', preprocessors: [], model: state,
      });
      const back: ModelState = decodeBundle(bytes).model;
      const again = factory.fromState(back);
      const probe = contractData(40, 6, 5).X;
      sameArray(again.predictProba(probe).data, model.predictProba(probe).data, 'restored predictProba');
      sameArray(again.classes, model.classes, 'restored classes');
      if (JSON.stringify(again.getParams()) !== JSON.stringify(model.getParams())) fail('restored params differ');
    },
  },
  {
    name: 'contributions (when offered) sum to the score of classes[1] in the stated space',
    run: async (factory) => {
      const model = await fitted(factory);
      if (!model.contributions) {
        if (model.contributionSpace) fail('contributionSpace without contributions');
        return;
      }
      if (!model.contributionSpace) fail('contributions without a contributionSpace');
      const space = model.contributionSpace();
      const X = contractData(40, 6, 7).X;
      const C = model.contributions(X);
      if (C.rows !== X.rows || C.cols !== X.cols + 1) fail(`contributions shape ${C.rows} x ${C.cols}, expected ${X.rows} x ${X.cols + 1}`);
      const P = model.predictProba(X);
      for (let i = 0; i < X.rows; i++) {
        let sum = 0;
        for (let j = 0; j < C.cols; j++) sum += C.data[i * C.cols + j]!;
        const p1 = P.data[i * P.cols + 1]!;
        // Log-odds are compared through the logistic function: logit(p) is ill-conditioned near 0 and 1.
        const got = space === 'log-odds' ? 1 / (1 + Math.exp(-sum)) : sum;
        if (Math.abs(got - p1) > 1e-9) fail(`row ${i}: contributions (${space}) give ${got}, predictProba ${p1}`);
      }
    },
  },
];

/** Data with missing values for transformers (ternary values, about 10% NaN). */
export function contractTransformerData(rows = 40, cols = 5, seed = 3): Matrix {
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  for (let t = 0; t < X.data.length; t++) X.data[t] = rng.next() < 0.1 && t >= cols ? NaN : rng.int(3) - 1;
  return X;
}

const transformerParams: Record<string, Record<string, unknown>> = {
  knn_imputer: { nNeighbors: 3 },
  simple_imputer: { strategy: 'median' },
  one_hot: { handleUnknown: 'ignore' },
};

/** Every transformer must pass these. */
export const transformerChecks: ContractCheck<TransformerFactory>[] = [
  {
    name: 'stores params unchanged and throws NotFittedError before fit',
    run: (factory) => {
      const given = { ...(transformerParams[factory.kind] ?? {}) };
      const t = factory.create(given);
      const got = t.getParams() as Record<string, unknown>;
      for (const [k, v] of Object.entries(given)) if (got[k] !== v) fail(`param ${k} changed`);
      throws(() => t.transform(contractTransformerData()), 'transform before fit', 'NOT_FITTED');
      throws(() => t.toState(), 'toState before fit', 'NOT_FITTED');
      return Promise.resolve();
    },
  },
  {
    name: 'fit returns this; fitTransform equals fit then transform; input not mutated',
    run: (factory) => {
      const X = contractTransformerData();
      const X0 = X.data.slice();
      const t = factory.create({ ...(transformerParams[factory.kind] ?? {}) });
      if (t.fit(X) !== t) fail('fit did not return this');
      const a = t.transform(X);
      const b = factory.create({ ...(transformerParams[factory.kind] ?? {}) }).fitTransform(X);
      sameArray(a.data, b.data, 'fitTransform vs fit + transform');
      sameArray(X.data, X0, 'X after fit');
      if (a.rows !== X.rows) fail('transform changed the row count');
      return Promise.resolve();
    },
  },
  {
    name: 'clone is unfitted; toState → fromState transforms bit for bit; wrong columns give an NsError',
    run: (factory) => {
      const X = contractTransformerData();
      const t = factory.create({ ...(transformerParams[factory.kind] ?? {}) }).fit(X);
      throws(() => t.clone().transform(X), 'transform on a clone', 'NOT_FITTED');
      const probe = contractTransformerData(15, 5, 8);
      sameArray(factory.fromState(t.toState()).transform(probe).data, t.transform(probe).data, 'restored transform');
      throws(() => t.transform(matrix(3, 4)), 'transform with a wrong column count');
      return Promise.resolve();
    },
  },
];
