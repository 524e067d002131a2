/**
 * compose.yaml against the code: the variables it gives the app and the workers are ones the
 * configuration reads (or the AWS SDK's credentials), their values pass its validation and select the
 * production adapters; every named volume is declared; the minimal profile runs the app alone on the
 * embedded defaults. (scripts/ops-checks.sh has a real compose implementation parse the file.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/main/config.js';

interface Service {
  image?: string; command?: string[]; profiles?: string[]; environment?: Record<string, string | null>;
  volumes?: string[]; depends_on?: Record<string, unknown>; healthcheck?: { test?: string[]; disable?: boolean };
}
const file = parse(readFileSync(resolve(import.meta.dirname, '../../compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>; volumes: Record<string, unknown>;
};
const services = file.services;
/** Read by the AWS SDK's credential chain, not by our configuration. */
const sdkVariables = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/** The container's environment with ${VAR:-default} resolved to its default and passthrough secrets set. */
function containerEnv(s: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? 'from-dot-env-secret' : v.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));
}

describe('compose.yaml', () => {
  it('gives the app and the workers variables the configuration reads, with values it accepts', () => {
    for (const name of ['app', 'worker']) {
      const env = containerEnv(services[name]!);
      const config = loadConfig(env) as Record<string, unknown>;
      for (const key of Object.keys(env)) {
        if (!sdkVariables.includes(key)) expect(config[key], `${name}: ${key}`).toBe(env[key]);
      }
      expect(config).toMatchObject({ MONGO_DB_URL: 'mongodb://mongo:27017', S3_BUCKET: 'networksecurity', S3_ENDPOINT: 'http://minio:9000', MLFLOW_TRACKING_URI: 'http://mlflow:5000', REDIS_URL: 'redis://redis:6379' });
    }
    expect(services.app!.command).toEqual(['serve']);
    expect(services.worker!.command).toEqual(['worker']);
    expect(Object.keys(services.app!.depends_on ?? {}).sort()).toEqual(['minio-init', 'mlflow', 'mongo', 'redis']);
  });

  it('has health checks on the backing services and declares every named volume it mounts', () => {
    for (const name of ['mongo', 'minio', 'mlflow', 'redis']) expect(services[name]!.healthcheck?.test?.length, name).toBeGreaterThan(0);
    const mounted = Object.values(services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]!));
    expect([...new Set(mounted)].sort()).toEqual(Object.keys(file.volumes).sort());
  });

  it('runs only the app on the embedded defaults in the minimal profile', () => {
    const inMinimal = Object.entries(services).filter(([, s]) => s.profiles?.includes('minimal')).map(([n]) => n);
    expect(inMinimal).toEqual(['app-embedded']);
    const embedded = services['app-embedded']!;
    expect(embedded.environment).toBeUndefined();
    expect(embedded.depends_on).toBeUndefined();
    expect(embedded.image).toBe(services.app!.image);
    for (const [name, s] of Object.entries(services)) if (name !== 'app-embedded') expect(s.profiles, name).toBeUndefined();
  });
});
