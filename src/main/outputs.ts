/**
 * Writing an output named on the command line — a local path or an s3://bucket/key URI — so that it
 * appears whole or not at all: locally into a temporary file next to it, renamed when everything was
 * written (removed when anything failed); on S3 as one upload that is aborted on failure.
 */
import { open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { NsError } from '../core/errors.js';
import type { Config } from './config.js';

export type Write = (piece: string | Uint8Array) => Promise<void>;

/** An existing folder at a local output path is a user error, found before any work. */
export async function refuseFolder(output: string): Promise<void> {
  if (output.startsWith('s3://')) return;
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory() === true) {
    throw new NsError('OUTPUT_IS_FOLDER', `${output} is a folder.`, { hint: 'Pass the path of the CSV file to write, e.g. --output scored.csv.' });
  }
}

export async function writeOutput<T>(uri: string, config: Config, produce: (write: Write) => Promise<T>): Promise<T> {
  if (uri.startsWith('s3://')) {
    const { writeS3Object } = await import('../adapters/s3/sink.js');
    return writeS3Object(uri, { region: config.AWS_REGION, ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}) }, produce);
  }
  return writeAtomically(uri, produce);
}

/**
 * Runs `produce` with a writer into a temporary file next to `output` and renames it onto `output`
 * when `produce` succeeds; removes it when anything fails.
 */
export async function writeAtomically<T>(output: string, produce: (write: Write) => Promise<T>): Promise<T> {
  const tmp = `${output}.tmp-${randomBytes(4).toString('hex')}`;
  const cannot = (e: unknown): NsError => new NsError('OUTPUT_WRITE', `Cannot write ${output}: ${(e as Error).message}.`, { cause: e, hint: 'Check that the folder exists and is writable.' });
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx').catch((e: unknown) => {
      throw cannot(e);
    });
    const file = fh;
    const result = await produce(async (piece) => {
      await (typeof piece === 'string' ? file.write(piece) : file.write(piece)).catch((e: unknown) => {
        throw cannot(e);
      });
    });
    await fh.close();
    fh = undefined;
    await rename(tmp, output).catch((e: unknown) => {
      throw cannot(e);
    });
    return result;
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A whole file's bytes at a local path (written with {@link writeAtomically}). */
export function writeWhole(output: string, body: string | Uint8Array): Promise<void> {
  return writeAtomically(output, (write) => write(body));
}

/**
 * Writes several small local files all or nothing: each is first written whole next to its target and
 * what the targets held is kept; when any cannot be put in place, the ones already replaced get their
 * old content back (or are removed when they were new). A target that cannot be read (a folder) fails
 * before anything changes.
 */
export async function writeFilesTogether(files: readonly { path: string; body: string | Uint8Array }[]): Promise<void> {
  const cannot = (path: string, e: unknown): NsError => new NsError('OUTPUT_WRITE', `Cannot write ${path}: ${(e as Error).message}.`, { cause: e, hint: 'Check that the path is a writable file, not a folder.' });
  const olds = await Promise.all(files.map(async ({ path }) => readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw cannot(path, e);
  })));
  const tmps = files.map(({ path }) => `${path}.tmp-${randomBytes(4).toString('hex')}`);
  let placed = 0;
  try {
    for (const [i, f] of files.entries()) await writeFile(tmps[i]!, f.body, { flag: 'wx' }).catch((e: unknown) => { throw cannot(f.path, e); });
    for (const [i, f] of files.entries()) {
      await rename(tmps[i]!, f.path).catch((e: unknown) => { throw cannot(f.path, e); });
      placed++;
    }
  } catch (e) {
    for (let i = 0; i < placed; i++) {
      const old = olds[i];
      await (old === undefined ? rm(files[i]!.path, { force: true }) : writeFile(files[i]!.path, old)).catch(() => undefined);
    }
    await Promise.all(tmps.map((t) => rm(t, { force: true })));
    throw e;
  }
}
