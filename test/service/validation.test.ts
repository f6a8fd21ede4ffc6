import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBody, createTestService, type TestService } from './helpers.js';

let service: TestService;

beforeAll(async () => {
  // A big bucket: this suite sends many requests from one address.
  service = await createTestService({
    limits: { rate: { capacity: 100_000, refillPerSecond: 1000 } },
  });
});

afterAll(async () => {
  await service.close();
});

interface Case {
  readonly name: string;
  readonly method?: 'POST' | 'GET';
  readonly url: string;
  readonly body?: unknown;
  readonly field: string;
  /** A fragment the message must contain. */
  readonly says: string;
}

const audit = { url: 'https://api.example.com/x', origin: 'https://app.example.com' };
const monitor = (extra: Record<string, unknown>) => checkBody({ intervalSeconds: 60, ...extra });

const cases: Case[] = [
  // POST /api/checks
  {
    name: 'url is required',
    url: '/api/checks',
    body: { origin: 'https://a.example' },
    field: 'url',
    says: 'url is required',
  },
  {
    name: 'url must be a string',
    url: '/api/checks',
    body: checkBody({ url: 42 }),
    field: 'url',
    says: 'must be a string',
  },
  {
    name: 'url must not be empty',
    url: '/api/checks',
    body: checkBody({ url: '' }),
    field: 'url',
    says: 'must not be empty',
  },
  {
    name: 'url must parse',
    url: '/api/checks',
    body: checkBody({ url: 'not a url' }),
    field: 'url',
    says: 'not a valid URL',
  },
  {
    name: 'url must be http(s)',
    url: '/api/checks',
    body: checkBody({ url: 'ftp://x.example/' }),
    field: 'url',
    says: 'scheme',
  },
  {
    name: 'url must not carry credentials',
    url: '/api/checks',
    body: checkBody({ url: 'https://u:p@x.example/' }),
    field: 'url',
    says: 'user name or password',
  },
  {
    name: 'url must not be private',
    url: '/api/checks',
    body: checkBody({ url: 'http://169.254.169.254/latest/' }),
    field: 'url',
    says: '--allow-private-targets',
  },
  {
    name: 'url must not be loopback',
    url: '/api/checks',
    body: checkBody({ url: 'http://127.0.0.1:8081/' }),
    field: 'url',
    says: '--allow-private-targets',
  },
  {
    name: 'url must not be on a bad port',
    url: '/api/checks',
    body: checkBody({ url: 'https://x.example:6000/' }),
    field: 'url',
    says: 'bad port',
  },
  {
    name: 'origin is required without galxe',
    url: '/api/checks',
    body: { url: 'https://x.example/' },
    field: 'origin',
    says: 'origin is required',
  },
  {
    name: 'origin is required with galxe false',
    url: '/api/checks',
    body: { url: 'https://x.example/', galxe: false },
    field: 'origin',
    says: 'origin is required',
  },
  {
    name: 'origin must be an origin',
    url: '/api/checks',
    body: checkBody({ origin: 'https://a.example/' }),
    field: 'origin',
    says: 'is not an origin',
  },
  {
    name: 'method must be a token',
    url: '/api/checks',
    body: checkBody({ method: 'GE T' }),
    field: 'method',
    says: 'HTTP method',
  },
  {
    name: 'method must not be forbidden',
    url: '/api/checks',
    body: checkBody({ method: 'TRACE' }),
    field: 'method',
    says: 'forbidden method',
  },
  {
    name: 'headers must be an object or a list',
    url: '/api/checks',
    body: checkBody({ headers: 'x' }),
    field: 'headers',
    says: 'an object or an array',
  },
  {
    name: 'header pairs have two items',
    url: '/api/checks',
    body: checkBody({ headers: [['a']] }),
    field: 'headers[0]',
    says: 'at least 2',
  },
  {
    name: 'header pair names are tokens',
    url: '/api/checks',
    body: checkBody({
      headers: [
        ['ok', '1'],
        ['bad name', '1'],
      ],
    }),
    field: 'headers[1][0]',
    says: 'is not a header name',
  },
  {
    name: 'header record names are tokens',
    url: '/api/checks',
    body: checkBody({ headers: { 'bad name': '1' } }),
    field: 'headers["bad name"]',
    says: 'not a valid name',
  },
  {
    name: 'header record values are strings',
    url: '/api/checks',
    body: checkBody({ headers: { 'X-A': 1 } }),
    field: 'headers["X-A"]',
    says: 'must be a string',
  },
  {
    name: 'header values have no line breaks',
    url: '/api/checks',
    body: checkBody({ headers: { 'X-A': 'a\r\nb' } }),
    field: 'headers["X-A"]',
    says: 'without line breaks',
  },
  {
    name: 'credentials is a boolean or a mode',
    url: '/api/checks',
    body: checkBody({ credentials: 'yes' }),
    field: 'credentials',
    says: 'must be one of true, false, "omit"',
  },
  {
    name: 'credentials is not coerced from text',
    url: '/api/checks',
    body: checkBody({ credentials: 'true' }),
    field: 'credentials',
    says: 'must be one of',
  },
  {
    name: 'browser is chromium or firefox',
    url: '/api/checks',
    body: checkBody({ browser: 'safari' }),
    field: 'browser',
    says: '"chromium", "firefox"',
  },
  {
    name: 'timeoutMs has a maximum',
    url: '/api/checks',
    body: checkBody({ timeoutMs: 600000 }),
    field: 'timeoutMs',
    says: 'must be <= 30000',
  },
  {
    name: 'timeoutMs is an integer',
    url: '/api/checks',
    body: checkBody({ timeoutMs: 1.5 }),
    field: 'timeoutMs',
    says: 'must be an integer',
  },
  {
    name: 'preflightOnly is a boolean',
    url: '/api/checks',
    body: checkBody({ preflightOnly: 'true' }),
    field: 'preflightOnly',
    says: 'must be a boolean',
  },
  {
    name: 'unknown fields are refused',
    url: '/api/checks',
    body: checkBody({ allowUnsafeMethod: true }),
    field: 'allowUnsafeMethod',
    says: 'not a field',
  },
  {
    name: 'body must be JSON',
    url: '/api/checks',
    body: '{"url":',
    field: 'body',
    says: 'not valid JSON',
  },
  {
    name: 'body must be an object',
    url: '/api/checks',
    body: [1, 2],
    field: 'body',
    says: 'must be an object',
  },
  // POST /api/audits
  {
    name: 'audit origin is required',
    url: '/api/audits',
    body: { url: audit.url },
    field: 'origin',
    says: 'origin is required',
  },
  {
    name: 'audit credentials is a boolean',
    url: '/api/audits',
    body: { ...audit, credentials: 'include' },
    field: 'credentials',
    says: 'must be a boolean',
  },
  {
    name: 'audit url is validated',
    url: '/api/audits',
    body: { ...audit, url: 'http://10.0.0.1/' },
    field: 'url',
    says: 'private networks',
  },
  // POST /api/batches
  {
    name: 'batch kind is required',
    url: '/api/batches',
    body: { targets: [checkBody()] },
    field: 'kind',
    says: 'kind is required',
  },
  {
    name: 'batch kind is check or audit',
    url: '/api/batches',
    body: { kind: 'scan', targets: [checkBody()] },
    field: 'kind',
    says: '"check", "audit"',
  },
  {
    name: 'batch targets must not be empty',
    url: '/api/batches',
    body: { kind: 'check', targets: [] },
    field: 'targets',
    says: 'at least 1',
  },
  {
    name: 'batch targets are validated by schema, with their index',
    url: '/api/batches',
    body: { kind: 'check', targets: [checkBody(), checkBody(), checkBody({ url: 7 })] },
    field: 'targets[2].url',
    says: 'must be a string',
  },
  {
    name: 'batch targets are validated by the guard, with their index',
    url: '/api/batches',
    body: { kind: 'check', targets: [checkBody(), checkBody({ url: 'http://192.168.1.1/' })] },
    field: 'targets[1].url',
    says: 'private networks',
  },
  {
    name: 'batch audit targets need an origin',
    url: '/api/batches',
    body: { kind: 'audit', targets: [audit, { url: audit.url }] },
    field: 'targets[1].origin',
    says: 'origin is required',
  },
  {
    name: 'batch target headers are checked',
    url: '/api/batches',
    body: { kind: 'check', targets: [checkBody({ headers: [['a b', 'c']] })] },
    field: 'targets[0].headers[0][0]',
    says: 'not a header name',
  },
  // POST /api/monitors
  {
    name: 'monitor interval is required',
    url: '/api/monitors',
    body: checkBody(),
    field: 'intervalSeconds',
    says: 'intervalSeconds is required',
  },
  {
    name: 'monitor interval has a minimum',
    url: '/api/monitors',
    body: monitor({ intervalSeconds: 5 }),
    field: 'intervalSeconds',
    says: 'must be >= 30',
  },
  {
    name: 'monitor url is validated',
    url: '/api/monitors',
    body: monitor({ url: 'http://[::1]/' }),
    field: 'url',
    says: 'private networks',
  },
  // Query strings
  {
    name: 'limit must be a number',
    method: 'GET',
    url: '/api/checks?limit=ten',
    field: 'limit',
    says: 'must be an integer',
  },
  {
    name: 'limit has a minimum',
    method: 'GET',
    url: '/api/checks?limit=0',
    field: 'limit',
    says: 'must be >= 1',
  },
  {
    name: 'limit has a maximum',
    method: 'GET',
    url: '/api/checks?limit=1000',
    field: 'limit',
    says: 'must be <= 100',
  },
  {
    name: 'verdict filter is an enum',
    method: 'GET',
    url: '/api/checks?verdict=maybe',
    field: 'verdict',
    says: '"allowed", "blocked", "error"',
  },
  {
    name: 'cursor must be ours',
    method: 'GET',
    url: '/api/checks?cursor=%3D%3D',
    field: 'cursor',
    says: 'not a cursor',
  },
  {
    name: 'unknown query parameters are refused',
    method: 'GET',
    url: '/api/checks?verdit=allowed',
    field: 'verdit',
    says: 'not a field',
  },
  {
    name: 'batch results cursor must be ours',
    method: 'GET',
    url: '/api/batches/bat_x?cursor=abc',
    field: 'cursor',
    says: 'not a cursor',
  },
  {
    name: 'batch outcome filter is an enum',
    method: 'GET',
    url: '/api/batches/bat_x?outcome=ok',
    field: 'outcome',
    says: '"passed", "failed", "error"',
  },
  {
    name: 'monitor list limit is checked',
    method: 'GET',
    url: '/api/monitors?limit=-1',
    field: 'limit',
    says: 'must be >= 1',
  },
];

describe('bad input gets a 400 that names the field', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const res = await service.app.inject({
        method: c.method ?? 'POST',
        url: c.url,
        ...(c.body === undefined
          ? {}
          : typeof c.body === 'string'
            ? { payload: c.body, headers: { 'content-type': 'application/json' } }
            : { payload: c.body as object }),
      });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json();
      expect(body.error).toBe('bad-request');
      expect(body.field).toBe(c.field);
      expect(body.message).toMatch(/^corsproof: /);
      expect(body.message).toContain(c.says);
    });
  }

  it('nothing is run for a refused request', () => {
    expect(service.runner.checks).toHaveLength(0);
    expect(service.runner.audits).toHaveLength(0);
  });
});

describe('other refusals', () => {
  it('a body that is not JSON is a 415', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/api/checks',
      payload: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported-media-type', field: 'body' });
  });

  it('a text/plain body (what a form or a no-cors fetch can send) is refused, never run', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/api/checks',
      payload: JSON.stringify(checkBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'body' });
  });

  it('more than 10 000 batch targets are refused', async () => {
    const targets = Array.from({ length: 10_001 }, () => ({
      url: 'https://x.example/',
      origin: 'https://a.example',
    }));
    const res = await service.app.inject({
      method: 'POST',
      url: '/api/batches',
      payload: { kind: 'check', targets },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      field: 'targets',
      message: 'corsproof: targets must have at most 10000 item(s)',
    });
  });

  it('an unknown API route is a JSON 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['DELETE', '/api/checks/x'],
    ] as const) {
      const res = await service.app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not-found' });
    }
  });
});

describe('no user input gets a 500', () => {
  const routes = ['/api/checks', '/api/audits', '/api/batches', '/api/monitors'];
  it('random JSON bodies get 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              url: fc.oneof(fc.string(), fc.webUrl(), fc.constant('http://[::ffff:a9fe:a9fe]/')),
              origin: fc.oneof(
                fc.string(),
                fc.constant('https://app.example.com'),
                fc.constant('null'),
              ),
              method: fc.oneof(fc.string(), fc.constantFrom('GET', 'PUT', 'patch', 'CONNECT')),
              headers: fc.oneof(
                fc.dictionary(fc.string(), fc.string()),
                fc.array(fc.array(fc.string())),
              ),
              kind: fc.constantFrom('check', 'audit'),
              targets: fc.array(fc.jsonValue(), { maxLength: 3 }),
              intervalSeconds: fc.integer(),
            },
            { requiredKeys: [] },
          ),
        ),
        async (url, body) => {
          const res = await service.app.inject({
            method: 'POST',
            url,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
