/**
 * Stage 6, push: register the run's bundle (already in the artifact store under `<run-id>/model.nsm`)
 * as a new model version and, when evaluate accepted it, move the `champion` alias with a
 * compare-and-set so a concurrent promotion is never overwritten silently. A push that fails never
 * leaves the champion moved: a registry that records the move and then fails (publishing its index to
 * an artifact store that went down) gets the alias put back before the error is reported, and the
 * runner undoes a promotion whose stage cannot be recorded in the run's manifest (undoPromotion).
 */
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import type { PushOutput, StageContext, TestMetrics } from '../types.js';

function numericMetrics(m: TestMetrics): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/** What restoring the champion needs of a stage context. */
export type RestoreContext = Pick<StageContext, 'runId' | 'registry' | 'logger'>;

/**
 * After a failed alias move: when the champion holds `moved` anyway, moves it back to `previous`. The
 * restore is best effort (publishing it fails the same way as the move did); the move's error is the
 * one to report, so a champion that cannot be put back is logged, not thrown.
 */
export async function restoreChampion(ctx: RestoreContext, moved: number, previous: number | null): Promise<void> {
  const { registry } = ctx;
  if ((await registry.getAlias('champion'))?.version !== moved) return;
  try {
    await registry.setAlias('champion', previous, moved, `run ${ctx.runId}: push failed, champion restored`);
  } catch {
    // The local move back happened before the same publishing failure, or another promotion won since.
  }
  if ((await registry.getAlias('champion'))?.version === moved) {
    ctx.logger.error(`push failed but the champion could not be moved back from v${moved}`, { previous });
  }
}

/**
 * Undoes a promotion by push whose run then failed (the manifest recording the push could not be
 * saved): when the latest move of the champion is this run's move to `version`, restores the version
 * it replaced; a champion moved since (rollback, another promotion) is left alone. Best effort like
 * restoreChampion: never throws, so the run's own error is the one reported.
 */
export async function undoPromotion(ctx: RestoreContext, version: number): Promise<void> {
  try {
    const [latest] = await ctx.registry.history('champion');
    if (latest?.to === version && latest.reason.startsWith(`run ${ctx.runId}: `)) await restoreChampion(ctx, version, latest.from);
  } catch {
    ctx.logger.error(`push failed but the champion could not be moved back from v${version}`);
  }
}

/** Runs stage 6 on the context; see the module comment. */
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
  const previous = championBefore?.version ?? null;
  try {
    await ctx.registry.setAlias('champion', version.version, previous, `run ${ctx.runId}: ${ev.reason}`);
  } catch (e) {
    await restoreChampion(ctx, version.version, previous);
    throw e;
  }
  ctx.progress(1, `model v${version.version} is the champion`);
  return { version: version.version, promoted: true, bundleKey: t.bundleKey };
}
