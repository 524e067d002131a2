/** The dispatcher's own answers: --version, the command list, and --help of every command and action. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandEntries, loadCommands } from './commands/index.js';

const commands = await loadCommands();
import { main } from './main.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (l) => (out += l + '\n'), err: (l) => (err += l + '\n'), isTty: false });
  return { code, out, err };
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('networksecurity', () => {
  it('--version prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('each lazily loaded command is listed under its own name', () => {
    expect(commands.map((c) => c.name)).toEqual(commandEntries.map((e) => e.name));
  });

  it('--help lists every command, summaries in one column', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    const lines = out.split('\n').filter((l) => commands.some((c) => l.startsWith(`  ${c.name} `)));
    expect(lines).toHaveLength(commands.length);
    const column = lines.map((l, i) => l.indexOf(commands[i]!.summary));
    expect(new Set(column).size).toBe(1);
  });

  it.each(commands.map((c) => [c.name]))('%s --help shows its usage and flags', async (name) => {
    const c = commands.find((x) => x.name === name)!;
    const { code, out } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(out).toContain(`Usage: networksecurity ${c.usage}`);
    for (const f of c.flags) expect(out).toMatch(new RegExp(`^  --${f.name}\\b.*${f.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    for (const a of c.actions ?? []) expect(out).toContain(a.usage);
  });

  it.each(commands.flatMap((c) => (c.actions ?? []).map((a) => [c.name, a.name])))('%s %s --help shows that action alone', async (name, action) => {
    const a = commands.find((x) => x.name === name)!.actions!.find((x) => x.name === action)!;
    const { code, out } = await run([name, action, '--help']);
    expect(code).toBe(0);
    expect(out.split('\n').slice(0, 3)).toEqual([`Usage: networksecurity ${a.usage}`, '', a.summary]);
  });
});
