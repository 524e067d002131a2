/**
 * A loaded model bundle ready to score rows in schema order: preprocessors, then the classifier.
 * Immutable once built; swapping the served model means replacing the Predictor object.
 *
 * @example
 *   const p = Predictor.fromBundle(bytes, { version: 3, schemaHash: schema.hash });
 *   const { label, probPhishing } = p.predict(X);
 */
import { NsError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { decodeBundle, type ModelBundle } from '../ml/bundle.js';
import { classifierFromState, transformerFromState } from '../ml/catalog.js';
import type { Classifier, ContributionSpace, Transformer } from '../ml/estimator.js';
import type { ModelVersion } from '../ports/registry.js';
import { applySteps } from './stages/transform.js';

/** The bytes of a registered version's bundle, or BUNDLE_CHECKSUM when they differ from the sha256 the registry recorded. */
export function checkedBundle(bytes: Uint8Array, mv: Pick<ModelVersion, 'version' | 'bundleSha256'>): Uint8Array {
  if (sha256(bytes) !== mv.bundleSha256) {
    throw new NsError('BUNDLE_CHECKSUM', `The bundle of model v${mv.version} in the artifact store does not match its registered sha256.`, {
      kind: 'state', hint: 'Promote or roll back to another version (`networksecurity models list`), or train a new one.',
    });
  }
  return bytes;
}

/** The class value meaning "phishing" in the data set's label. */
export const PHISHING = -1;

export class Predictor {
  readonly kind: string;
  readonly featureNames: string[];
  private readonly phishingColumn: number;

  private constructor(
    readonly version: number,
    readonly bundle: ModelBundle,
    private readonly steps: Transformer[],
    private readonly model: Classifier,
  ) {
    this.kind = model.kind;
    this.featureNames = bundle.featureNames;
    this.phishingColumn = Array.from(model.classes).indexOf(PHISHING);
    if (this.phishingColumn < 0) {
      throw new NsError('BUNDLE_CLASSES', `The model's classes (${Array.from(model.classes).join(', ')}) do not include ${PHISHING} (phishing).`, {
        kind: 'state', hint: 'Retrain on data whose Result column uses -1 for phishing.',
      });
    }
  }

  static fromBundle(bytes: Uint8Array, opts: { version: number; schemaHash?: string }): Predictor {
    const bundle = decodeBundle(bytes, opts.schemaHash === undefined ? {} : { schemaHash: opts.schemaHash });
    return Predictor.fromDecoded(bundle, opts.version);
  }

  /**
   * The bundle of a registered version, after checking its bytes against the sha256 the registry
   * recorded (BUNDLE_CHECKSUM when they differ: the artifact was changed or damaged since).
   */
  static fromVersion(bytes: Uint8Array, mv: Pick<ModelVersion, 'version' | 'bundleSha256'>, schemaHash: string): Predictor {
    return Predictor.fromBundle(checkedBundle(bytes, mv), { version: mv.version, schemaHash });
  }

  static fromDecoded(bundle: ModelBundle, version: number): Predictor {
    return new Predictor(version, bundle, bundle.preprocessors.map(transformerFromState), classifierFromState(bundle.model));
  }

  /** Labels (-1 phishing, 1 legitimate) and the probability of phishing per row. */
  predict(X: Matrix): { label: Float64Array; probPhishing: Float64Array } {
    this.checkWidth(X);
    const proba = this.model.predictProba(applySteps(this.steps, X));
    const k = proba.cols;
    const classes = this.model.classes;
    const label = new Float64Array(X.rows);
    const probPhishing = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba.data[i * k + c]! > proba.data[i * k + best]!) best = c;
      label[i] = classes[best]!;
      probPhishing[i] = proba.data[i * k + this.phishingColumn]!;
    }
    return { label, probPhishing };
  }

  /**
   * Per-feature pushes toward phishing (positive = more phishing), with the base value; undefined when
   * the model family has no explanation. Base plus the row's values is the phishing score in the
   * model's contribution space: the log-odds of phishing, or its probability.
   */
  contributions(X: Matrix): { values: Matrix; base: Float64Array } | undefined {
    if (!this.model.contributions) return undefined;
    this.checkWidth(X);
    const raw = this.model.contributions(applySteps(this.steps, X));
    const d = X.cols;
    // Contributions are toward classes[1]; flip the sign when that class is legitimate. Then the base is
    // -base in log-odds (logit(1 - p) = -logit(p)) and 1 - base in probability.
    const sign = this.model.classes[1] === PHISHING ? 1 : -1;
    const offset = sign === -1 && this.model.contributionSpace?.() === 'probability' ? 1 : 0;
    const values = matrix(X.rows, d);
    const base = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < d; j++) values.data[i * d + j] = sign * raw.data[i * raw.cols + j]!;
      base[i] = offset + sign * raw.data[i * raw.cols + d]!;
    }
    return { values, base };
  }

  /** The scale of `contributions`: the log-odds of phishing or its probability (undefined: the model does not explain). */
  contributionSpace(): ContributionSpace | undefined {
    return this.model.contributions ? this.model.contributionSpace?.() : undefined;
  }

  private checkWidth(X: Matrix): void {
    if (X.cols !== this.featureNames.length) {
      throw new NsError('FEATURE_COUNT', `Rows have ${X.cols} features; the model expects ${this.featureNames.length}.`, { hint: `Send the features ${this.featureNames.join(', ')}.` });
    }
  }
}
