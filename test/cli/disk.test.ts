/**
 * A home that is full, read-only or holds a corrupt records.db (issue 18, items 10 and 11): the
 * commands that only read the champion and the run index (runs, models list, predict) keep working;
 * the ones that must write stop with a typed error (DISK_FULL, NOT_WRITABLE, DB_CORRUPT; exit 2) and
 * leave no temporary files. The full and read-only disks are real tmpfs mounts (root, or sudo -n).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

const asRoot = (args: string[]): void => {
  if (process.getuid?.() === 0) execFileSync(args[0]!, args.slice(1));
  else execFileSync('sudo', ['-n', ...args]);
};
const mounts: string[] = [];
function tmpfs(sizeMb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ns-disk-'));
  asRoot(['mount', '-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of mounts) asRoot(['umount', dir]);
});

function tempFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('.tmp-'));
}

let trained: string;
const sample = join(tmpdir(), `ns-disk-sample-${process.pid}.csv`);

beforeAll(async () => {
  trained = tempHome();
  expect((await runCli(['etl', '--source', bundledCsv], trained)).code).toBe(0);
  expect((await runCli(['train', '--preset', 'quick'], trained)).code).toBe(0);
  writeFileSync(sample, 'having_IP_Address,URL_Length,Shortining_Service,having_At_Symbol,double_slash_redirecting,Prefix_Suffix,having_Sub_Domain,SSLfinal_State,Domain_registeration_length,Favicon,port,HTTPS_token,Request_URL,URL_of_Anchor,Links_in_tags,SFH,Submitting_to_email,Abnormal_URL,Redirect,on_mouseover,RightClick,popUpWidnow,Iframe,age_of_domain,DNSRecord,web_traffic,Page_Rank,Google_Index,Links_pointing_to_page,Statistical_report\n' + `${Array(30).fill('1').join(',')}\n`);
}, 300_000);

/** The read-only commands on `home` all exit 0 with the champion. */
async function readersWork(home: string): Promise<void> {
  const runs = await runCli(['runs'], home);
  expect(runs.code, runs.stderr).toBe(0);
  expect(runs.stdout).toMatch(/v1 \(champion\)/);
  expect((await runCli(['models', 'list'], home)).code).toBe(0);
  const out = join(tmpdir(), `ns-disk-out-${process.pid}-${Date.now()}.csv`);
  const predict = await runCli(['predict', '--input', sample, '--output', out], home);
  expect(predict.code, predict.stderr).toBe(0);
  expect(predict.stderr + predict.stdout).toMatch(/1 of 1 rows scored with model v1/);
}

describe('a home in trouble', () => {
  it('full disk: a run stops with DISK_FULL (exit 2), leaves no temporary files, and readers keep working', async () => {
    const disk = tmpfs(20);
    const home = join(disk, 'home');
    cpSync(trained, home, { recursive: true });
    // About 3 MB left: the run gets going and runs out of space while writing its artifacts.


    execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(disk, 'filler')} bs=1M count=2 2>/dev/null; true`]);
    const run = await runCli(['train', '--preset', 'quick', '--fresh'], home);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^DISK_FULL: The disk is full \(.+\); nothing was marked complete\. Free space .*writes about \d+ MB/m);
    expect(tempFiles(home)).toEqual([]);
    await readersWork(home);

    // Not one byte left: even opening the state file for writing fails; readers still work.
    execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(disk, 'filler2')} bs=1M count=100 2>/dev/null; true`]);
    await readersWork(home);
    const again = await runCli(['train', '--preset', 'quick', '--fresh'], home);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toMatch(/^DISK_FULL: /m);
  }, 300_000);

  it('read-only home: readers work; train and etl stop with NOT_WRITABLE (exit 2)', async () => {
    const disk = tmpfs(40);
    const home = join(disk, 'home');
    cpSync(trained, home, { recursive: true });
    asRoot(['mount', '-o', 'remount,ro', disk]);
    await readersWork(home);
    for (const args of [['train', '--preset', 'quick'], ['etl', '--source', bundledCsv]]) {
      const r = await runCli(args, home);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^NOT_WRITABLE: /m);
    }
  }, 300_000);

  it('corrupt records.db: readers work; etl stops with DB_CORRUPT naming the file (exit 2)', async () => {
    const home = tempHome();
    cpSync(trained, home, { recursive: true });
    writeFileSync(join(home, 'records.db'), 'not a database\n'.repeat(1000));
    await readersWork(home);
    const etl = await runCli(['etl', '--source', bundledCsv], home);
    expect(etl.code, etl.stderr).toBe(2);
    expect(etl.stderr).toMatch(/^DB_CORRUPT: The database file \(.*records\.db\) is not a valid SQLite database\./m);
  }, 300_000);
});
