import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
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
