/**
 * Stage 5, evaluate: score the best candidate and the current champion on the same held-out test
 * data; the candidate is accepted when its phishing F1 is not worse than the champion's beyond the
 * tolerance (the first model is accepted). A rejected run keeps its artifacts and changes nothing.
 */
import { NsError } from '../../core/errors.js';
import { decodeDataset } from '../dataset-io.js';
import { testMetrics } from '../evaluation.js';
import { Predictor } from '../predictor.js';
import type { EvaluateOutput, StageContext } from '../types.js';

export async function evaluate(ctx: StageContext): Promise<EvaluateOutput> {
  const { validate: v, train: t } = ctx.outputs;
  if (!v || !t) throw new NsError('STAGE_ORDER', 'evaluate needs the outputs of validate and train.', { kind: 'state', hint: 'Run the pipeline from train.' });
  const test = decodeDataset(await ctx.artifacts.get(v.testKey), v.testKey);
  const candidate = Predictor.fromBundle(await ctx.artifacts.get(t.bundleKey), { version: 0, schemaHash: ctx.schema.hash });
  const candidateMetrics = testMetrics(test.y, candidate.predict(test.X));
  const championVersion = await ctx.registry.getAlias('champion');
  if (!championVersion) {
    ctx.progress(1, 'no champion yet: accepted');
    return { accepted: true, reason: 'first model', candidate: candidateMetrics, champion: null };
  }
  let champion: Predictor;
  try {
    champion = Predictor.fromBundle(await ctx.artifacts.get(championVersion.bundleKey), { version: championVersion.version, schemaHash: ctx.schema.hash });
  } catch (e) {
    if (e instanceof NsError && (e.code === 'BUNDLE_SCHEMA_MISMATCH' || e.code === 'ARTIFACT_NOT_FOUND' || e.code === 'BUNDLE_INVALID')) {
      ctx.logger.warn('the champion cannot be scored on this data; the candidate replaces it', { code: e.code });
      return { accepted: true, reason: `champion v${championVersion.version} unusable (${e.code})`, candidate: candidateMetrics, champion: null };
    }
    throw e;
  }
  const championMetrics = testMetrics(test.y, champion.predict(test.X));
  const margin = candidateMetrics.f1Phishing - championMetrics.f1Phishing;
  const accepted = margin >= -ctx.options.tolerance;
  const reason = `candidate F1 ${candidateMetrics.f1Phishing.toFixed(4)} vs champion v${championVersion.version} ${championMetrics.f1Phishing.toFixed(4)} (tolerance ${ctx.options.tolerance})`;
  ctx.progress(1, `${accepted ? 'accepted' : 'rejected'}: ${reason}`);
  return { accepted, reason, candidate: candidateMetrics, champion: { version: championVersion.version, test: championMetrics } };
}
