/**
 * Stage 5, evaluate: score the best candidate and the current champion on the same held-out rows,
 * none of which either of them trained on — test rows whose feature vector is in the champion's
 * training split are excluded (and counted) first, since the champion may come from a run with another
 * split, seed or data. The champion's bundle is checked against its registered sha256 before it is
 * scored. Next to both F1s the report gives McNemar's exact test on the rows where exactly one of the
 * two is right. The candidate is accepted only when its phishing F1 is above the champion's minus the
 * tolerance (default 0: it must beat the champion, a tie keeps the champion); the first model is
 * accepted. A rejected run keeps its artifacts; push registers it without moving the champion.
 */
import { NsError } from '../../core/errors.js';
import { takeDataset, type Dataset } from '../../core/matrix.js';
import { mcnemarExact } from '../../ml/metrics/index.js';
import { featureVectorGroups } from '../../ml/model-selection/index.js';
import { trainingDataOf } from '../champion-data.js';
import { concatDatasets, decodeDataset } from '../dataset-io.js';
import { testMetrics } from '../evaluation.js';
import { Predictor } from '../predictor.js';
import type { EvaluateOutput, StageContext } from '../types.js';

/** Codes of a champion that cannot be scored at all; the candidate then replaces it. */
const UNUSABLE = new Set(['BUNDLE_SCHEMA_MISMATCH', 'ARTIFACT_NOT_FOUND', 'BUNDLE_INVALID', 'BUNDLE_CHECKSUM']);

/** Row indices of `test` whose feature vector does not occur in `seen`. */
export function unseenRows(test: Dataset, seen: Dataset): Int32Array {
  const groups = featureVectorGroups(concatDatasets(seen, test).X);
  const known = new Set(groups.subarray(0, seen.X.rows));
  const keep: number[] = [];
  for (let i = 0; i < test.X.rows; i++) if (!known.has(groups[seen.X.rows + i]!)) keep.push(i);
  return Int32Array.from(keep);
}

export async function evaluate(ctx: StageContext): Promise<EvaluateOutput> {
  const { validate: v, train: t } = ctx.outputs;
  if (!v || !t) throw new NsError('STAGE_ORDER', 'evaluate needs the outputs of validate and train.', { kind: 'state', hint: 'Run the pipeline from train.' });
  const test = decodeDataset(await ctx.artifacts.get(v.testKey), v.testKey);
  const candidate = Predictor.fromBundle(await ctx.artifacts.get(t.bundleKey), { version: 0, schemaHash: ctx.schema.hash });
  const championVersion = await ctx.registry.getAlias('champion');
  const alone = (accepted: boolean, reason: string, excludedRows: number | null = null): EvaluateOutput => ({
    accepted, reason, candidate: testMetrics(test.y, candidate.predict(test.X)), champion: null,
    rows: { test: test.X.rows, excluded: excludedRows, scored: test.X.rows }, mcnemar: null,
  });
  if (!championVersion) {
    ctx.progress(1, 'no champion yet: accepted');
    return alone(true, 'first model');
  }
  let champion: Predictor;
  try {
    champion = Predictor.fromVersion(await ctx.artifacts.get(championVersion.bundleKey), championVersion, ctx.schema.hash);
  } catch (e) {
    if (e instanceof NsError && UNUSABLE.has(e.code)) {
      ctx.logger.warn('the champion cannot be scored on this data; the candidate replaces it', { code: e.code });
      return alone(true, `champion v${championVersion.version} unusable (${e.code})`);
    }
    throw e;
  }

  const seen = await trainingDataOf(ctx, championVersion);
  const rows = seen ? unseenRows(test, seen) : Int32Array.from(test.y.keys());
  const excluded = seen ? test.X.rows - rows.length : null;
  const fair = takeDataset(test, rows);
  const excludedText = excluded === null ? 'its training data not found, no rows excluded' : `${excluded} test rows it trained on excluded`;
  if (rows.length === 0) {
    const reason = `champion v${championVersion.version} trained on every test row: no fair comparison, champion kept`;
    ctx.progress(1, `rejected: ${reason}`);
    return alone(false, reason, excluded);
  }
  const cand = candidate.predict(fair.X);
  const champ = champion.predict(fair.X);
  const candidateMetrics = testMetrics(fair.y, cand);
  const championMetrics = testMetrics(fair.y, champ);
  const m = mcnemarExact(fair.y, cand.label, champ.label);
  const margin = candidateMetrics.f1Phishing - championMetrics.f1Phishing;
  const accepted = margin > -ctx.options.tolerance;
  const reason = `candidate F1 ${candidateMetrics.f1Phishing.toFixed(4)} vs champion v${championVersion.version} ${championMetrics.f1Phishing.toFixed(4)}` +
    ` on ${rows.length} rows (${excludedText}); McNemar p = ${m.pValue.toPrecision(3)} (${m.firstOnlyCorrect} rows only the candidate got right,` +
    ` ${m.secondOnlyCorrect} only the champion); tolerance ${ctx.options.tolerance}${accepted ? '' : margin === 0 ? ', a tie keeps the champion' : ''}`;
  ctx.progress(1, `${accepted ? 'accepted' : 'rejected'}: ${reason}`);
  return {
    accepted, reason, candidate: candidateMetrics, champion: { version: championVersion.version, test: championMetrics },
    rows: { test: test.X.rows, excluded, scored: rows.length },
    mcnemar: { candidateOnlyCorrect: m.firstOnlyCorrect, championOnlyCorrect: m.secondOnlyCorrect, pValue: m.pValue },
  };
}
