/** The pipeline runner's dependencies, taken from the application context. */
import type { PipelineDeps } from '../pipeline/runner.js';
import type { AppContext } from './context.js';

export const LIBRARY_VERSION = '0.1.0';

export function pipelineDeps(ctx: AppContext): PipelineDeps {
  return {
    schema: ctx.schema, records: ctx.records, artifacts: ctx.artifacts, registry: ctx.registry, runs: ctx.runs,
    logger: ctx.logger, libraryVersion: LIBRARY_VERSION, tracker: ctx.tracker,
  };
}
