import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOrCreateExperiment } from './experiment.js';
import { MlflowClient, metricValueFromWire, metricValueToWire, mlflowErrorCode, proxyPath } from './client.js';
import { startFakeMlflow, type FakeMlflow } from './testing/fake-mlflow.js';

let fake: FakeMlflow;
beforeEach(async () => { fake = await startFakeMlflow(); });
afterEach(async () => { await fake.close(); });

describe('MlflowClient', () => {
  it('retries 5xx answers with backoff, then reports the server unavailable', async () => {
    fake.status = 503;
    const client = new MlflowClient({ uri: fake.uri, retries: 2, backoffMs: 5 });
    const err = await client.createExperiment('x').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MLFLOW_UNAVAILABLE', kind: 'unavailable' });
    expect(fake.calls).toHaveLength(3);
  });

  it('does not retry a 4xx and exposes the MLflow error code', async () => {
    const client = new MlflowClient({ uri: fake.uri, backoffMs: 5 });
    const err = await client.getExperimentByName('missing').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MLFLOW_REQUEST_FAILED', kind: 'not_found' });
    expect(mlflowErrorCode(err)).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(fake.calls).toHaveLength(1);
  });

  it('maps 401 to an auth error', async () => {
    fake.status = 401;
    const client = new MlflowClient({ uri: fake.uri });
    await expect(client.createExperiment('x')).rejects.toMatchObject({ code: 'MLFLOW_AUTH', kind: 'auth' });
  });

  it('sends Basic auth from options or from the URI, and a bearer token, without showing secrets', async () => {
    const basic = new MlflowClient({ uri: fake.uri, username: 'ann', password: 's3cret-pw' });
    await basic.createExperiment('a');
    const fromUri = new MlflowClient({ uri: fake.uri.replace('http://', 'http://bob:hunter2-pw@') });
    await fromUri.createExperiment('b');
    const bearer = new MlflowClient({ uri: fake.uri, token: 'tok-123' });
    await bearer.createExperiment('c');
    expect(fake.calls.map((c) => c.headers.authorization)).toEqual([
      `Basic ${Buffer.from('ann:s3cret-pw').toString('base64')}`, `Basic ${Buffer.from('bob:hunter2-pw').toString('base64')}`, 'Bearer tok-123',
    ]);
    expect(fromUri.describe()).toBe(fake.uri);
    fake.status = 500;
    const err = await new MlflowClient({ uri: fake.uri.replace('http://', 'http://bob:hunter2-pw@'), retries: 0 }).createExperiment('d').catch((e: unknown) => e);
    expect(String((err as Error).message)).not.toContain('hunter2');
  });

  it('gives up on a server that does not answer within the deadline', async () => {
    const silent = createServer(() => { /* never answers */ });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = new MlflowClient({ uri: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
      const err = await client.createExperiment('x').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MLFLOW_UNAVAILABLE' });
      expect((err as Error).message).toContain('no answer within 200 ms');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('reports a refused connection as unavailable', async () => {
    await fake.close();
    const client = new MlflowClient({ uri: fake.uri, retries: 1, backoffMs: 5 });
    await expect(client.createExperiment('x')).rejects.toMatchObject({ code: 'MLFLOW_UNAVAILABLE' });
  });

  it('rejects non-http tracking URIs as configuration errors', () => {
    expect(() => new MlflowClient({ uri: 'file:///tmp/mlruns' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', kind: 'config' }));
    expect(() => new MlflowClient({ uri: 'not a url' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('experiment get-or-create', () => {
  it('treats RESOURCE_ALREADY_EXISTS as a race and reads the experiment again', async () => {
    fake.experiments.set('shared', '7');
    fake.staleReads = 1;
    const client = new MlflowClient({ uri: fake.uri });
    expect(await getOrCreateExperiment(client, 'shared')).toBe('7');
    expect(fake.calls.map((c) => c.path.split('/').pop())).toEqual(['get-by-name', 'create', 'get-by-name']);
  });

  it('creates a missing experiment', async () => {
    const client = new MlflowClient({ uri: fake.uri });
    const id = await getOrCreateExperiment(client, 'fresh');
    expect(fake.experiments.get('fresh')).toBe(id);
  });
});

describe('wire formats', () => {
  it('derives artifact proxy paths from mlflow-artifacts URIs', () => {
    expect(proxyPath('mlflow-artifacts:/1/abc/artifacts', 'model/bundle.nsm')).toBe('1/abc/artifacts/model/bundle.nsm');
    expect(proxyPath('mlflow-artifacts://host:5000/1/abc/artifacts/', 'a b.txt')).toBe('1/abc/artifacts/a%20b.txt');
    expect(() => proxyPath('s3://bucket/1/abc', 'x')).toThrow(expect.objectContaining({ code: 'MLFLOW_ARTIFACTS_NOT_PROXIED' }));
  });

  it('sends non-finite metric values as the strings MLflow accepts', () => {
    expect([Number.NaN, Infinity, -Infinity, 0.5].map(metricValueToWire)).toEqual(['NaN', 'Infinity', '-Infinity', 0.5]);
    expect(['NaN', 'Infinity', '-Infinity', 0.5].map(metricValueFromWire)).toEqual([Number.NaN, Infinity, -Infinity, 0.5]);
  });
});
