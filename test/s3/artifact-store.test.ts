/**
 * S3ArtifactStore against the shared moto server (S3_TEST_ENDPOINT): put/get/list/delete, sha256
 * recorded and checked, multipart uploads, missing keys, and a streamed object read for the ETL.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openS3ArtifactStore } from '../../src/adapters/s3/artifact-store.js';
import type { S3ArtifactStore } from '../../src/adapters/s3/artifact-store.js';
import { createS3Client } from '../../src/adapters/s3/client.js';
import { openS3Object } from '../../src/adapters/s3/source.js';
import { serviceEnv, uniqueName } from '../services/env.js';

const endpoint = serviceEnv('S3_TEST_ENDPOINT');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing-secret' };
const bucket = uniqueName('ns-art-');
let store: S3ArtifactStore;

beforeAll(async () => {
  store = await openS3ArtifactStore({ bucket, prefix: 'proj', endpoint, credentials, createBucket: true });
});

afterAll(() => {
  store.close();
});

describe('S3ArtifactStore on moto', () => {
  it('puts, gets, lists and deletes, with the sha256 of the content', async () => {
    const body = '{"run":"r1","stages":[]}';
    const put = await store.put('r1/manifest.json', body);
    expect(put).toEqual({ key: 'r1/manifest.json', sha256: createHash('sha256').update(body).digest('hex'), size: body.length });
    await store.put('r1/model.nsm', new Uint8Array([1, 2, 3, 255]));
    await store.put('r2/manifest.json', '{}');
    expect(new TextDecoder().decode(await store.get('r1/manifest.json'))).toBe(body);
    expect(Array.from(await store.get('r1/model.nsm'))).toEqual([1, 2, 3, 255]);
    expect(await store.list('r1/')).toEqual(['r1/manifest.json', 'r1/model.nsm']);
    expect(await store.list('')).toEqual(['r1/manifest.json', 'r1/model.nsm', 'r2/manifest.json']);
    expect(await store.exists('r1/model.nsm')).toBe(true);
    await store.delete('r1/model.nsm');
    expect(await store.exists('r1/model.nsm')).toBe(false);
    expect(store.describe()).toBe(`s3://${bucket}/proj/`);
  });

  it('uploads large bodies in parts and reads them back intact', async () => {
    const big = new Uint8Array(11 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
    const small = await openS3ArtifactStore({ bucket, prefix: 'mp', endpoint, credentials, multipartThresholdBytes: 6 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 });
    try {
      const put = await small.put('big.bin', big);
      expect(put.size).toBe(big.length);
      const back = await small.get('big.bin');
      expect(createHash('sha256').update(back).digest('hex')).toBe(put.sha256);
    } finally {
      small.close();
    }
  });

  it('putFrom gathers the pieces into one object, and stores nothing when the producer fails', async () => {
    const { put, value } = await store.putFrom('pf/out.csv', async (write) => {
      await write('a,b\n');
      await write(new TextEncoder().encode('1,2\n'));
      return 'scored';
    });
    expect(value).toBe('scored');
    expect(put).toEqual({ key: 'pf/out.csv', sha256: createHash('sha256').update('a,b\n1,2\n').digest('hex'), size: 8 });
    expect(new TextDecoder().decode(await store.get('pf/out.csv'))).toBe('a,b\n1,2\n');
    await expect(store.putFrom('pf/failed.csv', async (write) => {
      await write('half');
      throw new Error('scoring failed');
    })).rejects.toThrow('scoring failed');
    expect(await store.exists('pf/failed.csv')).toBe(false);
    await store.put('pf/sub/x.csv', 'x');
    await store.put('pfx/keep.csv', 'k');
    await store.deleteAll('pf/');
    expect(await store.list('pf/')).toEqual([]);
    expect(await store.exists('pfx/keep.csv')).toBe(true);
    await expect(store.deleteAll('pf')).rejects.toMatchObject({ code: 'ARTIFACT_KEY_INVALID' });
  });

  it('a missing key is ARTIFACT_NOT_FOUND', async () => {
    await expect(store.get('nope/missing.json')).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND', kind: 'not_found' });
  });

  it('an object changed behind our back fails the sha256 check on get', async () => {
    await store.put('r3/data.csv', 'a,b\n1,2\n');
    const client = createS3Client({ endpoint, credentials });
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'proj/r3/data.csv', Body: 'a,b\n1,3\n', Metadata: { sha256: createHash('sha256').update('a,b\n1,2\n').digest('hex') } }));
    } finally {
      client.destroy();
    }
    await expect(store.get('r3/data.csv')).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
  });

  it('rejects keys that escape the prefix', async () => {
    await expect(store.put('../other/x', 'x')).rejects.toMatchObject({ code: 'ARTIFACT_KEY_INVALID' });
  });

  it('streams an object for the ETL', async () => {
    const csv = 'having_IP_Address,Result\n' + Array.from({ length: 20000 }, (_, i) => `${i % 2 ? 1 : -1},1`).join('\n') + '\n';
    await store.put('etl/new.csv', csv);
    const chunks: Uint8Array[] = [];
    for await (const chunk of openS3Object(`s3://${bucket}/proj/etl/new.csv`, { endpoint, credentials })) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(csv);
    const missing = (async () => { for await (const _ of openS3Object(`s3://${bucket}/proj/none.csv`, { endpoint, credentials })) break; })();
    await expect(missing).rejects.toMatchObject({ code: 'S3_OBJECT_NOT_FOUND' });
  });
});
