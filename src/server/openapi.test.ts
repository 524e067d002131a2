/**
 * The OpenAPI document is generated from the routes (issue 17): every registered route is in it, and
 * its Row schema — the one Fastify validates /api/v1/predict with — accepts every row of the bundled
 * CSV as the CSV gives it (text) and as numbers, checked with a JSON Schema 2020-12 validator (ajv).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchemaFile } from '../main/compose.js';
import { bundledDataPath, bundledSchemaPath } from '../main/package-root.js';
import { buildServer } from './app.js';
import { fakeWorld } from './fake-deps.test-helpers.js';

interface Doc { openapi: string; paths: Record<string, Record<string, { summary?: string; requestBody?: unknown }>>; components: { schemas: Record<string, Record<string, unknown>> } }

let app: FastifyInstance;
let doc: Doc;

beforeAll(async () => {
  // The real schema of config/schema.yaml (features, the port_no alias, the Result target).
  app = await buildServer({ ...fakeWorld().deps, schema: loadSchemaFile(bundledSchemaPath) });
  doc = (await app.inject({ url: '/api/v1/openapi.json' })).json<Doc>();
});
afterAll(async () => { await app.close(); });

/** Every route as [METHOD, url] from Fastify's own route tree (printRoutes). */
function registeredRoutes(a: FastifyInstance): [string, string][] {
  const stack: string[] = [];
  const out: [string, string][] = [];
  for (const line of a.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[└├]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!;
    stack[depth] = path;
    for (const method of m[3]!.split(', ')) out.push([method, path]);
  }
  return out;
}

describe('OpenAPI document', () => {
  it('has every registered route, with a summary (docs UI and static files aside)', () => {
    const routes = registeredRoutes(app).filter(([method, url]) => method !== 'HEAD' && !url.startsWith('/api/docs') && url !== '/' && url !== '/*' && url !== '*');
    expect(routes.length).toBeGreaterThan(30);
    for (const [method, url] of routes) {
      const path = url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[method.toLowerCase()];
      expect(op, `${method} ${url}`).toBeDefined();
      expect(op!.summary, `${method} ${url}`).toBeTruthy();
    }
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/invocations']!.post!.requestBody).toBeDefined();
    expect(doc.paths['/v2/models/{name}/infer']!.post!.requestBody).toBeDefined();
  });

  it('every row of the bundled CSV validates against the Row schema, as text and as numbers', () => {
    const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas.Row!);
    const [header, ...lines] = readFileSync(bundledDataPath, 'utf8').trim().split(/\r?\n/);
    const names = header!.split(',');
    expect(names).toContain('port_no');
    expect(names).toContain('Result');
    expect(lines).toHaveLength(11055);
    for (const line of lines) {
      const cells = line.split(',');
      const asText = Object.fromEntries(names.map((n, i) => [n, cells[i]]));
      const asNumbers = Object.fromEntries(names.map((n, i) => [n, Number(cells[i])]));
      if (!validate(asText) || !validate(asNumbers)) throw new Error(`${line}: ${JSON.stringify(validate.errors)}`);
    }
    const first = Object.fromEntries(names.map((n, i) => [n, Number(lines[0]!.split(',')[i])]));
    const { port_no: port, ...rest } = first;
    expect(validate({ ...rest, port })).toBe(true);
    expect(validate({ ...first, port })).toBe(false);
    expect(validate({ ...first, SFH: 2 })).toBe(false);
    expect(validate({ ...first, SFH: '1e0' })).toBe(false);
    expect(validate({ ...first, extra: 1 })).toBe(false);
    expect(validate({ ...first, SFH: null, URL_Length: 'na' })).toBe(true);
  });

  it('what the schema accepts the server accepts; both "row" and "rows" is a 400', async () => {
    const [header, line] = readFileSync(bundledDataPath, 'utf8').split(/\r?\n/);
    const row = Object.fromEntries(header!.split(',').map((n, i) => [n, line!.split(',')[i]]));
    const ok = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { rows: [row] } });
    expect(ok.statusCode, ok.body).toBe(200);
    const both = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { row, rows: [row, row] } });
    expect(both.statusCode).toBe(400);
    expect(both.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/exactly one of "row"/) as unknown });
  });
});
