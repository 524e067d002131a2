/**
 * `etl --rejects` never writes through a symbolic link (issue 18): a link in its place is refused
 * with REJECTS_IS_SYMLINK (exit 2) and the file it points to keeps its content.
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

describe('etl --rejects', () => {
  it('refuses a symbolic link and leaves its target alone; a plain path still gets the rejected rows', async () => {
    const home = tempHome();
    const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
    writeFileSync(join(home, 'in.csv'), [lines[0], lines[1]!.replace(/^-?1,/, '9,'), lines[2]].join('\n') + '\n');
    const victim = join(home, 'precious.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(home, 'link.csv'));

    const r = await runCli(['etl', '--source', join(home, 'in.csv'), '--rejects', join(home, 'link.csv')], home);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^REJECTS_IS_SYMLINK: The reject file .*link\.csv is a symbolic link; it is not followed\./m);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');

    const ok = await runCli(['etl', '--source', join(home, 'in.csv'), '--rejects', join(home, 'rejects.csv')], home);
    expect(ok.code, ok.stderr).toBe(3);
    expect(readFileSync(join(home, 'rejects.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
