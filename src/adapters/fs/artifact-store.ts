/**
 * The embedded ArtifactStore: a local folder. Keys map to relative paths; writes go to a temporary
 * file in the same folder and are renamed into place, so a reader never sees half an artifact.
 * Deleting a key also removes the folders it leaves empty, up to the root (as keys on S3, folders
 * exist only while they hold something).
 */
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { NsError, systemError } from '../../core/errors.js';
import { requireFolderPrefix, type ArtifactStore, type PieceWriter, type PutResult } from '../../ports/artifact-store.js';

export class FsArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  describe(): string {
    return `file://${this.root}`;
  }

  /** Absolute path of a key; refuses keys that would escape the root. */
  pathOf(key: string): string {
    const p = resolve(this.root, key);
    if (p !== this.root && !p.startsWith(this.root + sep)) {
      throw new NsError('ARTIFACT_KEY_INVALID', `The artifact key "${key}" points outside the artifact folder.`, { hint: 'Use a relative key without "..".' });
    }
    return p;
  }

  async put(key: string, body: Uint8Array | string): Promise<PutResult> {
    return (await this.putFrom(key, (write) => write(body))).put;
  }

  /**
   * Writes each piece to a temporary file as it comes (hashing it on the way) and renames the file into
   * place once `produce` resolves; removes it when anything fails.
   */
  async putFrom<T>(key: string, produce: (write: PieceWriter) => Promise<T>): Promise<{ put: PutResult; value: T }> {
    const path = this.pathOf(key);
    const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    const hash = createHash('sha256');
    let size = 0;
    let fh: FileHandle | undefined;
    try {
      await this.inFolder(path, async () => {
        fh = await open(tmp, 'wx');
      });
      const file = fh!;
      const value = await produce(async (piece) => {
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        hash.update(bytes);
        size += bytes.byteLength;
        await file.writeFile(bytes);
      });
      fh = undefined;
      await file.close();
      await rename(tmp, path);
      return { put: { key, sha256: hash.digest('hex'), size }, value };
    } catch (e) {
      await fh?.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw systemError(e, path) ?? e;
    }
  }

  /**
   * Runs `write` (which creates files next to `path`); when the folder is missing — never made, or
   * removed by a delete of its last other key in between — makes it and runs `write` again.
   */
  private async inFolder(path: string, write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw e;
        await mkdir(dirname(path), { recursive: true });
      }
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NsError('ARTIFACT_NOT_FOUND', `No artifact ${key} in ${this.describe()}.`, { kind: 'not_found', hint: 'Check the run id or run the pipeline first.' });
      }
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.pathOf(prefix.endsWith('/') || prefix === '' ? prefix : dirname(prefix));
    let entries: string[];
    try {
      entries = await readdir(base, { recursive: true });
    } catch {
      return [];
    }
    const keys: string[] = [];
    for (const e of entries) {
      const full = join(base, e);
      if (e.includes('.tmp-')) continue;
      const key = relative(this.root, full).split(sep).join('/');
      if (key.startsWith(prefix) && (await this.exists(key))) keys.push(key);
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await this.pruneUp(dirname(path));
  }

  /** The folder below the root, with the temporary files of writes that never finished. */
  async deleteAll(prefix: string): Promise<void> {
    requireFolderPrefix(prefix);
    const path = this.pathOf(prefix);
    await rm(path, { recursive: true, force: true });
    await this.pruneUp(dirname(path));
  }

  /** Removes `dir` and the folders above it while they are empty, up to the root. */
  private async pruneUp(dir: string): Promise<void> {
    for (; dir.startsWith(this.root + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or already gone): the folders above hold something too
      }
    }
  }
}
