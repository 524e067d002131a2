/**
 * Benchmark driver (`npm run bench [-- section ...] [--reps N] [--quick] [--records N] [--sizes N,N]`): runs
 * the sections bench/ml (always available), bench/search, bench/dataplane, bench/server, bench/scale, bench/analyze, bench/queue and bench/load (when present), and prints ONE JSON
 * document on stdout — the machine, then each section's result. Progress goes to stderr.
 * A failing section is reported as {"error": "..."} and the others still run; the exit code is then 1.
 * (`npm run` echoes its own banner on stdout; use `npm run -s bench` to get the bare JSON.)
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOptions, BenchSection } from './types.js';

const SECTIONS = ['ml', 'search', 'dataplane', 'server', 'scale', 'analyze', 'queue', 'load'] as const;

function parseArgs(argv: string[]): { sections: string[]; reps: number; quick: boolean; records: number | undefined; sizes: number[] | undefined; only: string | undefined } {
  const sections: string[] = [];
  let reps = 3;
  let quick = false;
  let records: number | undefined;
  let sizes: number[] | undefined;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--reps') reps = Math.max(1, Number(argv[++i]));
    else if (a === '--only') only = argv[++i];
    else if (a === '--records') records = Math.max(1, Number(argv[++i]));
    else if (a === '--sizes') sizes = (argv[++i] ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
    else if ((SECTIONS as readonly string[]).includes(a)) sections.push(a);
    else {
      process.stderr.write(`unknown argument ${a}; sections: ${SECTIONS.join(', ')}; options: --reps N, --quick, --records N, --sizes N,N,..., --only ROW\n`);
      process.exit(2);
    }
  }
  return { sections: sections.length > 0 ? sections : [...SECTIONS], reps: Number.isFinite(reps) ? reps : 3, quick, records, sizes: sizes && sizes.length > 0 ? sizes : undefined, only };
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const args = parseArgs(process.argv.slice(2));
  const opts: BenchOptions = {
    reps: args.quick ? Math.min(args.reps, 2) : args.reps,
    quick: args.quick,
    ...(args.records !== undefined ? { records: args.records } : {}),
    ...(args.sizes !== undefined ? { sizes: args.sizes } : {}),
    ...(args.only !== undefined ? { only: args.only } : {}),
    root,
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  };
  const cpus = os.cpus();
  const doc: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus.length, cpuModel: cpus[0]?.model ?? null, memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version, platform: `${os.platform()} ${os.release()}`, loadAvgAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    options: { reps: opts.reps, quick: opts.quick, only: opts.only ?? null },
    sections: {},
  };
  const sections = doc.sections as Record<string, unknown>;
  let failed = false;
  for (const name of args.sections) {
    const file = path.join(root, 'bench', name, 'index.ts');
    if (!existsSync(file)) {
      if (name !== 'ml') continue;
    }
    opts.log(`section ${name}`);
    const t0 = performance.now();
    try {
      const mod = (await import(pathToFileURL(file).href)) as BenchSection;
      sections[name] = { ...(await mod.run(opts)), sectionSeconds: Math.round(performance.now() - t0) / 1000 };
    } catch (e) {
      failed = true;
      sections[name] = { error: e instanceof Error ? e.message : String(e) };
      opts.log(`section ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  doc.machine = { ...(doc.machine as object), loadAvgAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  process.exitCode = failed ? 1 : 0;
}

await main();
