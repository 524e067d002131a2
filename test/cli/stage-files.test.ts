/**
 * The files `train --stage` and `data export-dvc` write, when something is wrong: a corrupt
 * <outs>/ingest.json is bad input (typed error, hint, exit 2); a stage output that cannot be written
 * fails with OUTPUT_WRITE and leaves no temporary file; export-dvc writes dvc.yaml and params.yaml
 * both or neither.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

describe('train --stage files', () => {
  it('a corrupt ingest.json is refused with a code, a hint and exit 2', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'stages'));
    writeFileSync(join(home, 'stages/ingest.json'), '{"runId": "run-1", trunc');
    const r = await runCli(['train', '--stage', 'validate', '--outs', 'stages'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STAGE_OUTPUT_CORRUPT: .*ingest\.json is not valid JSON.*Re-run the ingest stage/);
    expect(r.stderr).not.toMatch(/SyntaxError/);
  });

  it('a stage output that cannot be written fails with OUTPUT_WRITE and leaves no temporary file', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    // A folder where the ingest stage writes its snapshot: the rename onto it fails.
    mkdirSync(join(home, 'stages/snapshot.csv/x'), { recursive: true });
    const r = await runCli(['train', '--stage', 'ingest', '--outs', 'stages', '--preset', 'quick'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OUTPUT_WRITE: Cannot write .*snapshot\.csv/);
    expect(readdirSync(join(home, 'stages')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(home, 'stages/ingest.json'))).toBe(false);
  }, 120_000);
});

describe('data export-dvc', () => {
  it('writes dvc.yaml and params.yaml both or neither', async () => {
    const home = tempHome();
    // params.yaml cannot be replaced (it is a folder): neither file may change.
    mkdirSync(join(home, 'params.yaml/x'), { recursive: true });
    const r = await runCli(['data', 'export-dvc', '--force'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OUTPUT_WRITE: Cannot write .*params\.yaml/);
    expect(existsSync(join(home, 'dvc.yaml'))).toBe(false);
    expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // With an old pair in place, a failed --force keeps the old dvc.yaml.
    writeFileSync(join(home, 'dvc.yaml'), 'old\n');
    const again = await runCli(['data', 'export-dvc', '--force'], home);
    expect(again.code).toBe(2);
    expect(readFileSync(join(home, 'dvc.yaml'), 'utf8')).toBe('old\n');
    // Once the way is clear both are written.
    const ok = await runCli(['data', 'export-dvc', '--force', '--dir', 'elsewhere'], home);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(home, 'elsewhere/dvc.yaml'), 'utf8')).toMatch(/stages:/);
    expect(readFileSync(join(home, 'elsewhere/params.yaml'), 'utf8')).toMatch(/^seed: /m);
  });
});
