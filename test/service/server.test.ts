import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_HOSTNAMES } from '../../src/service/http/host-guard.js';
import { ServiceBusyError } from '../../src/service/limits/concurrency-limit.js';
import { API_ROUTES } from '../../src/service/routes/api.js';
import { checkBody, createTestService, fakeCheckResult, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

const SECURITY = {
  'content-security-policy': expect.stringContaining("default-src 'self'"),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

describe('GET /api/health', () => {
  it('says the service is up', async () => {
    service = await createTestService({ version: '9.9.9' });
    const res = await service.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      version: '9.9.9',
      checksInFlight: 0,
      monitors: 0,
    });
  });
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route of the API', async () => {
    service = await createTestService();
    const res = await service.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/health',
        'GET /api/openapi.json',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'POST /api/checks',
        'GET /api/checks',
        'GET /api/checks/{id}',
        'POST /api/audits',
        'GET /api/audits',
        'GET /api/audits/{id}',
        'POST /api/batches',
        'GET /api/batches/{id}',
        'GET /api/batches/{id}/export',
        'GET /api/batches/{id}/events',
        'POST /api/monitors',
        'GET /api/monitors',
        'GET /api/monitors/{id}',
        'DELETE /api/monitors/{id}',
        'POST /api/checks/{id}/rerun',
        'POST /api/audits/{id}/rerun',
        'GET /api/batches',
        'POST /api/batches/{id}/rerun',
        'PATCH /api/monitors/{id}',
        'POST /api/monitors/{id}/pause',
        'POST /api/monitors/{id}/resume',
        'POST /api/monitors/{id}/run',
        'POST /api/monitors/{id}/webhook',
        'GET /api/monitors/{id}/webhook',
        'DELETE /api/monitors/{id}/webhook',
        'GET /api/session',
        'POST /api/tokens',
        'GET /api/tokens',
        'DELETE /api/tokens/{id}',
        'GET /api/audit-log',
      ].sort(),
    );
  });

  it('documents only routes the server has, with the schemas it validates with', async () => {
    service = await createTestService();
    const doc = (await service.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const spec of Object.values(API_ROUTES)) {
      expect(
        service.app.hasRoute({ method: spec.method, url: spec.url }),
        `${spec.method} ${spec.url}`,
      ).toBe(true);
    }
    const create = doc.paths['/api/checks'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CheckInput',
    });
    expect(doc.components.schemas.CheckInput).toEqual(
      JSON.parse(JSON.stringify(API_ROUTES.createCheck.body)),
    );
    expect(create.responses['400'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(doc.paths['/api/checks/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(doc.paths['/api/checks'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'url',
      'origin',
      'verdict',
      'cursor',
      'limit',
    ]);
    expect(doc.paths['/api/batches/{id}/events'].get.responses['200'].content).toHaveProperty(
      'text/event-stream',
    );
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of refs)
      expect(doc.components.schemas).toHaveProperty(ref.split('/').at(-1) as string);
  });
});

describe('security headers', () => {
  it('are on every answer, a 401 of the auth hook and a 404 included, without HSTS', async () => {
    service = await createTestService({ auth: 'tokens' });
    const answers = await Promise.all([
      service.app.inject({ method: 'GET', url: '/healthz' }),
      service.app.inject({ method: 'GET', url: '/api/checks' }),
      service.app.inject({ method: 'GET', url: '/api/nothing-here' }),
    ]);
    expect(answers.map((res) => res.statusCode)).toEqual([200, 401, 404]);
    for (const res of answers) {
      expect(res.headers).toMatchObject({
        ...SECURITY,
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'x-permitted-cross-domain-policies': 'none',
      });
      // The TLS proxy in front decides HSTS, not a service that speaks plain HTTP.
      expect(res.headers['strict-transport-security']).toBeUndefined();
      const csp = res.headers['content-security-policy'] as string;
      expect(csp.split(';').map((d) => d.trim())).toEqual([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ]);
    }
  });
});

describe('static files', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'corsproof-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(
      path.join(root, 'index.html'),
      '<!doctype html><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    // What a compressing build step leaves beside a file (here not really Brotli: only its bytes
    // being sent is tested).
    writeFileSync(path.join(root, 'assets', 'app.js.br'), 'BROTLI-BYTES');
    writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
    writeFileSync(
      path.join(path.dirname(root), 'corsproof-outside.txt'),
      'SECRET-CONTENT-OUTSIDE-ROOT',
    );
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(path.join(path.dirname(root), 'corsproof-outside.txt'), { force: true });
  });

  it('without a build, / says to run npm run build, with the security headers', async () => {
    service = await createTestService({ webRoot: path.join(root, 'missing') });
    const res = await service.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build');
    expect(res.body).not.toContain('<script');
    expect(res.headers).toMatchObject(SECURITY);
    expect((await service.app.inject({ method: 'GET', url: '/app.js' })).statusCode).toBe(404);
  });

  it('serves the built page and its files, with types, caching and security headers', async () => {
    service = await createTestService({ webRoot: root });
    const page = await service.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/assets/app.js');
    expect(page.headers).toMatchObject({ ...SECURITY, 'cache-control': 'no-cache' });
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');

    const script = await service.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expect(script.headers).toMatchObject(SECURITY);
    const icon = await service.app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    const head = await service.app.inject({ method: 'HEAD', url: '/assets/app.js' });
    expect(head.statusCode).toBe(200);
  });

  it('answers a revalidation of an unchanged page with 304 and no body', async () => {
    service = await createTestService({ webRoot: root });
    for (const url of ['/', '/batches/bat_123', '/assets/app.js']) {
      const first = await service.app.inject({ method: 'GET', url });
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^W\/".+"$/);
      expect(first.headers['last-modified'], url).toBeDefined();
      const again = await service.app.inject({
        method: 'GET',
        url,
        headers: { 'if-none-match': etag },
      });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
    }
  });

  it('sends a precompressed file to a client that accepts it, and says it varies', async () => {
    service = await createTestService({ webRoot: root });
    const br = await service.app.inject({
      method: 'GET',
      url: '/assets/app.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body).toBe('BROTLI-BYTES');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(br.headers['cache-control']).toContain('immutable');
    const plain = await service.app.inject({
      method: 'GET',
      url: '/assets/app.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
    expect(plain.headers.vary).toContain('accept-encoding');
  });

  it('sends a byte range of a file', async () => {
    service = await createTestService({ webRoot: root });
    const part = await service.app.inject({
      method: 'GET',
      url: '/assets/app.js',
      headers: { range: 'bytes=0-6' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('console');
  });

  it('answers page routes with index.html and missing files with 404', async () => {
    service = await createTestService({ webRoot: root });
    const route = await service.app.inject({ method: 'GET', url: '/batches/bat_123' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('/assets/app.js');
    expect(
      (await service.app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode,
    ).toBe(404);
  });

  it('never serves a file outside the root', async () => {
    service = await createTestService({ webRoot: root });
    for (const url of [
      '/../corsproof-outside.txt',
      '/%2e%2e/corsproof-outside.txt',
      '/assets/..%2f..%2fcorsproof-outside.txt',
      '/..%5ccorsproof-outside.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const res = await service.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('SECRET-CONTENT-OUTSIDE-ROOT');
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
    }
  });

  it('API paths are never answered with the page', async () => {
    service = await createTestService({ webRoot: root });
    const res = await service.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not-found' });
    expect(res.headers).toMatchObject(SECURITY);
  });
});

describe('CORS of the API (corsproof Fastify adapter)', () => {
  it('without --cors-origin, no CORS headers: only same-origin pages can read the API', async () => {
    service = await createTestService();
    const res = await service.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('with origins, they may call the API; others may not', async () => {
    service = await createTestService({ corsOrigins: ['https://dashboard.example.com'] });
    const preflight = await service.app.inject({
      method: 'OPTIONS',
      url: '/api/checks',
      headers: {
        origin: 'https://dashboard.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://dashboard.example.com');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain(
      'content-type',
    );

    const read = await service.app.inject({
      method: 'GET',
      url: '/api/checks',
      headers: { origin: 'https://dashboard.example.com' },
    });
    expect(read.headers['access-control-allow-origin']).toBe('https://dashboard.example.com');
    expect(read.headers['access-control-allow-credentials']).toBeUndefined();

    const other = await service.app.inject({
      method: 'GET',
      url: '/api/checks',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('limits', () => {
  it('rate-limits each client address with 429 and Retry-After', async () => {
    service = await createTestService({ limits: { rate: { capacity: 3, refillPerSecond: 0.5 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await service.app.inject({
        method: 'POST',
        url: '/api/checks',
        payload: checkBody(),
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.headers['retry-after']).toBe('2');
        expect(res.json()).toMatchObject({ error: 'rate-limited' });
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    // Another address has its own bucket.
    const other = await service.app.inject({
      method: 'POST',
      url: '/api/checks',
      payload: checkBody(),
      remoteAddress: '203.0.113.7',
    });
    expect(other.statusCode).toBe(201);
    // Reads are not limited.
    expect((await service.app.inject({ method: 'GET', url: '/api/checks' })).statusCode).toBe(200);
  });

  it('answers 503 with Retry-After when every slot and the queue are taken', async () => {
    service = await createTestService({ limits: { maxConcurrent: 1, maxQueued: 0 } });
    let release = () => {};
    let running = () => {};
    const firstRunning = new Promise<void>((resolve) => {
      running = resolve;
    });
    service.runner.onCheck = (input) =>
      new Promise((resolve) => {
        release = () => resolve(fakeCheckResult(input));
        running();
      });
    const first = service.app.inject({ method: 'POST', url: '/api/checks', payload: checkBody() });
    // The second request must arrive while the first holds the only slot.
    await firstRunning;
    const second = await service.app.inject({
      method: 'POST',
      url: '/api/checks',
      payload: checkBody(),
    });
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('5');
    expect(second.json()).toMatchObject({ error: 'busy' });
    release();
    expect((await first).statusCode).toBe(201);
  });

  it('a runner error that says busy is a 503 too', async () => {
    service = await createTestService();
    service.runner.onCheck = () => {
      throw new ServiceBusyError(1, 1);
    };
    const res = await service.app.inject({
      method: 'POST',
      url: '/api/checks',
      payload: checkBody(),
    });
    expect(res.statusCode).toBe(503);
  });
});

describe('Host guard (DNS rebinding)', () => {
  it('with loopback names configured, other Host names get 421', async () => {
    const guarded = await createTestService({ allowedHostnames: LOOPBACK_HOSTNAMES });
    service = guarded;
    const health = (host: string) =>
      guarded.app.inject({ method: 'GET', url: '/api/health', headers: { host } });
    for (const host of [
      'localhost:8080',
      '127.0.0.1:8080',
      '[::1]:8080',
      'app.localhost',
      // Any loopback host, in any spelling the URL parser brings to one.
      'LOCALHOST:8080',
      'localhost.:8080',
      '127.0.0.2:8080',
      '[0:0:0:0:0:0:0:1]:8080',
    ]) {
      expect((await health(host)).statusCode, host).toBe(200);
    }
    for (const host of [
      'rebind.evil.example:8080',
      'localhost.evil.example',
      '[::ffff:127.0.0.1]:8080',
      '10.0.0.1',
    ]) {
      const res = await health(host);
      expect(res.statusCode, host).toBe(421);
      expect(res.json()).toMatchObject({ error: 'misdirected-request' });
    }
  });
});
