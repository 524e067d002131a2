/**
 * One run at a time per registry (issue 18, item 2): several `train` processes started together on
 * one home, several rounds — exactly one runs and pushes per round, the others are refused with
 * RUN_IN_PROGRESS (exit 2), and the runs that went through never overlap in time. A run killed with
 * SIGKILL does not hold the lock, and it is marked interrupted when another run starts.
 */
import { describe, expect, it } from 'vitest';
import { bundledCsv, killWhen, runCli, startCli, tempHome } from './cli-helpers.js';

interface RunsJson { runs: { id: string; status: string; startedAt: string; finishedAt: string | null }[] }
interface ModelsJson { versions: { version: number; runId: string }[] }

describe('one train at a time per registry', () => {
  it('of 3 concurrent train processes exactly one runs and pushes, in each of 3 rounds', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const winners: string[] = [];
    for (let round = 0; round < 3; round++) {
      // A seed of its own per round: a run with a registered version's training key would reuse that version.
      const results = await Promise.all([0, 1, 2].map(() => runCli(['train', '--json', '--preset', 'quick', '--seed', String(round + 1)], home)));
      const won = results.filter((r) => r.code === 0);
      const refused = results.filter((r) => r.code !== 0);
      expect(won, results.map((r) => r.stderr).join('\n---\n')).toHaveLength(1);
      for (const r of refused) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/^RUN_IN_PROGRESS: /m);
      }
      winners.push((JSON.parse(won[0]!.stdout) as { runId: string }).runId);
    }
    const runs = (JSON.parse((await runCli(['runs', '--json'], home)).stdout) as RunsJson).runs;
    expect(runs.map((r) => r.id).sort()).toEqual([...winners].sort());
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const spans = runs.map((r) => [Date.parse(r.startedAt), Date.parse(r.finishedAt!)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    const models = (JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as ModelsJson).versions;
    expect(models.map((m) => m.runId).sort()).toEqual([...winners].sort());
  }, 600_000);

  it('a killed run does not hold the lock and is marked interrupted when the next run starts', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    await killWhen(startCli(['train', '--preset', 'quick'], home), '▶ transform');
    const killed = (JSON.parse((await runCli(['runs', '--json'], home)).stdout) as RunsJson).runs[0]!;
    const next = await runCli(['train', '--json', '--fresh', '--preset', 'quick'], home);
    expect(next.code, next.stderr).toBe(0);
    const runs = (JSON.parse((await runCli(['runs', '--json'], home)).stdout) as RunsJson).runs;
    expect(runs.find((r) => r.id === killed.id)?.status).toBe('interrupted');
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
  }, 300_000);
});
