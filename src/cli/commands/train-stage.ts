/**
 * `train --stage <name> [--outs <dir>]`: one pipeline stage per call, the form DVC pipelines use
 * (`networksecurity data export-dvc` writes them). `ingest` starts a new run; every later stage continues
 * the run named in <dir>/ingest.json, re-running that stage (and marking the ones after it to be re-run)
 * with the flags given changing the run's recorded options. Each call writes the stage's outputs to
 * <dir>/<stage>.json — ingest also the data snapshot (<dir>/snapshot.csv) and train the candidate bundle
 * (<dir>/model.nsm): the files DVC tracks as the stage's outs. Files are written whole or not at all.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NsError } from '../../core/errors.js';
import type { ProgressListener } from '../../core/logger.js';
import type { AppContext } from '../../main/context.js';
import { runTraining } from '../../main/jobs.js';
import { writeWhole } from '../../main/outputs.js';
import type { PipelineOptions, StageName } from '../../pipeline/types.js';
import type { CommandIo } from '../command.js';

export interface StageCall {
  stage: StageName;
  outs: string;
  options: PipelineOptions;
  /** The options whose flags were given (what a later stage changes in its run). */
  given: Partial<PipelineOptions>;
  listener: ProgressListener;
  signal: AbortSignal;
}

/** The run that <outs>/ingest.json names. */
async function runOfIngest(outs: string): Promise<string> {
  const file = join(outs, 'ingest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new NsError('STAGE_ORDER', `${file} is missing: a run's later stages continue the run its ingest stage started.`, { kind: 'state', hint: `Run \`networksecurity train --stage ingest --outs ${outs}\` first (dvc repro does it in order).` });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NsError('STAGE_OUTPUT_CORRUPT', `${file} is not valid JSON.`, { hint: `Re-run the ingest stage: \`networksecurity train --stage ingest --outs ${outs}\`.` });
  }
  const runId = (parsed as { runId?: unknown } | null)?.runId;
  if (typeof runId !== 'string') throw new NsError('STAGE_ORDER', `${file} names no run.`, { kind: 'state', hint: `Re-run the ingest stage: \`networksecurity train --stage ingest --outs ${outs}\`.` });
  return runId;
}

/** Runs one stage and writes its outs; returns the run id. */
export async function runStage(context: AppContext, call: StageCall, io: CommandIo): Promise<string> {
  const { stage, outs } = call;
  await mkdir(outs, { recursive: true });
  const common = { options: call.options, until: stage, listener: call.listener, signal: call.signal };
  const result = stage === 'ingest'
    ? await runTraining(context, { ...common, fresh: true })
    : await runTraining(context, { ...common, from: stage, runId: await runOfIngest(outs), overrides: call.given });
  const output = result.outputs[stage];
  if (output === undefined) throw new NsError('INTERNAL', `Stage ${stage} of run ${result.runId} recorded no outputs.`, { kind: 'internal', hint: `Re-run the stage; if it happens again, see the run with \`networksecurity runs\`.` });
  if (stage === 'ingest') await writeWhole(join(outs, 'snapshot.csv'), await context.artifacts.get(result.outputs.ingest!.snapshotKey));
  if (stage === 'train') await writeWhole(join(outs, 'model.nsm'), await context.artifacts.get(result.outputs.train!.bundleKey));
  await writeWhole(join(outs, `${stage}.json`), `${JSON.stringify({ runId: result.runId, stage, ...output }, null, 2)}\n`);
  io.err(`stage ${stage} of run ${result.runId} done; outputs in ${join(outs, `${stage}.json`)}`);
  return result.runId;
}
