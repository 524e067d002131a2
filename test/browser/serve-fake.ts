/**
 * Starts the real server with fake-but-working dependencies (src/server/fake-deps.test-helpers.ts)
 * for the browser tests and for looking at the UI by hand:
 *   npx tsx test/browser/serve-fake.ts [port]   (token: NS_API_TOKEN or "browser-test-token")
 */
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { fakeWorld, type FakeWorld } from '../../src/server/fake-deps.test-helpers.js';

/** Builds and listens; returns the base URL. */
export async function startFakeServer(opts: { port?: number; apiToken?: string; stageDelayMs?: number } = {}): Promise<{ app: FastifyInstance; world: FakeWorld; url: string }> {
  const world = fakeWorld({ apiToken: opts.apiToken ?? 'browser-test-token', stageDelayMs: opts.stageDelayMs ?? 120 });
  const app = await buildServer(world.deps);
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const a = app.server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return { app, world, url: `http://127.0.0.1:${port}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startFakeServer({ port: Number(process.argv[2] ?? 8599), apiToken: process.env.NS_API_TOKEN });
  console.log(`fake server on ${url}`);
}
