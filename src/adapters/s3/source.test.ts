import { describe, expect, it } from 'vitest';
import { parseS3Uri } from './source.js';

describe('parseS3Uri', () => {
  it('splits bucket and key', () => {
    expect(parseS3Uri('s3://my-bucket/new/2024-05-01.csv')).toEqual({ bucket: 'my-bucket', key: 'new/2024-05-01.csv' });
  });
  it('rejects what is not an object URI', () => {
    for (const bad of ['s3://bucket', 's3://bucket/', 'http://b/k', 's3://Upper/k', 'bucket/key']) {
      expect(() => parseS3Uri(bad)).toThrow(expect.objectContaining({ code: 'S3_URI_INVALID' }) as Error);
    }
  });
});
