/**
 * ONNX export of a model bundle: one graph from the raw feature values (double [N, features], NaN =
 * missing) through the bundle's preprocessors and classifier to `label` (int64 [N]) and
 * `probabilities` (double [N, 2], columns in the order of the model's classes), so onnxruntime or any
 * other ONNX runtime scores rows as our Predictor does.
 *
 *   imputer (simple)            Where(IsNaN(x), statistics, x)
 *   standard / robust scaler    (x - offset) * factor             min-max scaler: x * factor + offset
 *   tree families               ai.onnx.ml TreeEnsembleRegressor (double thresholds and leaf values)
 *                               → base + scale * sum, then the link (identity, or Sigmoid for boosting
 *                               and AdaBoost): the probability of classes[1]
 *   logistic regression         ai.onnx.ml LinearClassifier scores → Sigmoid
 *   soft vote                   the mean of the members' probability matrices
 *
 * The preprocessing is written with the standard operators in double rather than ai.onnx.ml's Imputer
 * and Scaler, whose constants are float32 (Imputer runs on float only in onnxruntime): those would move
 * scaled values and the probabilities of linear models by more than the 1e-6 the export promises.
 * Families with no ONNX form (k-NN, kernel SVC, naive Bayes, the KNN imputer) stop the export with
 * ONNX_UNSUPPORTED naming the family.
 *
 * @example
 *   const bytes = exportOnnx(decodeBundle(nsm), { version: 3 }); // write bytes to model.onnx
 */
import { NsError } from '../../core/errors.js';
import type { ModelBundle } from '../bundle.js';
import type { ModelState, TypedArray } from '../estimator.js';
import { GraphBuilder, ML_DOMAIN } from './graph.js';

/** Tree families: their state is the flat forest of trees/base.ts. */
const TREE_KINDS = new Set(['decision_tree', 'random_forest', 'extra_trees', 'hist_gradient_boosting', 'adaboost']);
/** What can be exported, for the error message. */
export const ONNX_EXPORTABLE = [...TREE_KINDS, 'logistic_regression', 'voting', 'simple_imputer', 'standard_scaler', 'robust_scaler', 'minmax_scaler'];

/** onnx.TensorProto.DataType.DOUBLE, for Cast. */
const TO_DOUBLE = 11;

export interface OnnxExportOptions {
  /** Registered version number, recorded in the model's metadata. */
  version?: number;
  /**
   * 'matrix' (default): outputs `label` and `probabilities` [N, 2]. 'columns': `label` and
   * `phishing_probability` [N], one value per row each, the layout MLflow's pyfunc wrapper turns into
   * a DataFrame.
   */
  outputs?: 'matrix' | 'columns';
  /** The class value meaning phishing (for 'columns'); -1 in this data set. */
  phishingClass?: number;
  /** Stop with ONNX_TOO_LARGE past this many bytes (default: protobuf's 2 GiB limit). */
  maxBytes?: number;
}

function unsupported(kind: string, role: 'model' | 'preprocessing step'): NsError {
  return new NsError('ONNX_UNSUPPORTED', `The ${role} family "${kind}" has no ONNX form, so this model cannot be exported to ONNX.`, {
    hint: `Export a version whose model and preprocessing are among: ${ONNX_EXPORTABLE.join(', ')} (see \`networksecurity models list\`).`,
    details: { family: kind },
  });
}

function array<T extends TypedArray>(state: ModelState, name: string, C: abstract new (...args: never[]) => T): T {
  const a = state.arrays[name];
  if (!(a instanceof C)) {
    throw new NsError('STATE_CORRUPT', `Model state of ${state.kind} lacks a valid array "${name}".`, { kind: 'state', hint: 'Re-train and save the model again.' });
  }
  return a;
}

/** Applies one preprocessing step to the double matrix `x`; returns the new value name. */
function preprocess(g: GraphBuilder, step: ModelState, x: string, cols: number): string {
  switch (step.kind) {
    case 'simple_imputer': {
      const fill = g.constant('statistics', [1, cols], array(step, 'statistics', Float64Array));
      return g.node('Where', [g.node('IsNaN', [x]), fill, x]);
    }
    case 'standard_scaler':
    case 'robust_scaler': {
      const offset = g.constant('offset', [1, cols], array(step, 'offset', Float64Array));
      const factor = g.constant('factor', [1, cols], array(step, 'factor', Float64Array));
      return g.node('Mul', [g.node('Sub', [x, offset]), factor]);
    }
    case 'minmax_scaler': {
      const offset = g.constant('offset', [1, cols], array(step, 'offset', Float64Array));
      const factor = g.constant('factor', [1, cols], array(step, 'factor', Float64Array));
      return g.node('Add', [g.node('Mul', [x, factor]), offset]);
    }
    default:
      throw unsupported(step.kind, 'preprocessing step');
  }
}

/** [N, 1] probability of classes[1] → [N, 2] matrix [1 - p, p]. */
function twoColumns(g: GraphBuilder, p1: string): string {
  const one = g.constant('one', [], [1]);
  return g.node('Concat', [g.node('Sub', [one, p1]), p1], { axis: 1 });
}

/** A tree model's flat forest as one TreeEnsembleRegressor plus scale, base and link. */
function treeEnsemble(g: GraphBuilder, state: ModelState, x: string): string {
  const roots = array(state, 'roots', Int32Array);
  const feature = array(state, 'feature', Int32Array);
  const threshold = array(state, 'threshold', Float64Array);
  const left = array(state, 'left', Int32Array);
  const value = array(state, 'value', Float64Array);
  const [base, scale] = array(state, 'baseScale', Float64Array);
  const link = (state.json as { link?: string }).link;
  const n = feature.length;
  // Typed arrays, one slot per node (or leaf): the memory stays a few times the model's own.
  let leaves = 0;
  for (let k = 0; k < n; k++) if (feature[k]! < 0) leaves++;
  const treeIds = new Int32Array(n);
  const nodeIds = new Int32Array(n);
  const featureIds = new Int32Array(n);
  const modes: string[] = new Array<string>(n);
  const values = new Float64Array(n);
  const trueIds = new Int32Array(n);
  const falseIds = new Int32Array(n);
  const leafTree = new Int32Array(leaves);
  const leafNode = new Int32Array(leaves);
  const leafWeight = new Float64Array(leaves);
  let l = 0;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t]!;
    const end = t + 1 < roots.length ? roots[t + 1]! : n;
    for (let k = root; k < end; k++) {
      const leaf = feature[k]! < 0;
      treeIds[k] = t;
      nodeIds[k] = k - root;
      featureIds[k] = leaf ? 0 : feature[k]!;
      // Our trees go left when x <= threshold (trees/tree.ts); the right child is left + 1.
      modes[k] = leaf ? 'LEAF' : 'BRANCH_LEQ';
      values[k] = leaf ? 0 : threshold[k]!;
      trueIds[k] = leaf ? 0 : left[k]! - root;
      falseIds[k] = leaf ? 0 : left[k]! + 1 - root;
      if (leaf) {
        leafTree[l] = t;
        leafNode[l] = k - root;
        leafWeight[l++] = value[k]!;
      }
    }
  }
  const sum = g.node('TreeEnsembleRegressor', [x], {
    n_targets: 1, aggregate_function: 'SUM', post_transform: 'NONE',
    nodes_treeids: { int64s: treeIds }, nodes_nodeids: { int64s: nodeIds }, nodes_featureids: { int64s: featureIds },
    nodes_modes: modes, nodes_values_as_tensor: { doubles: values },
    nodes_truenodeids: { int64s: trueIds }, nodes_falsenodeids: { int64s: falseIds },
    target_treeids: { int64s: leafTree }, target_nodeids: { int64s: leafNode }, target_ids: { int64s: new Int32Array(leaves) },
    target_weights_as_tensor: { doubles: leafWeight },
  }, { domain: ML_DOMAIN });
  // The regressor's output is float32 by the operator's definition; scale, base and link run in double.
  const raw = g.node('Add', [g.node('Mul', [g.node('Cast', [sum], { to: TO_DOUBLE }), g.constant('scale', [], [scale!])]), g.constant('base', [], [base!])]);
  return twoColumns(g, link === 'sigmoid' ? g.node('Sigmoid', [raw]) : raw);
}

function logistic(g: GraphBuilder, state: ModelState, x: string): string {
  const coef = array(state, 'coef', Float64Array);
  const classes = array(state, 'classes', Float64Array);
  const intercept = (state.json as { intercept: number }).intercept;
  // Two score rows (-w, w) so the operator's scores are [-z, z] with no binary special case; column 1 is
  // the log-odds of classes[1].
  const labelOut = g.name('lr_label');
  const scores = g.name('lr_scores');
  g.node('LinearClassifier', [x], {
    classlabels_ints: { int64s: Array.from(classes) }, coefficients: [...Array.from(coef, (c) => -c), ...coef],
    intercepts: [-intercept, intercept], post_transform: 'NONE', multi_class: 0,
  }, { domain: ML_DOMAIN, outputs: [labelOut, scores] });
  const z = g.node('Gather', [scores, g.int64Constant('column', [1], [1])], { axis: 1 });
  return twoColumns(g, g.node('Sigmoid', [g.node('Cast', [z], { to: TO_DOUBLE })]));
}

/** The [N, 2] probability matrix of a classifier state. */
function classifier(g: GraphBuilder, state: ModelState, x: string): string {
  if (TREE_KINDS.has(state.kind)) return treeEnsemble(g, state, x);
  if (state.kind === 'logistic_regression') return logistic(g, state, x);
  if (state.kind === 'voting') {
    const members = (state.json as { members?: Omit<ModelState, 'arrays'>[] }).members ?? [];
    const n = members.length;
    const parts = members.map((m, i) => {
      const prefix = `m${i}.`;
      const arrays: Record<string, TypedArray> = {};
      for (const [k, a] of Object.entries(state.arrays)) if (k.startsWith(prefix)) arrays[k.slice(prefix.length)] = a;
      return g.node('Div', [classifier(g, { ...m, arrays }, x), g.constant('members', [], [n])]);
    });
    return parts.length === 1 ? parts[0]! : g.node('Sum', parts);
  }
  throw unsupported(state.kind, 'model');
}

function classesOf(state: ModelState): Float64Array {
  if (state.kind === 'voting') {
    const first = (state.json as { members?: Omit<ModelState, 'arrays'>[] }).members?.[0];
    if (!first) throw new NsError('VOTING_EMPTY', 'A voting ensemble needs at least one member.', { kind: 'state', hint: 'Re-train the model.' });
    return array({ ...state, arrays: { classes: state.arrays['m0.classes']! } }, 'classes', Float64Array);
  }
  return array(state, 'classes', Float64Array);
}

/**
 * The ONNX model (serialised ModelProto) of a bundle. Throws ONNX_UNSUPPORTED for a family with no ONNX
 * form, before anything is built.
 */
export function exportOnnx(bundle: ModelBundle, options: OnnxExportOptions = {}): Uint8Array {
  const cols = bundle.featureNames.length;
  const classes = classesOf(bundle.model);
  if (classes.length !== 2) {
    throw new NsError('ONNX_UNSUPPORTED', `The model has ${classes.length} classes; the ONNX export handles two.`, { hint: 'Export a model trained on the two-class label.' });
  }
  const g = new GraphBuilder(options.maxBytes);
  const input = 'features';
  let x = input;
  for (const step of bundle.preprocessors) x = preprocess(g, step, x, cols);
  const proba = classifier(g, bundle.model, x);
  // Label = the class of the larger probability, the first class on a tie (as Predictor does).
  const best = g.node('ArgMax', [proba], { axis: 1, keepdims: 0, select_last_index: 0 });
  g.node('Gather', [g.int64Constant('classes', [2], Array.from(classes)), best], { axis: 0 }, { outputs: ['label'] });
  const columns = options.outputs === 'columns';
  if (columns) {
    const phishing = Array.from(classes).indexOf(options.phishingClass ?? -1);
    if (phishing < 0) throw new NsError('BUNDLE_CLASSES', `The model's classes (${Array.from(classes).join(', ')}) do not include ${options.phishingClass ?? -1}.`, { kind: 'state', hint: 'Retrain on data whose Result column uses -1 for phishing.' });
    g.node('Gather', [proba, g.int64Constant('phishing_column', [], [phishing])], { axis: 1 }, { outputs: ['phishing_probability'] });
  } else {
    g.node('Identity', [proba], {}, { outputs: ['probabilities'] });
  }
  const classList = Array.from(classes).join(', ');
  return g.model({
    graphName: `networksecurity_${bundle.model.kind}`,
    producerVersion: bundle.libraryVersion,
    docString: `networksecurity ${bundle.model.kind} model${options.version === undefined ? '' : ` v${options.version}`}: phishing website classifier (label -1 phishing, 1 legitimate).`,
    input: { name: input, cols, doc: `One row per website: the ${cols} features as doubles (-1, 0 or 1; NaN = missing), in this order: ${bundle.featureNames.join(', ')}.` },
    outputs: [
      { name: 'label', type: 'int64', dims: ['N'], doc: `Predicted class (${classList}).` },
      columns
        ? { name: 'phishing_probability', type: 'double', dims: ['N'], doc: 'Probability that the website is phishing.' }
        : { name: 'probabilities', type: 'double', dims: ['N', 2], doc: `Class probabilities, columns in class order ${classList}.` },
    ],
    metadata: {
      feature_names: JSON.stringify(bundle.featureNames),
      classes: JSON.stringify(Array.from(classes)),
      model_kind: bundle.model.kind,
      schema_hash: bundle.schemaHash,
      training_data_hash: bundle.trainingDataHash,
      library_version: bundle.libraryVersion,
      ...(options.version === undefined ? {} : { model_version: String(options.version) }),
    },
  });
}
