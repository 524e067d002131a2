/**
 * The data the champion was trained on: its run's training split (`<run-id>/train.nsds`, written by
 * ingest). Validate measures drift against it; evaluate keeps its feature vectors out of the rows the
 * champion is scored on.
 */
import type { Dataset } from '../core/matrix.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { Logger } from '../core/logger.js';
import type { ModelVersion } from '../ports/registry.js';
import { decodeDataset } from './dataset-io.js';
import { RunArtifacts } from './run-artifacts.js';

/** The training split of `mv`'s run, or null (logged) when it is no longer in the artifact store. */
export async function trainingDataOf(ctx: { artifacts: ArtifactStore; logger: Logger }, mv: ModelVersion): Promise<Dataset | null> {
  const key = RunArtifacts.key(mv.runId, 'train.nsds');
  if (!(await ctx.artifacts.exists(key))) {
    ctx.logger.warn(`the training data of model v${mv.version} is not in the artifact store`, { key });
    return null;
  }
  return decodeDataset(await ctx.artifacts.get(key), key);
}
