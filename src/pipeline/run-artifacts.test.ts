/**
 * RunArtifacts over an in-memory ArtifactStore whose puts can be made to fail: a stage counts as
 * completed (or forgotten) only once the manifest saying so is stored.
 */
import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../ports/memory-artifact-store.test-helpers.js';
import { RunArtifacts, type Manifest } from './run-artifacts.js';
import type { PipelineOptions } from './types.js';

/** The in-memory store, plus a reader for a run's stored manifest. */
class MemoryStore extends MemoryArtifactStore {
  manifest(runId: string): Manifest { return JSON.parse(this.objects.get(`${runId}/manifest.json`)!) as Manifest; }
}

const options = { seed: 1 } as PipelineOptions;

describe('RunArtifacts', () => {
  it('records a completed stage in memory and in the stored manifest', async () => {
    const store = new MemoryStore();
    const run = await RunArtifacts.create(store, 'run-1', options, '0.0.0');
    await run.completeStage('ingest', new Date(), { rows: 3 });
    expect(run.completed('ingest')).toBe(true);
    expect(run.outputs()).toEqual({ ingest: { rows: 3 } });
    expect(store.manifest('run-1').stages.ingest?.outputs).toEqual({ rows: 3 });
    expect((await RunArtifacts.open(store, 'run-1')).completed('ingest')).toBe(true);
  });

  it('does not count a stage as completed when storing the manifest fails', async () => {
    const store = new MemoryStore();
    const run = await RunArtifacts.create(store, 'run-1', options, '0.0.0');
    await run.completeStage('ingest', new Date(), { rows: 3 });
    store.failing = true;
    await expect(run.completeStage('validate', new Date(), { ok: true })).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect(run.completed('validate')).toBe(false);
    expect(Object.keys(run.manifest.stages)).toEqual(['ingest']);
    expect(run.outputs()).toEqual({ ingest: { rows: 3 } });
    expect(Object.keys(store.manifest('run-1').stages)).toEqual(['ingest']);

    store.failing = false;
    await run.completeStage('validate', new Date(), { ok: true });
    expect(Object.keys(store.manifest('run-1').stages)).toEqual(['ingest', 'validate']);
  });

  it('forgets stages from a point on only once that is stored', async () => {
    const store = new MemoryStore();
    const run = await RunArtifacts.create(store, 'run-1', options, '0.0.0');
    await run.write('ingest', 'snapshot.csv', 'a,b');
    await run.completeStage('ingest', new Date(), {});
    await run.write('validate', 'validation_report.json', '{}');
    await run.completeStage('validate', new Date(), {});
    const stages = ['ingest', 'validate', 'transform', 'train', 'evaluate', 'push'] as const;

    store.failing = true;
    await expect(run.resetFrom(stages, 'validate')).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect(run.completed('validate')).toBe(true);
    expect(run.manifest.artifacts.map((a) => a.name)).toEqual(['snapshot.csv', 'validation_report.json']);

    store.failing = false;
    await run.resetFrom(stages, 'validate');
    expect([run.completed('ingest'), run.completed('validate')]).toEqual([true, false]);
    expect(run.manifest.artifacts.map((a) => a.name)).toEqual(['snapshot.csv']);
    expect(Object.keys(store.manifest('run-1').stages)).toEqual(['ingest']);
  });
});
