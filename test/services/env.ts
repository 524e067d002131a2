/**
 * The test services' addresses, from the variables that scripts/services.sh writes to .services/env.
 * A missing variable fails the test (never skips it): the services are part of the test command.
 */
import { createServer } from 'node:net';

export type ServiceVar = 'MONGO_TEST_URL' | 'S3_TEST_ENDPOINT' | 'MLFLOW_TEST_URI' | 'REDIS_TEST_URL' | 'FERRETDB_TEST_BIN' | 'SERVICES_TEST_VENV';

/** The value of a test-service variable; throws a clear error when it is not set. */
export function serviceEnv(name: ServiceVar): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run \`bash scripts/services.sh up && source .services/env\` first (npm test does this).`);
  }
  return v;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A name that no other test run uses (collections, buckets, prefixes). */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
