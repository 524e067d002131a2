/**
 * S3 faults on private moto servers: the endpoint going down gives S3_UNAVAILABLE, and refused
 * credentials give S3_AUTH whose text never contains the secret key.
 */
import { describe, expect, it } from 'vitest';
import { openS3ArtifactStore } from '../../src/adapters/s3/artifact-store.js';
import { openS3Object } from '../../src/adapters/s3/source.js';
import { startPrivateMoto } from '../services/moto.js';
import { failure } from '../services/failure.js';

const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';

describe('S3 faults', () => {
  it('endpoint stopped: S3_UNAVAILABLE naming the endpoint', async () => {
    const moto = await startPrivateMoto();
    const store = await openS3ArtifactStore({
      bucket: 'fault-bucket', endpoint: moto.endpoint, credentials: { accessKeyId: 'k', secretAccessKey: secret }, createBucket: true, maxAttempts: 2,
    });
    try {
      await store.put('a.json', '{}');
      await moto.stop();
      const err = await failure(store.put('b.json', '{}'));
      expect(err.code).toBe('S3_UNAVAILABLE');
      expect(err.kind).toBe('unavailable');
      expect(err.message).toContain(moto.endpoint);
      expect((await failure(store.get('a.json'))).code).toBe('S3_UNAVAILABLE');
    } finally {
      store.close();
      await moto.stop();
    }
  });

  it('wrong credentials: S3_AUTH with no secret in any text', async () => {
    const moto = await startPrivateMoto({ checkCredentials: true });
    const credentials = { accessKeyId: 'AKIAWRONGKEY0000', secretAccessKey: secret };
    try {
      const store = await openS3ArtifactStore({ bucket: 'auth-bucket', endpoint: moto.endpoint, credentials });
      const errors = [
        await failure(store.put('x.json', '{}')),
        await failure(store.get('x.json')),
        await failure((async () => { for await (const _ of openS3Object('s3://auth-bucket/x.csv', { endpoint: moto.endpoint, credentials })) break; })()),
      ];
      store.close();
      for (const err of errors) {
        expect(err.code).toBe('S3_AUTH');
        expect(err.kind).toBe('auth');
        const text = `${err.toLine()} ${JSON.stringify(err.toJSON())} ${String(err.stack)}`;
        expect(text).not.toContain(secret);
      }
    } finally {
      await moto.stop();
    }
  });
});
