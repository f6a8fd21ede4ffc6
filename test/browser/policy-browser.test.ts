/**
 * The policy engine against a real browser: Chromium loads a page from one loopback origin and
 * fetches from node:http servers wrapped in `withCors`, one server (port) per policy. Every case
 * states what the policy intends (allowed or refused, which headers script may read) and the
 * browser must agree; refusals must also print the console message a developer would see.
 *
 * Page origins are `http://127.0.0.1:P`, `http://localhost:P`, `http://app.localhost:P` and
 * `http://a.b.localhost:P` (see harness.ts: all reach the harness's page server, and all are secure
 * contexts, so no Local Network Access prompt gets in the way). Targets are `http://127.0.0.1:Q`.
 * Every case fetches its own URL (`uniqueUrl`), so the preflight cache carries nothing over.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CorsOptions } from 'corsproof';
import { withCors } from 'corsproof/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserFetchInit,
  type ChromiumFetchOutcome,
  type ChromiumHarness,
  chromiumSkipReason,
  launchChromium,
  uniqueUrl,
} from './chromium.js';

const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`[policy browser] ${skipReason}`);

type PageHost = '127.0.0.1' | 'localhost' | 'app.localhost' | 'a.b.localhost';

/** The policies, as functions of the page port (page origins are only known at run time). */
const POLICIES = {
  /** Two exact origins, credentials, a few methods and headers, one exposed header. */
  credentialed: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`, `http://localhost:${page}`],
    credentials: true,
    methods: ['PUT', 'PATCH', 'DELETE'],
    requestHeaders: ['X-Custom', 'Content-Type'],
    exposeHeaders: ['X-Exposed'],
  }),
  /** One exact origin without credentials. */
  plain: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`],
    methods: ['PUT'],
    exposeHeaders: ['X-Exposed'],
  }),
  star: (): CorsOptions => ({
    origins: '*',
    methods: ['PUT'],
    requestHeaders: ['X-Custom'],
    exposeHeaders: ['X-Exposed'],
  }),
  starAll: (): CorsOptions => ({
    origins: '*',
    methods: '*',
    requestHeaders: '*',
    exposeHeaders: '*',
  }),
  /** Every subdomain of localhost on the page port, with credentials. */
  subdomain: (page: number): CorsOptions => ({
    origins: [`http://*.localhost:${page}`],
    credentials: true,
  }),
  lowerPatch: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`],
    methods: ['patch'],
  }),
  debug: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`],
    methods: ['PUT'],
    requestHeaders: ['X-Allowed'],
    debug: { warn: () => {} },
  }),
  /** The same as debug, without debug mode. */
  strict: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`],
    methods: ['PUT'],
    requestHeaders: ['X-Allowed'],
  }),
  maxAge600: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`],
    methods: ['PUT'],
    maxAge: 600,
  }),
  maxAge0: (page: number): CorsOptions => ({
    origins: [`http://127.0.0.1:${page}`],
    methods: ['PUT'],
    maxAge: 0,
  }),
  asyncPredicate: (page: number): CorsOptions => ({
    origins: async (origin) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return origin === `http://app.localhost:${page}`;
    },
    methods: ['PUT'],
  }),
} satisfies Record<string, (page: number) => CorsOptions>;

type PolicyName = keyof typeof POLICIES;

/** Chromium's wording after "has been blocked by CORS policy: ". */
const MISSING_ACAO =
  "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const PREFLIGHT_MISSING_ACAO = `Response to preflight request doesn't pass access control check: ${MISSING_ACAO}`;
const methodNotAllowed = (method: string) =>
  `Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response.`;
const headerNotAllowed = (name: string) =>
  `Request header field ${name} is not allowed by Access-Control-Allow-Headers in preflight response.`;
const CREDENTIALS_NOT_ALLOWED =
  "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.";
const WILDCARD_WITH_CREDENTIALS =
  "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";

type Expected =
  | {
      readonly ok: true;
      readonly status?: number;
      /** Response headers script must be able to read. */
      readonly readable?: readonly string[];
      /** Response headers script must not be able to read. */
      readonly hidden?: readonly string[];
      /** The Cookie header the server saw, when it matters. */
      readonly cookie?: string | null;
    }
  | {
      readonly ok: false;
      /** The console message's text after "blocked by CORS policy: ". */
      readonly reason: string;
      /** CDP Audits CorsError and its failed parameter. */
      readonly corsError: readonly [code: string, failedParameter: string];
    };

interface BrowserCase {
  readonly name: string;
  readonly policy: PolicyName;
  readonly from: PageHost;
  readonly path?: string;
  readonly init?: BrowserFetchInit;
  readonly expected: Expected;
  /** The methods the server saw for this URL, in order (the app or withCors answering). */
  readonly seen?: readonly string[];
}

const HIDDEN = ['x-hidden'];

const CASES: readonly BrowserCase[] = [
  // An exact-origin policy with credentials.
  {
    name: 'a listed origin reads the response and the exposed header, but not the others',
    policy: 'credentialed',
    from: '127.0.0.1',
    expected: { ok: true, status: 200, readable: ['x-exposed', 'content-type'], hidden: HIDDEN },
    seen: ['GET'],
  },
  {
    name: 'the second listed origin, cross-site, reads the response too',
    policy: 'credentialed',
    from: 'localhost',
    expected: { ok: true, readable: ['x-exposed'], hidden: HIDDEN },
  },
  {
    name: 'an unlisted origin cannot read the response',
    policy: 'credentialed',
    from: 'app.localhost',
    expected: { ok: false, reason: MISSING_ACAO, corsError: ['MissingAllowOriginHeader', ''] },
  },
  {
    name: 'an unlisted origin still reaches the app with a simple POST: CORS guards reading, not sending',
    policy: 'credentialed',
    from: 'app.localhost',
    init: { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } },
    expected: { ok: false, reason: MISSING_ACAO, corsError: ['MissingAllowOriginHeader', ''] },
    seen: ['POST'],
  },
  {
    name: 'a same-site credentialed request sends the cookie and reads the answer',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { credentials: 'include' },
    expected: {
      ok: true,
      readable: ['x-exposed'],
      hidden: HIDDEN,
      cookie: 'session=same-site; cross=site',
    },
  },
  {
    name: 'a cross-site credentialed request sends only the SameSite=None cookie',
    policy: 'credentialed',
    from: 'localhost',
    init: { credentials: 'include' },
    expected: { ok: true, cookie: 'cross=site' },
  },
  {
    name: 'a request without credentials sends no cookie',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { credentials: 'omit' },
    expected: { ok: true, cookie: null },
  },
  {
    name: 'a PUT with a listed custom header is preflighted and then sent',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'PUT', headers: { 'X-Custom': '1' }, body: '{}' },
    expected: { ok: true, readable: ['x-exposed'] },
    seen: ['OPTIONS', 'PUT'],
  },
  {
    name: 'a credentialed PUT passes a preflight that carries Allow-Credentials',
    policy: 'credentialed',
    from: 'localhost',
    init: { method: 'PUT', credentials: 'include', headers: { 'X-Custom': '1' } },
    expected: { ok: true, cookie: 'cross=site' },
    seen: ['OPTIONS', 'PUT'],
  },
  {
    name: 'PATCH in upper case is allowed',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'PATCH' },
    expected: { ok: true },
    seen: ['OPTIONS', 'PATCH'],
  },
  {
    name: 'patch in lower case is not normalized by the browser and fails against PATCH',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'patch' },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
    seen: ['OPTIONS'],
  },
  {
    name: 'put in lower case is normalized to PUT by the browser and allowed',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'put' },
    expected: { ok: true },
    seen: ['OPTIONS', 'PUT'],
  },
  {
    name: 'delete in lower case is normalized to DELETE and allowed',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'delete' },
    expected: { ok: true },
    seen: ['OPTIONS', 'DELETE'],
  },
  {
    name: 'an unlisted custom header fails the preflight and the request is never sent',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'PUT', headers: { 'X-Other': '1' } },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
    seen: ['OPTIONS'],
  },
  {
    name: 'a JSON POST is preflighted for Content-Type and allowed',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    expected: { ok: true },
    seen: ['OPTIONS', 'POST'],
  },
  {
    name: 'a 500 from a throwing handler keeps its CORS headers, so script reads the real error',
    policy: 'credentialed',
    from: '127.0.0.1',
    path: '/fail',
    expected: { ok: true, status: 500 },
  },
  {
    name: 'a HEAD request is allowed without a preflight',
    policy: 'credentialed',
    from: '127.0.0.1',
    init: { method: 'HEAD' },
    expected: { ok: true, readable: ['x-exposed'] },
    seen: ['HEAD'],
  },
  // A policy without credentials.
  {
    name: 'a policy without credentials serves a request without credentials',
    policy: 'plain',
    from: '127.0.0.1',
    expected: { ok: true, readable: ['x-exposed'], hidden: HIDDEN },
  },
  {
    name: 'a policy without credentials refuses a credentialed request',
    policy: 'plain',
    from: '127.0.0.1',
    init: { credentials: 'include' },
    expected: {
      ok: false,
      reason: CREDENTIALS_NOT_ALLOWED,
      corsError: ['InvalidAllowCredentials', ''],
    },
  },
  // Star policies.
  {
    name: 'a star policy serves any origin and exposes only the listed header',
    policy: 'star',
    from: 'app.localhost',
    expected: { ok: true, readable: ['x-exposed'], hidden: HIDDEN },
  },
  {
    name: 'a star policy refuses a credentialed request, as browsers never send cookies to star',
    policy: 'star',
    from: '127.0.0.1',
    init: { credentials: 'include' },
    expected: {
      ok: false,
      reason: WILDCARD_WITH_CREDENTIALS,
      corsError: ['WildcardOriginNotAllowed', ''],
    },
  },
  {
    name: 'a star policy allows its listed method and header',
    policy: 'star',
    from: 'localhost',
    init: { method: 'PUT', headers: { 'X-Custom': '1' } },
    expected: { ok: true },
    seen: ['OPTIONS', 'PUT'],
  },
  {
    name: 'a star policy refuses an unlisted method',
    policy: 'star',
    from: 'localhost',
    init: { method: 'DELETE' },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
    seen: ['OPTIONS'],
  },
  {
    name: 'an expose-star policy lets script read every header',
    policy: 'starAll',
    from: 'a.b.localhost',
    expected: { ok: true, readable: ['x-exposed', 'x-hidden'] },
  },
  {
    name: 'a star request-header policy lets Authorization through by naming it',
    policy: 'starAll',
    from: '127.0.0.1',
    init: { method: 'PATCH', headers: { Authorization: 'Bearer x', 'X-Anything': '1' } },
    expected: { ok: true },
    seen: ['OPTIONS', 'PATCH'],
  },
  {
    // Node's HTTP parser (llhttp) only knows upper-case methods: it answers `patch` itself with a
    // 400 and no CORS headers, before any request listener runs. The policy cannot help there.
    name: 'a star method policy passes a lower-case patch preflight, but Node refuses the patch itself',
    policy: 'starAll',
    from: '127.0.0.1',
    init: { method: 'patch' },
    expected: { ok: false, reason: MISSING_ACAO, corsError: ['MissingAllowOriginHeader', ''] },
    seen: ['OPTIONS'],
  },
  // A subdomain pattern.
  {
    name: 'a subdomain pattern allows a subdomain page',
    policy: 'subdomain',
    from: 'app.localhost',
    init: { credentials: 'include' },
    expected: { ok: true, cookie: 'cross=site' },
  },
  {
    name: 'a subdomain pattern allows a deeper subdomain page',
    policy: 'subdomain',
    from: 'a.b.localhost',
    expected: { ok: true },
  },
  {
    name: 'a subdomain pattern refuses the apex',
    policy: 'subdomain',
    from: 'localhost',
    expected: { ok: false, reason: MISSING_ACAO, corsError: ['MissingAllowOriginHeader', ''] },
  },
  {
    name: 'a subdomain pattern refuses another host',
    policy: 'subdomain',
    from: '127.0.0.1',
    expected: { ok: false, reason: MISSING_ACAO, corsError: ['MissingAllowOriginHeader', ''] },
  },
  // Method case.
  {
    name: 'a policy listing lower-case patch passes its preflight, but Node refuses the patch itself',
    policy: 'lowerPatch',
    from: '127.0.0.1',
    init: { method: 'patch' },
    expected: { ok: false, reason: MISSING_ACAO, corsError: ['MissingAllowOriginHeader', ''] },
    seen: ['OPTIONS'],
  },
  {
    name: 'a policy listing lower-case patch refuses PATCH',
    policy: 'lowerPatch',
    from: '127.0.0.1',
    init: { method: 'PATCH' },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
    seen: ['OPTIONS'],
  },
  // Debug mode: the console names the exact failure.
  {
    name: 'in debug mode a refused method is named in the console',
    policy: 'debug',
    from: '127.0.0.1',
    init: { method: 'DELETE' },
    expected: {
      ok: false,
      reason: methodNotAllowed('DELETE'),
      corsError: ['MethodDisallowedByPreflightResponse', 'DELETE'],
    },
    seen: ['OPTIONS'],
  },
  {
    name: 'in debug mode a refused request header is named in the console',
    policy: 'debug',
    from: '127.0.0.1',
    init: { method: 'PUT', headers: { 'X-Allowed': '1', 'X-Other': '2' } },
    expected: {
      ok: false,
      reason: headerNotAllowed('x-other'),
      corsError: ['HeaderDisallowedByPreflightResponse', 'x-other'],
    },
    seen: ['OPTIONS'],
  },
  {
    name: 'in debug mode an allowed preflight still passes',
    policy: 'debug',
    from: '127.0.0.1',
    init: { method: 'PUT', headers: { 'X-Allowed': '1' } },
    expected: { ok: true },
    seen: ['OPTIONS', 'PUT'],
  },
  {
    name: 'in debug mode a refused origin gets the bare 403',
    policy: 'debug',
    from: 'localhost',
    init: { method: 'PUT' },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
  },
  {
    name: 'outside debug mode the same refused method only shows a missing Allow-Origin',
    policy: 'strict',
    from: '127.0.0.1',
    init: { method: 'DELETE' },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
  },
  // An async predicate.
  {
    name: 'an async predicate allows the origin it resolves true for',
    policy: 'asyncPredicate',
    from: 'app.localhost',
    init: { method: 'PUT' },
    expected: { ok: true },
    seen: ['OPTIONS', 'PUT'],
  },
  {
    name: 'an async predicate refuses the origin it resolves false for',
    policy: 'asyncPredicate',
    from: 'a.b.localhost',
    init: { method: 'PUT' },
    expected: {
      ok: false,
      reason: PREFLIGHT_MISSING_ACAO,
      corsError: ['PreflightMissingAllowOriginHeader', ''],
    },
    seen: ['OPTIONS'],
  },
];

interface Target {
  readonly origin: string;
  /** Method and path (with query) of every request the server received, withCors or app. */
  readonly seen: { method: string; path: string }[];
  readonly server: http.Server;
}

/** A target server: records each request, then hands it to withCors and a small app. */
async function startTarget(policy: CorsOptions): Promise<Target> {
  const seen: { method: string; path: string }[] = [];
  const app = withCors(
    policy,
    (req, res) => {
      if (req.url?.startsWith('/fail')) throw new Error('the app failed');
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-exposed', 'yes');
      res.setHeader('x-hidden', 'secret');
      res.end(JSON.stringify({ method: req.method, cookie: req.headers.cookie ?? null }));
    },
    {
      onError: (_error, _req, res) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: 'the app failed' }));
      },
    },
  );
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '' });
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe.skipIf(skipReason !== undefined)('corsproof policies in Chromium', () => {
  let browser: ChromiumHarness;
  const targets = new Map<PolicyName, Target>();

  const target = (name: PolicyName): Target => {
    const t = targets.get(name);
    if (t === undefined) throw new Error(`no target for ${name}`);
    return t;
  };
  const seenFor = (name: PolicyName, url: string): string[] => {
    const { pathname, search } = new URL(url);
    return target(name)
      .seen.filter((r) => r.path === pathname + search)
      .map((r) => r.method);
  };

  beforeAll(async () => {
    browser = await launchChromium();
    console.log(`[policy browser] Chromium ${browser.version}, pages on port ${browser.pagePort}`);
    for (const [name, make] of Object.entries(POLICIES)) {
      targets.set(name as PolicyName, await startTarget(make(browser.pagePort)));
    }
    // Cookies are per host, not per port: every target on 127.0.0.1 receives them.
    const any = target('credentialed').origin;
    await browser.setCookie({ url: any, name: 'session', value: 'same-site', sameSite: 'Lax' });
    await browser.setCookie({
      url: any,
      name: 'cross',
      value: 'site',
      sameSite: 'None',
      secure: true,
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const t of targets.values()) {
      t.server.closeAllConnections();
      await new Promise<void>((resolve) => t.server.close(() => resolve()));
    }
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const url = uniqueUrl(`${target(c.policy).origin}${c.path ?? '/data'}`, i);
    const outcome: ChromiumFetchOutcome = await browser.fetch(url, c.init, { from: c.from });
    const pageOrigin = browser.originFor(c.from);
    const e = c.expected;
    if (e.ok) {
      if (!outcome.ok) {
        throw new Error(`expected success, got ${outcome.error}: ${outcome.consoleMessage ?? ''}`);
      }
      expect(outcome.type).toBe('cors');
      if (e.status !== undefined) expect(outcome.status).toBe(e.status);
      for (const name of e.readable ?? []) expect(outcome.headers).toHaveProperty([name]);
      for (const name of e.hidden ?? []) expect(outcome.headers).not.toHaveProperty([name]);
      if (e.cookie !== undefined) {
        const body = JSON.parse(outcome.body) as { cookie: string | null };
        expect(body.cookie).toBe(e.cookie);
      }
    } else {
      if (outcome.ok) throw new Error(`expected a CORS failure, got status ${outcome.status}`);
      expect(outcome.error).toBe('TypeError: Failed to fetch');
      expect(outcome.consoleMessage).toBe(
        `Access to fetch at '${url}' from origin '${pageOrigin}' has been blocked by CORS policy: ${e.reason}`,
      );
      // The Audits issue can arrive after the console messages the harness waits for.
      if (outcome.corsError !== undefined) {
        expect(outcome.corsError).toEqual({
          code: e.corsError[0],
          failedParameter: e.corsError[1],
        });
      }
    }
    if (c.seen !== undefined) expect(seenFor(c.policy, url)).toEqual(c.seen);
  });

  it('sends the page origin exactly as the policy compares it', async () => {
    const url = uniqueUrl(`${target('subdomain').origin}/data`);
    const outcome = await browser.fetch(url, {}, { from: 'a.b.localhost' });
    expect(outcome.ok).toBe(true);
    expect(browser.originFor('a.b.localhost')).toBe(`http://a.b.localhost:${browser.pagePort}`);
  });

  it('caches a preflight with Max-Age 600, so a second PUT to the same URL is not preflighted', async () => {
    const url = uniqueUrl(`${target('maxAge600').origin}/data`);
    expect((await browser.fetch(url, { method: 'PUT' })).ok).toBe(true);
    expect((await browser.fetch(url, { method: 'PUT' })).ok).toBe(true);
    expect(seenFor('maxAge600', url)).toEqual(['OPTIONS', 'PUT', 'PUT']);
  });

  it('does not cache a preflight with Max-Age 0, so every PUT is preflighted', async () => {
    const url = uniqueUrl(`${target('maxAge0').origin}/data`);
    expect((await browser.fetch(url, { method: 'PUT' })).ok).toBe(true);
    expect((await browser.fetch(url, { method: 'PUT' })).ok).toBe(true);
    expect(seenFor('maxAge0', url)).toEqual(['OPTIONS', 'PUT', 'OPTIONS', 'PUT']);
  });

  it('caches a preflight without Max-Age for the browser default of a few seconds', async () => {
    const url = uniqueUrl(`${target('plain').origin}/data`);
    expect((await browser.fetch(url, { method: 'PUT' })).ok).toBe(true);
    expect((await browser.fetch(url, { method: 'PUT' })).ok).toBe(true);
    expect(seenFor('plain', url)).toEqual(['OPTIONS', 'PUT', 'PUT']);
  });

  it('has every policy exercised by at least one case', () => {
    const used = new Set<string>(CASES.map((c) => c.policy));
    used.add('maxAge600').add('maxAge0');
    expect(Object.keys(POLICIES).filter((p) => !used.has(p))).toEqual([]);
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });
});
