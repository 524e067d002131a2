import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsArtifactStore } from './artifact-store.js';

const fresh = (): { root: string; store: FsArtifactStore } => {
  const root = mkdtempSync(join(tmpdir(), 'ns-fs-artifacts-'));
  return { root, store: new FsArtifactStore(root) };
};

describe('FsArtifactStore.delete', () => {
  it('removes the folders a deleted key leaves empty, up to the root, and keeps folders that still hold keys', async () => {
    const { root, store } = fresh();
    await store.put('batches/abc/in-000000.csv', 'a');
    await store.put('batches/abc/out-000000.csv', 'b');
    await store.put('batches/def/in-000000.csv', 'c');
    await store.delete('batches/abc/in-000000.csv');
    expect(readdirSync(join(root, 'batches/abc'))).toEqual(['out-000000.csv']);
    await store.delete('batches/abc/out-000000.csv');
    expect(existsSync(join(root, 'batches/abc'))).toBe(false);
    expect(readdirSync(join(root, 'batches'))).toEqual(['def']);
    await store.delete('batches/def/in-000000.csv');
    expect(existsSync(join(root, 'batches'))).toBe(false);
    expect(existsSync(root)).toBe(true);
    expect(await store.list('batches/')).toEqual([]);
  });

  it('deleting a missing key is no error and leaves other folders be', async () => {
    const { root, store } = fresh();
    await store.put('runs/r1/manifest.json', '{}');
    await store.delete('runs/r2/nothing.json');
    await store.delete('runs/r1/other.json');
    expect(readdirSync(join(root, 'runs/r1'))).toEqual(['manifest.json']);
  });

  it('a put into a folder that a delete empties at the same time still lands', async () => {
    const { store } = fresh();
    for (let i = 0; i < 50; i++) {
      await store.put(`b/${i}/x`, 'x');
      await Promise.all([store.delete(`b/${i}/x`), store.put(`b/${i}/y`, 'y')]);
      expect(new TextDecoder().decode(await store.get(`b/${i}/y`))).toBe('y');
    }
  });
});

describe('FsArtifactStore.putFrom', () => {
  it('stores the pieces in order, with the sha256 and size of the whole, in a folder it makes', async () => {
    const { store } = fresh();
    const pieces = ['a,b\n', new TextEncoder().encode('1,2\n'), 'é,3\n'];
    const { put, value } = await store.putFrom('batches/x/out-000000.csv', async (write) => {
      for (const p of pieces) await write(p);
      return 42;
    });
    const whole = 'a,b\n1,2\né,3\n';
    expect(value).toBe(42);
    expect(put).toEqual({ key: 'batches/x/out-000000.csv', sha256: createHash('sha256').update(whole).digest('hex'), size: Buffer.byteLength(whole) });
    expect(new TextDecoder().decode(await store.get('batches/x/out-000000.csv'))).toBe(whole);
    const plain = await store.put('batches/x/same.csv', whole);
    expect(plain.sha256).toBe(put.sha256);
  });

  it('stores nothing and leaves no temporary file when the producer fails', async () => {
    const { root, store } = fresh();
    await store.put('b/keep.csv', 'old');
    const failed = store.putFrom('b/keep.csv', async (write) => {
      await write('half of it');
      throw new Error('scoring failed');
    });
    await expect(failed).rejects.toThrow('scoring failed');
    expect(new TextDecoder().decode(await store.get('b/keep.csv'))).toBe('old');
    expect(readdirSync(join(root, 'b'))).toEqual(['keep.csv']);
    await expect(store.putFrom('../escape.csv', () => Promise.resolve(1))).rejects.toMatchObject({ code: 'ARTIFACT_KEY_INVALID' });
  });
});

describe('FsArtifactStore.deleteAll', () => {
  it('removes a folder with its keys and the temporary file of a write that never finished, and the empty folders above', async () => {
    const { root, store } = fresh();
    await store.put('batches/a/in-000000.csv', 'x');
    await store.put('batches/a/out-000000.csv', 'y');
    writeFileSync(join(root, 'batches/a/out-000001.csv.tmp-0123456789ab'), 'half a shard');
    await store.put('batches/b/in-000000.csv', 'z');
    expect(await store.list('batches/a/')).toEqual(['batches/a/in-000000.csv', 'batches/a/out-000000.csv']);
    await store.deleteAll('batches/a/');
    expect(readdirSync(join(root, 'batches'))).toEqual(['b']);
    await store.deleteAll('batches/b/');
    expect(existsSync(join(root, 'batches'))).toBe(false);
    await store.deleteAll('batches/none/');
    for (const bad of ['', '/', 'batches', '../x/', 'a/../../x/']) await expect(store.deleteAll(bad)).rejects.toMatchObject({ code: 'ARTIFACT_KEY_INVALID' });
    expect(existsSync(root)).toBe(true);
  });
});
