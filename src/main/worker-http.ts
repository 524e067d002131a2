/**
 * The worker's own small HTTP endpoint: GET /healthz (200 while its queues are served, with the job
 * counts) and GET /metrics (Prometheus text: jobs completed / failed / active per queue).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerRuntime } from './scale-out.js';

export async function serveWorkerHttp(runtime: WorkerRuntime, host: string, port: number): Promise<{ address: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', queues: runtime.counts() }));
    } else if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(runtime.metrics());
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: 'Use /healthz or /metrics.' }));
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const a = server.address() as AddressInfo;
  return {
    address: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
