/**
 * Data-plane benchmark section (loaded by bench/run.ts): the ETL of a CSV of N records (default
 * 1,000,000, resampled from data/phisingData.csv with a fixed seed) from S3 into FerretDB, and the
 * ingest scan of the N records back out, ours against the original project's way in the same run on
 * the same servers (peer.py: boto3 download + pandas read_csv + insert_many; pymongo find() into a
 * DataFrame).
 *
 * - etl: ours runs the `etl` command's code (openS3Object → loadCsvIntoStore → MongoRecordStore, packed
 *   record documents by default); theirs downloads the object with boto3 and inserts it with pandas.
 * - scan: each side reads what its own ETL wrote (ours: packed documents; theirs: the original's flat
 *   documents with ObjectIds). `scanFlat` is ours reading the original's flat collection too (what our
 *   reader costs on data the original project loaded; informational, no target).
 *
 * Services: the section starts its own FerretDB 1.24.2 (SQLite backend; the binary that
 * scripts/services.sh builds and caches) and its own moto S3 server (the services venv), each on a
 * free loopback port with fresh temporary state, so it neither needs nor disturbs the test services of
 * .services/env. Each side runs in its own process, so the peak RSS reported is that side's alone.
 * Options: `records` (number), `quick`.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/adapters/s3/client.js';

interface SideResult { records: number; seconds: number; maxRssMb: number; cpuSeconds: number }

const SPEEDUP_TARGET = 2;
const RSS_TARGET_MB = 300;
const BUCKET = 'bench-dataplane';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

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
async function side(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<SideResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

const shown = (r: SideResult): Record<string, unknown> => ({ ...r, seconds: Math.round(r.seconds * 100) / 100, recordsPerSec: rate(r) });

function compare(ours: SideResult, theirs: SideResult): Record<string, unknown> {
  const speedup = Math.round((theirs.seconds / ours.seconds) * 100) / 100;
  return {
    ours: shown(ours),
    theirs: shown(theirs),
    speedup,
    met: { speedup: speedup >= SPEEDUP_TARGET, oursMaxRss: ours.maxRssMb <= RSS_TARGET_MB },
  };
}

/** Stops a server child: SIGTERM, then SIGKILL after 3 s (a long request must not outlive the run). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Starts moto_server of the services venv on `port` and waits until it answers HTTP. */
async function startMoto(venv: string, port: number): Promise<ChildProcess> {
  const child = spawn(join(venv, 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/moto-api/data.json`);
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop(child);
  throw new Error(`moto did not start on port ${port}`);
}

/** Uploads the CSV to the bench bucket; returns its s3:// URI. */
async function upload(endpoint: string, csv: string): Promise<string> {
  const s3 = createS3Client({ endpoint, region: 'us-east-1', credentials: CREDENTIALS });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'records.csv', Body: createReadStream(csv), ContentLength: statSync(csv).size }));
  } finally {
    s3.destroy();
  }
  return `s3://${BUCKET}/records.csv`;
}

/** Runs the section; `records` overrides the volume (default 1,000,000; 50,000 with `quick`). */
export async function run(opts: Record<string, unknown>): Promise<Record<string, unknown>> {
  const root = typeof opts.root === 'string' ? opts.root : process.cwd();
  const log = typeof opts.log === 'function' ? (opts.log as (m: string) => void) : (m: string) => process.stderr.write(`${m}\n`);
  const records = typeof opts.records === 'number' ? opts.records : opts.quick === true ? 50_000 : 1_000_000;

  const bin = execFileSync('bash', [join(root, 'scripts/services.sh'), 'ferretdb-bin'], { encoding: 'utf8' }).trim();
  const python = execFileSync('bash', [join(root, 'scripts/peers-venv.sh')], { encoding: 'utf8' }).trim();
  const servicesVenv = join(root, '.cache/venv-services');
  const botoSite = execFileSync(join(servicesVenv, 'bin/python'), ['-c', 'import boto3, os; print(os.path.dirname(os.path.dirname(boto3.__file__)))'], { encoding: 'utf8' }).trim();
  const work = mkdtempSync(join(tmpdir(), 'ns-bench-dataplane-'));
  const dataDir = join(work, 'ferretdb');
  execFileSync('mkdir', ['-p', dataDir]);
  const port = await freePort();
  const server = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-dir', dataDir], { stdio: 'ignore' });
  let moto: ChildProcess | undefined;
  try {
    const s3Port = await freePort();
    moto = await startMoto(servicesVenv, s3Port);
    const endpoint = `http://127.0.0.1:${s3Port}`;
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 100));
    const url = `mongodb://127.0.0.1:${port}/`;
    const csv = join(work, 'records.csv');
    log(`dataplane: writing ${records} resampled records and uploading them to moto`);
    resampledCsv(root, records, csv);
    const uri = await upload(endpoint, csv);
    const env = { S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1', BOTO_SITE: botoSite };
    const tsx = ['--import', 'tsx', join(root, 'bench/dataplane/ours.ts')];
    const peer = join(root, 'bench/dataplane/peer.py');

    log('dataplane: etl from S3, ours (etl command path)');
    const etlOurs = await side(process.execPath, [...tsx, 'etl', url, 'bench', 'ours', uri], root, env);
    log('dataplane: etl from S3, theirs (boto3 download + pandas read_csv + insert_many)');
    const etlTheirs = await side(python, [peer, 'etl', url, 'bench', 'theirs', uri], root, env);
    log('dataplane: scan, ours');
    const scanOurs = await side(process.execPath, [...tsx, 'scan', url, 'bench', 'ours'], root, env);
    log('dataplane: scan, theirs (find() into a DataFrame)');
    const scanTheirs = await side(python, [peer, 'scan', url, 'bench', 'theirs'], root, env);
    log('dataplane: scan of the original\'s flat documents, ours (informational)');
    const scanFlat = await side(process.execPath, [...tsx, 'scan', url, 'bench', 'theirs'], root, env);

    return {
      records,
      server: 'FerretDB 1.24.2, SQLite backend, and moto S3, own instances on loopback',
      peer: 'original project: boto3 download + pandas read_csv + insert_many; pymongo find() into a pandas DataFrame',
      recordFormat: process.env.MONGO_RECORD_FORMAT ?? 'packed',
      etl: compare(etlOurs, etlTheirs),
      scan: compare(scanOurs, scanTheirs),
      scanFlat: { ours: shown(scanFlat), speedupVsTheirs: Math.round((scanTheirs.seconds / scanFlat.seconds) * 100) / 100 },
      targets: { speedupAtLeast: SPEEDUP_TARGET, oursMaxRssMbAtMost: RSS_TARGET_MB },
    };
  } finally {
    await stop(server);
    if (moto) await stop(moto);
    rmSync(work, { recursive: true, force: true });
  }
}
