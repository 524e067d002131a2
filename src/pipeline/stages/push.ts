/**
 * Stage 6, push: every candidate becomes a model version. Its bundle is copied from the run's
 * `<run-id>/model.nsm` (which `train --from train` rewrites) to `models/<training key>/<sha256>.nsm`,
 * a key no later run writes different bytes to, so a registered version's bundle never changes. A run
 * with the training key of a registered version (same snapshot, settings and seed) reuses that
 * version, unless its bundle is gone or damaged. When evaluate accepted the candidate the `champion` alias moves to it with a compare-and-set,
 * so a concurrent promotion is never overwritten silently; otherwise it gets the `challenger` alias. A push that fails never
 * leaves the champion moved: a registry that records the move and then fails (publishing its index to
 * an artifact store that went down) gets the alias put back before the error is reported, and the
 * runner undoes a promotion whose stage cannot be recorded in the run's manifest (undoPromotion).
 */
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import type { ModelVersion } from '../../ports/registry.js';
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

/**
 * What decides the model a run trains: the data snapshot, the schema, the library version and every
 * option that changes the result (not --full, --jobs or the gate's tolerance). Two runs with the same
 * key train the same model, so push reuses the version registered for it instead of adding a copy.
 */
export function trainingKey(ctx: Pick<StageContext, 'options' | 'schema' | 'run'>, snapshotSha256: string, testSplitSha256?: string): string {
  const { seed, testSize, plan, imputer, scaler, cvFolds, maxBadRowShare } = ctx.options;
  // The test split's sha256 too: a carried split makes the split depend on the runs before, not only on the data and seed.
  return sha256(JSON.stringify({
    snapshotSha256, schemaHash: ctx.schema.hash, libraryVersion: ctx.run.manifest.libraryVersion,
    seed, testSize, plan, imputer, scaler, cvFolds, maxBadRowShare, testSplitSha256,
  }));
}

/** Where a registered bundle lives: under its training key, named by its content, so it is never overwritten. */
export function versionBundleKey(key: string, bundleSha256: string): string {
  return `${versionBundlePrefix(key)}${bundleSha256}.nsm`;
}

function versionBundlePrefix(key: string): string {
  return `models/${key}/`;
}

/** The version's bundle is in the artifact store with its registered sha256 (a version to reuse must be loadable). */
async function intact(ctx: StageContext, v: Pick<ModelVersion, 'bundleKey' | 'bundleSha256'>): Promise<boolean> {
  return (await ctx.artifacts.exists(v.bundleKey)) && sha256(await ctx.artifacts.get(v.bundleKey)) === v.bundleSha256;
}

/** Gives the challenger alias to `version` (a candidate not promoted); a concurrent move wins and is logged. */
async function markChallenger(ctx: StageContext, version: number): Promise<boolean> {
  const current = (await ctx.registry.getAlias('challenger'))?.version ?? null;
  if (current === version) return true;
  try {
    await ctx.registry.setAlias('challenger', version, current, `run ${ctx.runId}: not promoted`);
    return true;
  } catch (e) {
    if (!(e instanceof NsError && e.code === 'ALIAS_CONFLICT')) throw e;
    ctx.logger.warn(`the challenger alias moved meanwhile; v${version} is not the challenger`);
    return false;
  }
}

/**
 * Runs stage 6: registers the candidate (or finds the version registered for the same training key),
 * then moves the champion alias when evaluate accepted it, or else the challenger alias.
 */
export async function push(ctx: StageContext): Promise<PushOutput> {
  const { ingest: ing, train: t, evaluate: ev } = ctx.outputs;
  if (!ing || !t || !ev) throw new NsError('STAGE_ORDER', 'push needs the outputs of ingest, train and evaluate.', { kind: 'state', hint: 'Run the pipeline from train.' });
  const stored = await ctx.artifacts.get(t.bundleKey);
  if (sha256(stored) !== t.bundleSha256) {
    throw new NsError('PUSH_CHECKSUM', `The stored bundle ${t.bundleKey} does not match the trained one.`, {
      kind: 'unavailable', hint: 'Run `networksecurity train --from train` to train and push again.',
    });
  }
  const key = trainingKey(ctx, ing.snapshotSha256, ing.split.testSha256);
  const keyPrefix = versionBundlePrefix(key);
  const sameKey = (await ctx.registry.list()).filter((v) => v.bundleKey.startsWith(keyPrefix)).sort((a, b) => a.version - b.version);
  let existing: ModelVersion | undefined;
  for (const v of sameKey) {
    if (await intact(ctx, v)) {
      existing = v;
      break;
    }
  }
  let version: ModelVersion;
  if (existing) {
    version = existing;
    ctx.progress(0.5, `same snapshot, settings and seed as v${existing.version}: reusing it`);
  } else {
    const bundleKey = versionBundleKey(key, t.bundleSha256);
    // The key names the content: writing it again can only restore bytes that were damaged.
    if (!(await intact(ctx, { bundleKey, bundleSha256: t.bundleSha256 }))) await ctx.artifacts.put(bundleKey, stored);
    const best = t.candidates.find((c) => c.name === t.best)!;
    ctx.signal?.throwIfAborted();
    version = await ctx.registry.register({
      runId: ctx.runId, bundleKey, bundleSha256: t.bundleSha256, modelKind: best.kind,
      metrics: numericMetrics(best.test), snapshotSha256: ing.snapshotSha256, schemaHash: ctx.schema.hash,
    });
  }
  const out = { version: version.version, bundleKey: version.bundleKey, reused: existing !== undefined };
  const championBefore = (await ctx.registry.getAlias('champion'))?.version ?? null;
  // A run stopped or no longer holding the run lock moves no alias (the next holder resumes push).
  ctx.signal?.throwIfAborted();
  if (!ev.accepted || championBefore === version.version) {
    const challenger = championBefore !== version.version && await markChallenger(ctx, version.version);
    ctx.progress(1, `model v${version.version} ${challenger ? 'is the challenger' : 'registered'}; champion unchanged`);
    return { ...out, promoted: false, challenger };
  }
  try {
    await ctx.registry.setAlias('champion', version.version, championBefore, `run ${ctx.runId}: ${ev.reason}`);
  } catch (e) {
    await restoreChampion(ctx, version.version, championBefore);
    throw e;
  }
  ctx.progress(1, `model v${version.version} is the champion`);
  return { ...out, promoted: true, challenger: false };
}
