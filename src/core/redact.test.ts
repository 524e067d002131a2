import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from './redact.js';

describe('redactUrlCredentials', () => {
  it.each([
    ['mongodb://bob:s3cret@h:27017/db', 'mongodb://bob:***@h:27017/db'],
    ['mongodb+srv://bob:p%40ss@cluster.example.net/', 'mongodb+srv://bob:***@cluster.example.net/'],
    ['redis://:pw@127.0.0.1:6379', 'redis://:***@127.0.0.1:6379'],
    ['rediss://default:pw@cache.example:6380/0', 'rediss://default:***@cache.example:6380/0'],
    ['https://tokenonly@mlflow.example.com', 'https://***@mlflow.example.com'],
    ['http://127.0.0.1:5000/api', 'http://127.0.0.1:5000/api'],
    ['failed to reach mongodb://a:b@h/ and redis://c:d@h2/', 'failed to reach mongodb://a:***@h/ and redis://c:***@h2/'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });
});
