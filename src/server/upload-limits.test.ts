/**
 * Upload limits of POST /api/v1/predict/csv: over the limit is 413 UPLOAD_TOO_LARGE for multipart,
 * chunked and plain bodies alike (never a silently truncated 200, never a connection reset), and a
 * field or record longer than the caps is 413 at once instead of being buffered. Chunked bodies go
 * through a real listening server on 127.0.0.1, since inject does not stream.
 */
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { fakeWorld, featureNames } from './fake-deps.test-helpers.js';

const header = featureNames.join(',');
const line = featureNames.map(() => '1').join(',');
const limit = 64 * 1024;

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

async function start(csvUploadBytes = limit): Promise<FastifyInstance> {
  app = await buildServer(fakeWorld({ limits: { csvUploadBytes } }).deps);
  return app;
}

/** Rows of `line` making at least `bytes` bytes, after the header. */
const csvOf = (bytes: number): string => `${header}\n${`${line}\n`.repeat(Math.ceil(bytes / (line.length + 1)))}`;

function multipart(body: string, boundary = 'nsb'): { payload: string; headers: Record<string, string> } {
  return {
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n${body}\r\n--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Posts `body` to a listening server with Transfer-Encoding: chunked; resolves with the answer (or the socket error). */
function postChunked(port: number, pieces: Iterable<string>): Promise<{ status: number | string; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/predict/csv', headers: { 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // Writes after the server has answered and closed may fail; the answer is what counts.
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? 'error', body: '' }));
    const it = pieces[Symbol.iterator]();
    const write = (): void => {
      for (let next = it.next(); !next.done; next = it.next()) if (!req.write(next.value)) { req.once('drain', write); return; }
      req.end();
    };
    write();
  });
}

const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('upload size limit', () => {
  it('multipart: a file just over the limit is 413 UPLOAD_TOO_LARGE, not a truncated 200', async () => {
    const a = await start();
    const fits = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', ...multipart(csvOf(limit - 2048)) });
    expect(fits.statusCode).toBe(200);
    // Within the multipart overhead slack of Content-Length, so only the file reader can catch it.
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', ...multipart(csvOf(limit + 8 * 1024)) });
    expect(res.statusCode).toBe(413);
    expect(errorCode(res.body)).toBe('UPLOAD_TOO_LARGE');
  });

  it('multipart without a boundary is 400, not 500', async () => {
    const a = await start();
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: `${header}\n${line}\n`, headers: { 'content-type': 'multipart/form-data' } });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res.body)).toMatch(/^(BAD_UPLOAD|UNSUPPORTED_MEDIA_TYPE)$/);
  });

  it('plain text/csv over the limit is 413 UPLOAD_TOO_LARGE', async () => {
    const a = await start();
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: csvOf(limit + 1), headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(413);
    expect(errorCode(res.body)).toBe('UPLOAD_TOO_LARGE');
  });

  it('chunked text/csv over the limit gets a 413 answer, not a connection reset; under it, 200', async () => {
    const a = await start();
    await a.listen({ host: '127.0.0.1', port: 0 });
    const port = (a.server.address() as { port: number }).port;
    const rows = `${line}\n`.repeat(200);
    const ok = await postChunked(port, [`${header}\n`, rows]);
    expect(ok.status).toBe(200);
    // About 4x the limit, sent in 8 KB pieces without a Content-Length.
    const pieces = [`${header}\n`, ...Array.from({ length: 32 }, () => rows.repeat(Math.ceil(8192 / rows.length)))];
    const res = await postChunked(port, pieces);
    expect(res.status).toBe(413);
    expect(errorCode(res.body)).toBe('UPLOAD_TOO_LARGE');
    expect((await postChunked(port, [`${header}\n`, rows])).status).toBe(200);
  });
});

describe('field and record caps', () => {
  it('an unclosed quote is 413 CSV_FIELD_TOO_LONG once the field passes 64 Ki characters', async () => {
    const a = await start(8 << 20);
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: `${header}\n${line.slice(2)},"${'a'.repeat(2 << 20)}`, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(413);
    const body = JSON.parse(res.body) as { error: { code: string; message: string; hint: string } };
    expect(body.error.code).toBe('CSV_FIELD_TOO_LONG');
    expect(body.error.hint).toMatch(/quote that is never closed/);
  });

  it('a record without line breaks over 1 Mi characters is 413 CSV_RECORD_TOO_LONG', async () => {
    const a = await start(8 << 20);
    const cells = `${'x'.repeat(1000)},`.repeat(2000);
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: `${header}\n${cells}`, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(413);
    expect(errorCode(res.body)).toBe('CSV_RECORD_TOO_LONG');
  });
});
