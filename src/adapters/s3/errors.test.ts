import { describe, expect, it } from 'vitest';
import { toS3NsError } from './errors.js';

const ctx = { doing: 'reading s3://b/k', endpoint: 'http://127.0.0.1:9', secrets: ['wJalrXUtnFEMI'] };

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  Object.assign(e, extra);
  return e;
}

describe('toS3NsError', () => {
  it('maps a missing key to ARTIFACT_NOT_FOUND (or the given code)', () => {
    expect(toS3NsError(sdkError('NoSuchKey', 'gone'), ctx).code).toBe('ARTIFACT_NOT_FOUND');
    expect(toS3NsError(sdkError('NotFound', '', { $metadata: { httpStatusCode: 404 } }), { ...ctx, notFoundCode: 'S3_OBJECT_NOT_FOUND' }).code).toBe('S3_OBJECT_NOT_FOUND');
  });
  it('maps refused credentials to S3_AUTH with no secret in the text', () => {
    const err = toS3NsError(sdkError('SignatureDoesNotMatch', 'signature for wJalrXUtnFEMI did not match', { $metadata: { httpStatusCode: 403 } }), ctx);
    expect(err.code).toBe('S3_AUTH');
    expect(err.kind).toBe('auth');
    expect(err.toLine()).not.toContain('wJalrXUtnFEMI');
  });
  it('maps connection failures to S3_UNAVAILABLE naming the endpoint and reason', () => {
    const err = toS3NsError(sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED' }), ctx);
    expect(err.code).toBe('S3_UNAVAILABLE');
    expect(err.kind).toBe('unavailable');
    expect(err.message).toContain('http://127.0.0.1:9');
    expect(err.message).toContain('ECONNREFUSED');
  });
  it('maps a missing bucket to S3_BUCKET_NOT_FOUND (config)', () => {
    expect(toS3NsError(sdkError('NoSuchBucket', 'no bucket'), ctx)).toMatchObject({ code: 'S3_BUCKET_NOT_FOUND', kind: 'config' });
  });
});
