/**
 * Soft-voting ensemble: the mean of its members' class probabilities. The pipeline builds one from
 * already fitted candidates when their averaged out-of-fold probabilities beat the best single model,
 * so `fit` (refit every member on new data) exists for the contract but is rarely the way in.
 *
 * State: member i's arrays are stored as `m<i>.<name>`, its kind/params/json under `json.members`.
 * Contributions explain the ensemble's probability of classes[1] (see contributions()), only when every
 * member explains itself.
 */
import { NotFittedError, NsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Classifier, ClassifierFactory, ContributionSpace, FitOptions, ModelState, TypedArray } from '../estimator.js';
import { sigmoid } from '../linear/base.js';

export interface VotingParams {
  /** Unfitted (for fit) or fitted members. */
  members: Classifier[];
}

export class VotingClassifier implements Classifier<VotingParams> {
  readonly kind = 'voting';
  readonly params: Readonly<VotingParams>;
  private fitted: Classifier[] | undefined;

  constructor(params: VotingParams, fitted?: Classifier[]) {
    this.params = params;
    this.fitted = fitted;
  }

  /** An ensemble of members that are fitted already (on the same classes). */
  static ofFitted(members: Classifier[]): VotingClassifier {
    if (members.length === 0) throw new NsError('VOTING_EMPTY', 'A voting ensemble needs at least one member.', { hint: 'Pass fitted classifiers.' });
    const classes = Array.from(members[0]!.classes).join(',');
    if (members.some((m) => Array.from(m.classes).join(',') !== classes)) {
      throw new NsError('VOTING_CLASSES', 'The members of a voting ensemble were fitted on different classes.', { hint: 'Fit every member on the same labels.' });
    }
    return new VotingClassifier({ members: members.map((m) => m.clone()) }, members);
  }

  private members(): Classifier[] {
    if (!this.fitted) throw new NotFittedError('VotingClassifier');
    return this.fitted;
  }

  get classes(): Float64Array {
    return this.members()[0]!.classes;
  }

  async fit(X: Matrix, y: Float64Array, options: FitOptions = {}): Promise<this> {
    if (this.params.members.length === 0) throw new NsError('VOTING_EMPTY', 'A voting ensemble needs at least one member.', { hint: 'Pass members in params.' });
    const fitted: Classifier[] = [];
    for (const m of this.params.members) fitted.push(await m.clone().fit(X, y, options));
    this.fitted = fitted;
    return this;
  }

  predictProba(X: Matrix): Matrix {
    const ms = this.members();
    const out = matrix(X.rows, this.classes.length);
    for (const m of ms) {
      const p = m.predictProba(X).data;
      for (let i = 0; i < p.length; i++) out.data[i]! += p[i]! / ms.length;
    }
    return out;
  }

  predict(X: Matrix): Float64Array {
    const p = this.predictProba(X);
    const classes = this.classes;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let c = 1; c < p.cols; c++) if (p.data[i * p.cols + c]! > p.data[i * p.cols + best]!) best = c;
      out[i] = classes[best]!;
    }
    return out;
  }

  getParams(): VotingParams {
    return { members: [...this.params.members] };
  }

  clone(): VotingClassifier {
    return new VotingClassifier({ members: this.params.members.map((m) => m.clone()) });
  }

  /** Mean importances of the members that have them (zeros when none has). */
  featureImportances(): Float64Array {
    const all = this.members().flatMap((m) => m.featureImportances?.() ?? []);
    const width = all[0]?.length ?? 0;
    const out = new Float64Array(width);
    for (const a of all) for (let j = 0; j < width; j++) out[j]! += a[j]! / all.length;
    return out;
  }

  /**
   * Contributions to the ensemble's probability of classes[1] (rows sum to predictProba's column 1).
   * A member that explains log-odds (boosting, logistic regression) is first moved to probability:
   * its base becomes sigmoid(base) and its features share the change sigmoid(sum) - sigmoid(base) in
   * proportion to their log-odds contributions (same signs, exact sum). Then the members are averaged,
   * as their probabilities are.
   */
  contributions(X: Matrix): Matrix {
    const ms = this.members();
    if (ms.some((m) => !m.contributions || !m.contributionSpace)) {
      throw new NsError('NO_CONTRIBUTIONS', 'Some members of this ensemble cannot explain their predictions.', { kind: 'state', hint: 'Use a model whose members all support contributions.' });
    }
    const w = X.cols + 1;
    const out = matrix(X.rows, w);
    for (const m of ms) {
      const c = m.contributions!(X).data;
      const logOdds = m.contributionSpace!() === 'log-odds';
      for (let i = 0; i < X.rows; i++) {
        const row = i * w;
        let scale = 1;
        let base = c[row + X.cols]!;
        if (logOdds) {
          let sum = base;
          for (let j = 0; j < X.cols; j++) sum += c[row + j]!;
          const pBase = sigmoid(base);
          // The limit of (sigmoid(sum) - sigmoid(base)) / (sum - base) as sum -> base is sigmoid'(base).
          scale = sum === base ? pBase * (1 - pBase) : (sigmoid(sum) - pBase) / (sum - base);
          base = pBase;
        }
        for (let j = 0; j < X.cols; j++) out.data[row + j]! += (c[row + j]! * scale) / ms.length;
        out.data[row + X.cols]! += base / ms.length;
      }
    }
    return out;
  }

  contributionSpace(): ContributionSpace {
    this.members();
    return 'probability';
  }

  toState(): ModelState {
    const states = this.members().map((m) => m.toState());
    const arrays: Record<string, TypedArray> = {};
    states.forEach((s, i) => {
      for (const [k, a] of Object.entries(s.arrays)) arrays[`m${i}.${k}`] = a;
    });
    return { kind: this.kind, params: {}, json: { members: states.map((s) => ({ kind: s.kind, params: s.params, json: s.json })) }, arrays };
  }
}

/** The factory needs the catalog to rebuild members, so the catalog passes its lookup in. */
export function votingFactory(memberFromState: (s: ModelState) => Classifier): ClassifierFactory<VotingParams> {
  return {
    kind: 'voting',
    create: (params) => new VotingClassifier({ members: params?.members ?? [] }),
    fromState(state) {
      const members = (state.json['members'] as Omit<ModelState, 'arrays'>[]).map((m, i) => {
        const arrays: Record<string, TypedArray> = {};
        const prefix = `m${i}.`;
        for (const [k, a] of Object.entries(state.arrays)) if (k.startsWith(prefix)) arrays[k.slice(prefix.length)] = a;
        return memberFromState({ ...m, arrays });
      });
      return VotingClassifier.ofFitted(members);
    },
  };
}
