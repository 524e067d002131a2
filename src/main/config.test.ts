import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it.each([
    ['NS_PORT', ''], ['NS_PORT', '0x4A3A'], ['NS_PORT', '1e3'], ['NS_PORT', '-1'], ['NS_PORT', '65536'], ['NS_PORT', '80.5'],
    ['NS_HOME', ''], ['NS_HOME', '  '], ['NS_HOST', ''], ['NS_HOST', 'not a host'], ['NS_SEED', ''], ['NS_SEED', '0b1'],
    ['S3_ENDPOINT', 'notaurl'], ['S3_ENDPOINT', ''], ['S3_ENDPOINT', 'ftp://x'], ['MONGO_DB_URL', 'garbage'], ['MONGO_DB_URL', 'http://x'],
    ['MLFLOW_TRACKING_URI', 'localhost:5000'], ['REDIS_URL', 'garbage'], ['NS_STATE_URL', 'garbage'], ['NS_STATE_URL', 'redis://x'], ['NS_STATE_URL', ''],
  ])('%s=%j stops with CONFIG_INVALID naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(expect.objectContaining({
      code: 'CONFIG_INVALID', exitCode: 2, message: expect.stringContaining(`Environment variable ${name} is invalid`) as unknown,
    }) as Error);
  });

  it('accepts good values and applies defaults', () => {
    expect(loadConfig({})).toMatchObject({ NS_HOME: '.networksecurity', NS_PORT: 8501, NS_HOST: '127.0.0.1', NS_SEED: 42 });
    expect(loadConfig({
      NS_PORT: '0', NS_HOST: '::1', NS_SEED: '7', S3_ENDPOINT: 'http://127.0.0.1:9000', MONGO_DB_URL: 'mongodb+srv://u:p@cluster.example.net/db',
      MLFLOW_TRACKING_URI: 'https://mlflow.example.com', REDIS_URL: 'rediss://cache:6380', NS_STATE_URL: 'mongodb://db.internal:27017/ns',
    })).toMatchObject({ NS_PORT: 0, NS_HOST: '::1', NS_SEED: 7, NS_STATE_URL: 'mongodb://db.internal:27017/ns' });
    const replicaSet = 'mongodb://h1:27017,h2:27017/ns?replicaSet=rs0';
    expect(loadConfig({ MONGO_DB_URL: replicaSet, NS_STATE_URL: replicaSet })).toMatchObject({ MONGO_DB_URL: replicaSet, NS_STATE_URL: replicaSet });
    for (const options of ['mongodb://h/?tlsCAFile=/path/ca.pem', 'mongodb://h:27017?tlsCAFile=/etc/ssl/ca.pem']) {
      expect(loadConfig({ NS_STATE_URL: options }).NS_STATE_URL).toBe(options);
    }
    expect(loadConfig({ NS_HOST: '0.0.0.0' }).NS_HOST).toBe('0.0.0.0');
    expect(loadConfig({ NS_HOST: 'my-host.internal' }).NS_HOST).toBe('my-host.internal');
  });
});
