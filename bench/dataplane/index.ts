/**
 * Data-plane benchmark section (loaded by bench/run.ts): ETL-style bulk insert of N records
 * (default 1,000,000, resampled from data/phisingData.csv with a fixed seed) into FerretDB, and the
 * ingest scan of the same N records back out, ours against the original project's way in the same run
 * on the same server (peer.py: pandas read_csv + insert_many; pymongo find() into a DataFrame).
 *
 * Services: the section starts its own FerretDB 1.24.2 (SQLite backend; the binary that
 * scripts/services.sh builds and caches) on a free loopback port with a fresh temporary data folder,
 * so it neither needs nor disturbs the test services of .services/env. Each side runs in its own
 * process, so the peak RSS reported is that side's alone. Options: `records` (number), `quick`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface SideResult { records: number; seconds: number; maxRssMb: number }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Writes a CSV of `n` rows drawn (seeded, with replacement) from the bundled data set. */
function resampledCsv(root: string, n: number, file: string): void {
  const lines = readFileSync(join(root, 'data/phisingData.csv'), 'utf8').trimEnd().split('\n');
  const header = lines[0]!;
  const rows = lines.slice(1);
  let state = 0x9e3779b9;
  const out: string[] = [header];
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.push(rows[state % rows.length]!);
  }
  writeFileSync(file, `${out.join('\n')}\n`);
}

/** Runs one side in its own process and parses its JSON line. */
async function side(cmd: string, args: string[], cwd: string): Promise<SideResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${args[0] ?? cmd} ${args[1] ?? ''} failed (${String(code)}): ${err.slice(-800)}`));
      else {
        process.stderr.write(`  ${last}\n`);
        resolve(JSON.parse(last) as SideResult);
      }
    });
  });
}

const rate = (r: SideResult): number => Math.round(r.records / r.seconds);

function compare(ours: SideResult, theirs: SideResult): Record<string, unknown> {
  return {
    ours: { ...ours, seconds: Math.round(ours.seconds * 100) / 100, recordsPerSec: rate(ours) },
    theirs: { ...theirs, seconds: Math.round(theirs.seconds * 100) / 100, recordsPerSec: rate(theirs) },
    speedup: Math.round((theirs.seconds / ours.seconds) * 100) / 100,
  };
}

/** Runs the section; `records` overrides the volume (default 1,000,000; 50,000 with `quick`). */
export async function run(opts: Record<string, unknown>): Promise<Record<string, unknown>> {
  const root = typeof opts.root === 'string' ? opts.root : process.cwd();
  const log = typeof opts.log === 'function' ? (opts.log as (m: string) => void) : (m: string) => process.stderr.write(`${m}\n`);
  const records = typeof opts.records === 'number' ? opts.records : opts.quick === true ? 50_000 : 1_000_000;

  const bin = execFileSync('bash', [join(root, 'scripts/services.sh'), 'ferretdb-bin'], { encoding: 'utf8' }).trim();
  const python = execFileSync('bash', [join(root, 'scripts/peers-venv.sh')], { encoding: 'utf8' }).trim();
  const work = mkdtempSync(join(tmpdir(), 'ns-bench-dataplane-'));
  const dataDir = join(work, 'ferretdb');
  execFileSync('mkdir', ['-p', dataDir]);
  const port = await freePort();
  const server = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-dir', dataDir], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 100));
    const url = `mongodb://127.0.0.1:${port}/`;
    const csv = join(work, 'records.csv');
    log(`dataplane: writing ${records} resampled records`);
    resampledCsv(root, records, csv);
    const tsx = [ '--import', 'tsx', join(root, 'bench/dataplane/ours.ts')];
    const peer = join(root, 'bench/dataplane/peer.py');

    log('dataplane: insert, ours');
    const insOurs = await side(process.execPath, [...tsx, 'insert', url, 'bench', 'ours', csv], root);
    log('dataplane: insert, theirs (pandas read_csv + insert_many)');
    const insTheirs = await side(python, [peer, 'insert', url, 'bench', 'theirs', csv], root);
    log('dataplane: scan, ours');
    const scanOurs = await side(process.execPath, [...tsx, 'scan', url, 'bench', 'ours'], root);
    log('dataplane: scan, theirs (find() into a DataFrame)');
    const scanTheirs = await side(python, [peer, 'scan', url, 'bench', 'ours'], root);

    return {
      records,
      server: 'FerretDB 1.24.2, SQLite backend, own instance on loopback',
      peer: 'original project: pandas read_csv + insert_many; pymongo find() into a pandas DataFrame',
      insert: compare(insOurs, insTheirs),
      scan: compare(scanOurs, scanTheirs),
      targets: { speedupAtLeast: 2, oursMaxRssMbAtMost: 300 },
    };
  } finally {
    // FerretDB finishes in-flight requests after SIGTERM; a long one must not outlive the benchmark.
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}
