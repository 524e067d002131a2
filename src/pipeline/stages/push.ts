/**
 * Stage 6, push: register the run's bundle (already in the artifact store under `<run-id>/model.nsm`)
 * as a new model version and, when evaluate accepted it, move the `champion` alias with a
 * compare-and-set so a concurrent promotion is never overwritten silently.
 */
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import type { PushOutput, StageContext, TestMetrics } from '../types.js';

function numericMetrics(m: TestMetrics): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

export async function push(ctx: StageContext): Promise<PushOutput> {
  const { ingest: ing, train: t, evaluate: ev } = ctx.outputs;
  if (!ing || !t || !ev) throw new NsError('STAGE_ORDER', 'push needs the outputs of ingest, train and evaluate.', { kind: 'state', hint: 'Run the pipeline from train.' });
  if (!ev.accepted) {
    ctx.progress(1, 'candidate rejected: nothing pushed');
    return { version: null, promoted: false, bundleKey: null };
  }
  const stored = await ctx.artifacts.get(t.bundleKey);
  if (sha256(stored) !== t.bundleSha256) {
    throw new NsError('PUSH_CHECKSUM', `The stored bundle ${t.bundleKey} does not match the trained one.`, {
      kind: 'unavailable', hint: 'Run `networksecurity train --from train` to train and push again.',
    });
  }
  const best = t.candidates.find((c) => c.name === t.best)!;
  const championBefore = await ctx.registry.getAlias('champion');
  const version = await ctx.registry.register({
    runId: ctx.runId, bundleKey: t.bundleKey, bundleSha256: t.bundleSha256, modelKind: best.kind,
    metrics: numericMetrics(ev.candidate), snapshotSha256: ing.snapshotSha256, schemaHash: ctx.schema.hash,
  });
  await ctx.registry.setAlias('champion', version.version, championBefore?.version ?? null, `run ${ctx.runId}: ${ev.reason}`);
  ctx.progress(1, `model v${version.version} is the champion`);
  return { version: version.version, promoted: true, bundleKey: t.bundleKey };
}
