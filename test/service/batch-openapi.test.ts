/**
 * `POST /api/batches` with an API description instead of a target list: uploaded as text, or
 * linked and fetched through the SSRF guard.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from './helpers.js';

const SHOP = readFileSync(
  path.join(import.meta.dirname, '../fixtures/openapi/shop-3.0.yaml'),
  'utf8',
);
const ORIGIN = 'https://app.example.com';

let service: TestService | undefined;
let server: http.Server | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function start(options: Parameters<typeof createTestService>[0] = {}) {
  service = await createTestService(options);
  return service;
}

async function post(s: TestService, body: object) {
  return s.app.inject({ method: 'POST', url: '/api/batches', payload: body });
}

/** Serves `text` at /api.yaml, and a redirect to it at /moved. */
async function serve(text: string): Promise<string> {
  server = http.createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { location: '/api.yaml' }).end();
    else if (req.url === '/api.yaml')
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(text);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('POST /api/batches with an uploaded description', () => {
  it('runs one check per operation, with its method and headers', async () => {
    const s = await start();
    const res = await post(s, { kind: 'check', openapi: { text: SHOP, origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().total).toBe(6);
    await s.batches.idle();
    const create = s.runner.checks.find((c) => c.method === 'POST');
    expect(create?.url).toBe('https://eu.shop.example/v1/items');
    expect(create?.headers.map(([n]) => n)).toEqual([
      'Authorization',
      'X-Request-Id',
      'Content-Type',
    ]);
    // Only GET and HEAD are sent for real: the others get their preflight alone.
    expect(create?.preflightOnly).toBe(true);
    expect(s.runner.checks.filter((c) => !c.preflightOnly).map((c) => c.method)).toEqual([
      'GET',
      'GET',
      'GET',
      'GET',
    ]);
    const reviews = s.runner.checks.find((c) => c.url.includes('/reviews/'));
    expect(reviews?.credentials).toBe('include');
  });

  it('runs audits of the selected operations, each asking for its own method', async () => {
    const s = await start();
    const res = await post(s, {
      kind: 'audit',
      openapi: {
        text: SHOP,
        origin: ORIGIN,
        baseUrl: 'https://api.example.com',
        include: ['/items/**', '/items'],
        exclude: ['tag:admin'],
        headers: { Authorization: 'Bearer real-token' },
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    await s.batches.idle();
    expect(s.runner.audits.map((a) => `${a.method} ${a.url}`).sort()).toEqual([
      'GET https://api.example.com/items/00000000-0000-4000-8000-000000000000',
      'GET https://api.example.com/items/00000000-0000-4000-8000-000000000000/reviews/3?sort=newest',
      'GET https://api.example.com/items?limit=20',
      'POST https://api.example.com/items',
    ]);
    const create = s.runner.audits.find((a) => a.method === 'POST');
    // The caller's token over the placeholder; no Content-Type (the preflights set their own).
    expect(create?.headers).toEqual([
      ['X-Request-Id', '00000000-0000-4000-8000-000000000000'],
      ['Authorization', 'Bearer real-token'],
    ]);
  });

  it('refuses a bad description with the parser location, in openapi.text', async () => {
    const s = await start();
    const text =
      'openapi: 3.0.3\ninfo: { title: t, version: "1" }\nservers: [{ url: "https://a.example" }]\npaths:\n  /x/{id}:\n    get:\n      responses: { "200": { description: ok } }\n';
    const res = await post(s, { kind: 'check', openapi: { text, origin: ORIGIN } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'openapi.text' });
    expect(res.json().message).toContain('`/paths/x/{id}/get` is missing path parameter(s)');
  });

  it('wants targets or openapi, exactly one', async () => {
    const s = await start();
    const both = await post(s, {
      kind: 'check',
      targets: [{ url: 'https://api.example.com/', origin: ORIGIN }],
      openapi: { text: SHOP, origin: ORIGIN },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().field).toBe('openapi');
    const neither = await post(s, { kind: 'check' });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().field).toBe('targets');
    const noSource = await post(s, { kind: 'check', openapi: { origin: ORIGIN } });
    expect(noSource.json()).toMatchObject({ field: 'openapi' });
  });
});

describe('POST /api/batches with a linked description', () => {
  it('fetches it through the guard, following a redirect', async () => {
    const base = await serve(SHOP);
    const s = await start({ privateTargets: 'private' });
    const res = await post(s, {
      kind: 'check',
      openapi: { url: `${base}/moved`, origin: ORIGIN, include: ['tag:internal'] },
    });
    expect(res.statusCode, res.body).toBe(202);
    await s.batches.idle();
    expect(s.runner.checks.map((c) => c.url)).toEqual([
      'https://eu.shop.example/v1/internal/health',
    ]);
  });

  it('refuses a link the SSRF guard refuses, without fetching it', async () => {
    const base = await serve(SHOP);
    let fetched = false;
    server?.on('request', () => {
      fetched = true;
    });
    const s = await start({ privateTargets: 'public' });
    const res = await post(s, {
      kind: 'check',
      openapi: { url: `${base}/api.yaml`, origin: ORIGIN },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('openapi.url');
    expect(fetched).toBe(false);
  });

  it('says what the link answered when it is not the description', async () => {
    const base = await serve(SHOP);
    const s = await start({ privateTargets: 'private' });
    const res = await post(s, { kind: 'check', openapi: { url: `${base}/nope`, origin: ORIGIN } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('answered 404');
  });
});
