import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from './check.js';
import { CheckInputError } from './errors.js';
import type { CheckOptions } from './options.js';
import type { CheckResult } from './result.js';
import { createCheckDispatcher } from './transport.js';
import { preflightCacheReport } from './warnings.js';

/** One answer: status and header lines; `{origin}` echoes the request's Origin, `{b}` is server B. */
type Answer = { status?: number; headers?: readonly (readonly [string, string])[] };
type Route = { preflight?: Answer; actual?: Answer };

const routes = new Map<string, Route>();
const requests: {
  server: 'A' | 'B';
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}[] = [];
let a: http.Server;
let b: http.Server;
let A = '';
let B = '';
let dispatcher: Dispatcher;
const PAGE = 'https://app.example';

function serve(name: 'A' | 'B') {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ server: name, method: req.method ?? '', path, headers: req.headers });
    const route = routes.get(path);
    const answer = req.method === 'OPTIONS' ? route?.preflight : route?.actual;
    const origin = req.headers.origin ?? '';
    const headers = (answer?.headers ?? []).flatMap(([n, v]) => [
      n,
      v.replaceAll('{origin}', origin).replaceAll('{b}', B),
    ]);
    req.resume();
    req.on('end', () => {
      res.writeHead(answer?.status ?? (req.method === 'OPTIONS' ? 404 : 200), headers);
      res.end(req.method === 'HEAD' ? undefined : 'body');
    });
  };
}

beforeAll(async () => {
  a = http.createServer(serve('A'));
  b = http.createServer(serve('B'));
  await new Promise<void>((r) => a.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => b.listen(0, '127.0.0.1', r));
  A = `http://127.0.0.1:${(a.address() as AddressInfo).port}`;
  B = `http://127.0.0.1:${(b.address() as AddressInfo).port}`;
  dispatcher = createCheckDispatcher();
});

afterAll(async () => {
  await dispatcher.close();
  for (const s of [a, b]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

let counter = 0;
/** Registers a route on a fresh path and checks it. */
async function run(
  route: Route | Record<string, Route>,
  options: Partial<CheckOptions> = {},
): Promise<CheckResult> {
  const base = `/t${++counter}`;
  if ('preflight' in route || 'actual' in route) routes.set(base, route as Route);
  else for (const [suffix, r] of Object.entries(route)) routes.set(`${base}${suffix}`, r as Route);
  return check({ url: `${A}${base}`, origin: PAGE, dispatcher, ...options });
}

const ECHO: [string, string] = ['Access-Control-Allow-Origin', '{origin}'];
const CRED: [string, string] = ['Access-Control-Allow-Credentials', 'true'];
const codes = (r: CheckResult) =>
  r.verdict === 'blocked' ? r.failures.map((f) => f.code) : [r.verdict];

describe('simple requests (WPT cors-basic, cors-origin)', () => {
  it('allows a GET whose response echoes the origin, without a preflight', async () => {
    const r = await run({ actual: { headers: [ECHO] } });
    expect(r.verdict).toBe('allowed');
    expect(r.plan.preflight.needed).toBe(false);
    expect(r.steps.map((s) => s.kind)).toEqual(['request']);
  });

  it('blocks a GET without Access-Control-Allow-Origin, with the console message and a fix', async () => {
    const r = await run({ actual: { headers: [] } });
    expect(r.verdict).toBe('blocked');
    if (r.verdict !== 'blocked') return;
    const [failure] = r.failures;
    expect(failure.code).toBe('MissingAllowOriginHeader');
    expect(failure.message).toBe(
      `Access to fetch at '${A}/t${counter}' from origin '${PAGE}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    expect(failure.fix.header).toEqual({ name: 'Access-Control-Allow-Origin', value: PAGE });
    // The policy the request needs, as data; the checker writes no configuration itself.
    expect(failure.fix.policy).toMatchObject({ origin: PAGE, methods: [], requestHeaders: [] });
    expect(failure.fix.snippets).toBeUndefined();
    expect(failure.step).toBe(0);
  });

  it.each([
    ['*', 'allowed'],
    [' * ', 'allowed'],
    [`${PAGE}/`, 'AllowOriginMismatch'],
    ['HTTPS://app.example', 'AllowOriginMismatch'],
    ['https://app.example:443', 'AllowOriginMismatch'],
    ['null', 'AllowOriginMismatch'],
    ['', 'InvalidAllowOriginValue'],
    ['*.example', 'InvalidAllowOriginValue'],
    [`${PAGE}, ${PAGE}`, 'MultipleAllowOriginValues'],
  ])('ACAO %j: %s (WPT cors/origin.htm)', async (value, expected) => {
    expect(
      codes(await run({ actual: { headers: [['Access-Control-Allow-Origin', value]] } }))[0],
    ).toBe(expected);
  });

  it('counts two ACAO lines as multiple values', async () => {
    expect(codes(await run({ actual: { headers: [ECHO, ECHO] } }))).toEqual([
      'MultipleAllowOriginValues',
    ]);
  });
});

describe('credentials (WPT cors/credentials-flag.htm, cors-cookies.any.js)', () => {
  it.each([
    ['true', 'allowed'],
    ['True', 'InvalidAllowCredentials'],
    ['TRUE', 'InvalidAllowCredentials'],
    ['"true"', 'InvalidAllowCredentials'],
    ['false', 'InvalidAllowCredentials'],
    ['1', 'InvalidAllowCredentials'],
  ])('ACAC %s: %s', async (value, expected) => {
    const r = await run(
      { actual: { headers: [ECHO, ['Access-Control-Allow-Credentials', value]] } },
      { credentials: 'include' },
    );
    expect(codes(r)[0]).toBe(expected);
  });

  it('refuses * with credentials', async () => {
    const r = await run(
      { actual: { headers: [['Access-Control-Allow-Origin', '*'], CRED] } },
      { credentials: 'include' },
    );
    expect(codes(r)).toEqual(['WildcardOriginNotAllowed']);
  });

  it('sends the cookie only with credentials include, never on the preflight', async () => {
    const r = await run(
      {
        preflight: { status: 204, headers: [ECHO, CRED, ['Access-Control-Allow-Methods', 'PUT']] },
        actual: { headers: [ECHO, CRED] },
      },
      { method: 'PUT', credentials: 'include', cookie: 'sid=1' },
    );
    expect(r.verdict).toBe('allowed');
    const mine = requests.filter((q) => q.path === `/t${counter}`);
    expect(mine.map((q) => [q.method, q.headers.cookie])).toEqual([
      ['OPTIONS', undefined],
      ['PUT', 'sid=1'],
    ]);
    const omitted = await run({ actual: { headers: [ECHO] } }, { cookie: 'sid=1' });
    expect(omitted.steps[0]?.request.headers.some(([n]) => n === 'Cookie')).toBe(false);
  });
});

describe('preflights (WPT cors-preflight*.any.js)', () => {
  it('sends the preflight a browser sends', async () => {
    const r = await run(
      {
        preflight: {
          status: 204,
          headers: [
            ECHO,
            ['Access-Control-Allow-Methods', 'PUT'],
            ['Access-Control-Allow-Headers', 'x-b, x-a'],
          ],
        },
        actual: { headers: [ECHO] },
      },
      {
        method: 'put',
        headers: [
          ['X-B', '1'],
          ['x-a', '2'],
          ['Accept', 'text/html'],
        ],
        credentials: 'include',
      },
    );
    expect(r.verdict).toBe('blocked'); // the preflight lacks ACAC for a credentialed request
    const preflight = r.steps[0];
    expect(preflight?.request.method).toBe('OPTIONS');
    expect(preflight?.request.headers.slice(0, 4)).toEqual([
      ['Accept', '*/*'],
      ['Access-Control-Request-Method', 'PUT'],
      ['Access-Control-Request-Headers', 'x-a,x-b'],
      ['Origin', PAGE],
    ]);
    const names = preflight?.request.headers.map(([n]) => n.toLowerCase()) ?? [];
    expect(names).not.toContain('x-a');
    expect(names).not.toContain('cookie');
    expect(codes(r)).toEqual(['PreflightInvalidAllowCredentials']);
  });

  it('omits Access-Control-Request-Headers when no header is unsafe', async () => {
    const r = await run(
      {
        preflight: { status: 204, headers: [ECHO, ['Access-Control-Allow-Methods', 'DELETE']] },
        actual: { headers: [ECHO] },
      },
      { method: 'DELETE' },
    );
    expect(r.verdict).toBe('allowed');
    expect(r.steps[0]?.request.headers.map(([n]) => n)).not.toContain(
      'Access-Control-Request-Headers',
    );
  });

  it.each([
    [200, 'allowed'],
    [204, 'allowed'],
    [206, 'allowed'],
    [301, 'PreflightInvalidStatus'],
    [400, 'PreflightInvalidStatus'],
    [404, 'PreflightInvalidStatus'],
    [500, 'PreflightInvalidStatus'],
  ])('preflight status %i: %s', async (status, expected) => {
    const r = await run(
      {
        preflight: { status, headers: [ECHO, ['Access-Control-Allow-Methods', 'PUT']] },
        actual: { headers: [ECHO] },
      },
      { method: 'PUT' },
    );
    expect(codes(r)[0]).toBe(expected);
  });

  it('never follows a redirected preflight, and never sends the request', async () => {
    const r = await run(
      {
        preflight: { status: 307, headers: [ECHO, ['Location', '/elsewhere']] },
        actual: { headers: [ECHO] },
      },
      { method: 'PUT' },
    );
    expect(codes(r)).toEqual(['PreflightDisallowedRedirect']);
    expect(r.steps).toHaveLength(1);
  });

  it('reports the method first, then the headers that would fail next', async () => {
    const r = await run(
      { preflight: { status: 204, headers: [ECHO] } },
      { method: 'PUT', headers: { 'X-A': '1' } },
    );
    expect(codes(r)).toEqual([
      'MethodDisallowedByPreflightResponse',
      'HeaderDisallowedByPreflightResponse',
    ]);
  });

  it('lets Authorization through under * but warns it relies on behaviour browsers will drop', async () => {
    const r = await run(
      {
        preflight: { status: 204, headers: [ECHO, ['Access-Control-Allow-Headers', '*']] },
        actual: { headers: [ECHO] },
      },
      { headers: { Authorization: 'Bearer x' } },
    );
    expect(r.verdict).toBe('allowed');
    expect(r.warnings.map((w) => w.code)).toContain('AUTHORIZATION_COVERED_BY_WILDCARD');
  });

  it('reports the preflight cache lifetime per browser and warns when they differ', async () => {
    const r = await run(
      {
        preflight: {
          status: 204,
          headers: [
            ECHO,
            ['Access-Control-Allow-Methods', 'PUT'],
            ['Access-Control-Max-Age', '86400'],
          ],
        },
        actual: { headers: [ECHO] },
      },
      { method: 'PUT' },
    );
    // Firefox never reuses a preflight to an IP-address host (measured on ESR 153).
    expect(r.preflightCache).toEqual({
      header: '86400',
      chromium: { seconds: 7200, source: 'capped' },
      firefox: { seconds: 0, source: 'not-cached' },
      webkit: { seconds: 600, source: 'capped' },
    });
    expect(r.warnings.map((w) => w.code)).toContain('BROWSERS_DISAGREE');
    expect(r.warnings.find((w) => w.code === 'BROWSERS_DISAGREE')?.message).toMatch(
      /^Chromium caches this preflight for 7200 s \(capped\), Firefox for 0 s \(not-cached\) and WebKit for 600 s \(capped\);/,
    );
    expect(
      preflightCacheReport([['Access-Control-Max-Age', '86400']], new URL('https://api.example/'))
        .report,
    ).toEqual({
      header: '86400',
      chromium: { seconds: 7200, source: 'capped' },
      firefox: { seconds: 86400, source: 'header' },
      webkit: { seconds: 600, source: 'capped' },
    });
  });
});

describe('preflight-only mode', () => {
  it('judges the preflight and sends nothing else', async () => {
    const r = await run(
      { preflight: { status: 204, headers: [ECHO, ['Access-Control-Allow-Methods', 'DELETE']] } },
      { method: 'DELETE', preflightOnly: true },
    );
    expect(r).toMatchObject({ verdict: 'allowed', scope: 'preflight-only', response: null });
    expect(requests.filter((q) => q.path === `/t${counter}`).map((q) => q.method)).toEqual([
      'OPTIONS',
    ]);
    expect(r.warnings.map((w) => w.code)).toContain('PREFLIGHT_ONLY');
  });

  it('is inconclusive for a request that needs no preflight', async () => {
    const r = await run({ actual: { headers: [ECHO] } }, { method: 'POST', preflightOnly: true });
    expect(r.verdict).toBe('inconclusive');
    expect(requests.filter((q) => q.path === `/t${counter}`)).toEqual([]);
  });
});

describe('redirects (WPT cors-redirect, cors-redirect-preflight, cors-redirect-credentials)', () => {
  it('runs the CORS check on every hop', async () => {
    const r = await run({ '': { actual: { status: 302, headers: [['Location', '/t0-next']] } } });
    expect(codes(r)).toEqual(['MissingAllowOriginHeader']);
  });

  it('sends Origin: null after a cross-origin hop, and needs * or null there', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-b`, { actual: { headers: [ECHO] } });
    const r = await run({
      '': { actual: { status: 302, headers: [ECHO, ['Location', `{b}${path}-b`]] } },
    });
    expect(r.verdict).toBe('allowed');
    expect(r.steps.map((s) => s.request.headers.find(([n]) => n === 'Origin')?.[1])).toEqual([
      PAGE,
      'null',
    ]);
    expect(r.warnings.map((w) => w.code)).toContain('ORIGIN_TAINTED');
    if (r.verdict === 'allowed')
      expect(r.response).toMatchObject({ redirected: true, url: `${B}${path}-b` });
  });

  it('explains the tainted origin when the final server answers the page origin', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-b`, { actual: { headers: [['Access-Control-Allow-Origin', PAGE]] } });
    const r = await run({
      '': { actual: { status: 302, headers: [ECHO, ['Location', `{b}${path}-b`]] } },
    });
    expect(codes(r)).toEqual(['AllowOriginMismatch']);
    if (r.verdict !== 'blocked') return;
    expect(r.failures[0].message).toContain(`(redirected from '${A}${path}')`);
    expect(r.failures[0].explanation).toContain('Origin: null');
    expect(r.failures[0].fix.header).toEqual({ name: 'Access-Control-Allow-Origin', value: '*' });
  });

  it('preflights again after a redirect when the request is still unsafe', async () => {
    const path = `/t${counter + 1}`;
    const allowPut: Answer = {
      status: 204,
      headers: [ECHO, ['Access-Control-Allow-Methods', 'PUT']],
    };
    routes.set(`${path}-2`, { preflight: allowPut, actual: { headers: [ECHO] } });
    const r = await run(
      {
        '': {
          preflight: allowPut,
          actual: { status: 307, headers: [ECHO, ['Location', `${path}-2`]] },
        },
      },
      { method: 'PUT', body: 'x' },
    );
    expect(r.verdict).toBe('allowed');
    expect(r.steps.map((s) => `${s.kind}:${s.request.method}:${s.hop}`)).toEqual([
      'preflight:OPTIONS:0',
      'request:PUT:0',
      'preflight:OPTIONS:1',
      'request:PUT:1',
    ]);
  });

  it('turns a 303 PUT into a GET that needs no preflight', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-2`, { actual: { headers: [ECHO] } });
    const r = await run(
      {
        '': {
          preflight: { status: 204, headers: [ECHO, ['Access-Control-Allow-Methods', 'PUT']] },
          actual: { status: 303, headers: [ECHO, ['Location', `${path}-2`]] },
        },
      },
      { method: 'PUT', body: 'x' },
    );
    expect(r.verdict).toBe('allowed');
    expect(r.steps.map((s) => s.request.method)).toEqual(['OPTIONS', 'PUT', 'GET']);
    expect(r.steps[2]?.request.body).toBeNull();
  });

  it('drops Authorization on a cross-origin hop, and says so', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-b`, { actual: { headers: [ECHO] } });
    const r = await run(
      {
        '': {
          preflight: {
            status: 204,
            headers: [ECHO, ['Access-Control-Allow-Headers', 'authorization']],
          },
          actual: { status: 307, headers: [ECHO, ['Location', `{b}${path}-b`]] },
        },
      },
      { headers: { Authorization: 'secret' } },
    );
    expect(r.verdict).toBe('allowed');
    const last = requests.filter((q) => q.path === `${path}-b`);
    expect(last.map((q) => [q.method, q.headers.authorization])).toEqual([['GET', undefined]]);
    expect(r.warnings.map((w) => w.code)).toContain('AUTHORIZATION_REMOVED_ON_REDIRECT');
  });

  it.each([
    ['http://user:pw@127.0.0.1:1/x', 'RedirectContainsCredentials'],
    ['ftp://127.0.0.1/x', 'CorsDisabledScheme'],
    ['data:text/plain,x', 'UnsafeRedirect'],
    ['http://[bad', 'InvalidRedirect'],
    ['http://127.0.0.1:6000/x', 'UnsafePort'],
  ])('refuses a redirect to %s', async (location, expected) => {
    const r = await run({
      '': { actual: { status: 302, headers: [ECHO, ['Location', location]] } },
    });
    expect(codes(r)).toEqual([expected]);
  });

  it('follows at most maxRedirects', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-1`, {
      actual: { status: 302, headers: [ECHO, ['Location', `${path}-2`]] },
    });
    routes.set(`${path}-2`, { actual: { headers: [ECHO] } });
    const hop = {
      '': {
        actual: { status: 302, headers: [ECHO, ['Location', `${path}-1`]] as [string, string][] },
      },
    };
    expect(codes(await run(hop, { maxRedirects: 1 }))).toEqual(['TooManyRedirects']);
    routes.set(`/t${counter + 1}`, hop['']);
    const again = await check({
      url: `${A}/t${counter + 1}`,
      origin: PAGE,
      dispatcher,
      maxRedirects: 2,
    });
    expect(again.verdict).toBe('allowed');
  });
});

describe('redirects in Firefox (measured on Firefox ESR 153)', () => {
  const allowPut: Answer = {
    status: 204,
    headers: [ECHO, ['Access-Control-Allow-Methods', 'PUT']],
  };

  it('preflights every hop after a preflight, even the GET a 303 made', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-2`, { actual: { headers: [ECHO] } });
    const r = await run(
      {
        '': {
          preflight: allowPut,
          actual: { status: 303, headers: [ECHO, ['Location', `${path}-2`]] },
        },
      },
      { method: 'PUT', body: 'x', browser: 'firefox' },
    );
    expect(codes(r)).toEqual(['PreflightMissingAllowOriginHeader']);
    expect(r.steps.map((s) => `${s.kind}:${s.request.method}:${s.hop}`)).toEqual([
      'preflight:OPTIONS:0',
      'request:PUT:0',
      'preflight:OPTIONS:1',
    ]);
    expect(r.steps[2]?.request.headers).toContainEqual(['Access-Control-Request-Method', 'GET']);
  });

  it('sends the preflight after a cross-origin hop with the page origin, the request with null', async () => {
    const path = `/t${counter + 1}`;
    routes.set(`${path}-b`, {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
      },
      actual: { headers: [ECHO] },
    });
    const r = await run(
      {
        '': {
          preflight: allowPut,
          actual: { status: 307, headers: [ECHO, ['Location', `{b}${path}-b`]] },
        },
      },
      { method: 'PUT', body: 'x', browser: 'firefox' },
    );
    expect(r.verdict).toBe('allowed');
    expect(r.steps.map((s) => s.request.headers.find(([n]) => n === 'Origin')?.[1])).toEqual([
      PAGE,
      PAGE,
      PAGE,
      'null',
    ]);
    // Chromium's preflight carries the tainted origin, so the page origin does not match there.
    const chromium = await check({
      url: `${A}${path}`,
      origin: PAGE,
      dispatcher,
      method: 'PUT',
      body: 'x',
    });
    expect(codes(chromium)).toEqual(['PreflightAllowOriginMismatch']);
  });

  it('follows an empty Location to the same URL until the redirect limit', async () => {
    const route = {
      actual: { status: 307, headers: [ECHO, ['Location', '']] as [string, string][] },
    };
    expect(codes(await run(route, { browser: 'firefox' }))).toEqual(['TooManyRedirects']);
    expect((await run(route)).verdict).toBe('allowed');
  });
});

describe('what script can read (WPT cors-expose-star.js, cors-filtering.js)', () => {
  const extra: [string, string][] = [
    ['X-A', '1'],
    ['Content-Type', 'text/plain'],
    ['Set-Cookie', 'a=1'],
  ];
  it.each([
    ['no ACEH', [], 'omit', ['content-type']],
    ['ACEH x-a', [['Access-Control-Expose-Headers', 'x-a']], 'omit', ['x-a', 'content-type']],
    [
      'ACEH * without credentials',
      [['Access-Control-Expose-Headers', '*']],
      'omit',
      ['access-control-allow-origin', 'access-control-expose-headers', 'x-a', 'content-type'],
    ],
    [
      'ACEH * with credentials',
      [['Access-Control-Expose-Headers', '*'], CRED],
      'include',
      ['content-type'],
    ],
  ] as const)('%s', async (_name, expose, credentials, readable) => {
    const r = await run({ actual: { headers: [ECHO, ...expose, ...extra] } }, { credentials });
    expect(r.verdict).toBe('allowed');
    if (r.verdict !== 'allowed') return;
    expect(
      r.response?.readableHeaders.filter(
        (n) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(n),
      ),
    ).toEqual(readable);
    expect(r.response?.hiddenHeaders).toContain('set-cookie');
  });
});

describe('gates, warnings and errors', () => {
  it('blocks an https page calling plain http (mixed content), sending nothing', async () => {
    const r = await check({ url: 'http://api.example.invalid/x', origin: PAGE, dispatcher });
    expect(codes(r)).toEqual(['MixedContent']);
    expect(r.steps).toEqual([]);
  });

  it('reports a network error as an error, not a CORS verdict', async () => {
    const r = await check({
      url: 'http://127.0.0.1:59999/x',
      origin: 'http://page.test',
      dispatcher,
    });
    expect(r).toMatchObject({
      verdict: 'error',
      allowed: false,
      error: { code: 'CONNECTION_REFUSED', step: 0 },
    });
  });

  it('warns about dropped forbidden headers and client hints Firefox would preflight', async () => {
    const r = await run({ actual: { headers: [ECHO] } }, { headers: { Cookie: 'a=1', DPR: '2' } });
    expect(r.verdict).toBe('allowed');
    expect(r.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['FORBIDDEN_HEADER_DROPPED', 'BROWSERS_DISAGREE']),
    );
  });

  it('preflights client hints in the firefox profile', async () => {
    const r = await run(
      { preflight: { status: 204, headers: [ECHO] }, actual: { headers: [ECHO] } },
      { headers: { DPR: '2' }, browser: 'firefox' },
    );
    expect(codes(r)).toEqual(['HeaderDisallowedByPreflightResponse']);
    if (r.verdict === 'blocked')
      expect(r.failures[0].message).toMatch(/^Cross-Origin Request Blocked: /);
  });

  it('applies no CORS check to a same-origin URL', async () => {
    const r = await check({ url: `${A}/same`, origin: A, dispatcher });
    expect(r.verdict).toBe('allowed');
    expect(r.steps[0]).toMatchObject({ cors: 'not-applicable' });
    expect(r.steps[0]?.request.headers.map(([n]) => n)).not.toContain('Origin');
    expect(r.warnings.map((w) => w.code)).toContain('SAME_ORIGIN');
  });

  it('throws a CheckInputError (a TypeError) for arguments fetch() refuses', async () => {
    await expect(check({ url: 'https://u:p@api.example/', origin: PAGE })).rejects.toBeInstanceOf(
      CheckInputError,
    );
    await expect(
      check({ url: 'https://api.example/', origin: PAGE, method: 'TRACE' }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('gives one curl command per step', async () => {
    const r = await run(
      {
        preflight: { status: 204, headers: [ECHO, ['Access-Control-Allow-Methods', 'PUT']] },
        actual: { headers: [ECHO] },
      },
      { method: 'PUT', body: 'hi' },
    );
    expect(r.curl).toHaveLength(2);
    expect(r.curl[0]).toMatch(/^curl -sS -i -X OPTIONS /);
    expect(r.curl[1]).toContain('--data-binary hi');
  });
});
