/**
 * The zoo: one node:http server on 127.0.0.1, one path per CORS configuration seen in the wild,
 * vulnerable and safe, each with the exact finding ids the auditor must report for it. The
 * trusted origin is https://app.example.com throughout (an Origin value is only a header string,
 * so no DNS is involved); https://admin.example.com is a second legitimate origin.
 *
 * Hand-written endpoints send `Vary: Origin` on every answer unless the point is that they do
 * not, and allow PUT only where the point is that untrusted origins may send it, so each expected
 * set names exactly the misconfiguration on display.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import { withCors } from 'corsproof/node';
import type { FindingId, Severity } from '../../src/audit/index.js';

export const TRUSTED = 'https://app.example.com';
export const OTHER = 'https://admin.example.com';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What the auditor must report for one endpoint. */
export type ZooExpectation = Omit<ZooEntry, 'handler'>;

export interface ZooEntry {
  readonly path: string;
  /** What the endpoint does, for the table in the report. */
  readonly what: string;
  readonly expected: readonly FindingId[];
  /** Safe endpoints may have findings, but none of medium severity or above. */
  readonly safe: boolean;
  /** Expected severities: every id of a vulnerable endpoint; where they are the point, of a safe one. */
  readonly severities?: Partial<Record<FindingId, Severity>>;
  readonly handler: Handler;
}

interface Dynamic {
  /** Which origins the GET answer allows. */
  readonly match: (origin: string) => boolean;
  /** Which origins the preflight answer allows; default `match`. */
  readonly preflightMatch?: (origin: string) => boolean;
  readonly credentials?: boolean | string;
  readonly methods?: string;
  readonly headers?: string;
  readonly vary?: boolean;
  readonly maxAge?: string;
  /** Answer a private network preflight with Access-Control-Allow-Private-Network: true. */
  readonly privateNetwork?: boolean;
  /** The GET's status and extra headers; default 200 with `{"ok":true}`. */
  readonly get?: { readonly status: number; readonly headers: Record<string, string> };
}

/** The GET of an endpoint behind authentication, asked without a session. */
const UNAUTHORIZED = {
  get: {
    status: 401,
    headers: { 'www-authenticate': 'Bearer', 'cache-control': 'no-store' },
  },
} as const;

function json(res: ServerResponse, status = 200): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
}

/** An endpoint that echoes the Origin it allows, the way most hand-written CORS code does. */
function dynamic(d: Dynamic): Handler {
  return (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS';
    const match = preflight ? (d.preflightMatch ?? d.match) : d.match;
    if (d.vary !== false) res.setHeader('vary', 'Origin');
    if (origin !== undefined && match(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      if (d.credentials !== undefined && d.credentials !== false) {
        res.setHeader(
          'access-control-allow-credentials',
          d.credentials === true ? 'true' : d.credentials,
        );
      }
      if (preflight) {
        res.setHeader('access-control-allow-methods', d.methods ?? 'GET, POST');
        res.setHeader('access-control-allow-headers', d.headers ?? 'content-type');
        if (d.maxAge !== undefined) res.setHeader('access-control-max-age', d.maxAge);
        if (d.privateNetwork && req.headers['access-control-request-private-network'] === 'true') {
          res.setHeader('access-control-allow-private-network', 'true');
        }
      }
    }
    if (preflight) {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (d.get !== undefined) {
      for (const [n, v] of Object.entries(d.get.headers)) res.setHeader(n, v);
      res.statusCode = d.get.status;
      res.setHeader('content-type', 'application/json');
      res.end('{"error":"unauthorized"}');
      return;
    }
    json(res);
  };
}

/** A fixed set of headers on every answer, preflights answered 204. */
function fixed(headers: Record<string, string | string[]>, preflightStatus = 204): Handler {
  return (req, res) => {
    for (const [n, v] of Object.entries(headers)) res.setHeader(n, v);
    if (req.method === 'OPTIONS') {
      res.statusCode = preflightStatus;
      res.end();
      return;
    }
    json(res);
  };
}

/** Extra headers on every answer, then `handler`. */
function withHeaders(headers: Record<string, string>, handler: Handler): Handler {
  return (req, res) => {
    for (const [n, v] of Object.entries(headers)) res.setHeader(n, v);
    handler(req, res);
  };
}

/** The cors package (expressjs/cors) as users mount it, in front of a JSON answer. */
function corsPackage(options: cors.CorsOptions): Handler {
  const middleware = cors(options);
  return (req, res) => middleware(req, res, () => json(res));
}

const exact =
  (...allowed: string[]) =>
  (origin: string) =>
    allowed.includes(origin);
const trustedOnly = exact(TRUSTED, OTHER);

/** The second server's base URL, a different origin for redirects (set by `startZoo`). */
const peer = { base: '' };

/** Behind /redirect-cross-origin on the second server: trusts "null", as the tainted Origin needs. */
const NULL_FINAL = '/null-final';

/** Routes the redirects lead to, not audited themselves. */
const TARGETS: ReadonlyMap<string, Handler> = new Map([
  [
    NULL_FINAL,
    (req: IncomingMessage, res: ServerResponse) =>
      dynamic({ match: exact(TRUSTED, OTHER, 'null'), credentials: true })(req, res),
  ],
]);

export const ZOO: readonly ZooEntry[] = [
  // ---- vulnerable -------------------------------------------------------------------------
  {
    path: '/reflect',
    what: 'reflects any Origin, no credentials',
    expected: ['origin-reflected-any'],
    safe: false,
    severities: { 'origin-reflected-any': 'medium' },
    handler: dynamic({ match: () => true }),
  },
  {
    path: '/reflect-credentials',
    what: 'reflects any Origin with credentials; preflights allow PUT and DELETE',
    expected: ['origin-reflected-any', 'dangerous-methods-allowed'],
    safe: false,
    severities: { 'origin-reflected-any': 'high', 'dangerous-methods-allowed': 'medium' },
    handler: dynamic({ match: () => true, credentials: true, methods: 'GET, PUT, DELETE' }),
  },
  {
    path: '/null',
    what: 'allow-list with "null", credentials',
    expected: ['null-origin-trusted'],
    safe: false,
    severities: { 'null-origin-trusted': 'high' },
    handler: dynamic({ match: exact(TRUSTED, 'null'), credentials: true }),
  },
  {
    path: '/suffix-regex',
    what: '/example\\.com$/ (anchored at the end only)',
    expected: ['suffix-match-bypass'],
    safe: false,
    severities: { 'suffix-match-bypass': 'medium' },
    handler: dynamic({ match: (o) => /example\.com$/.test(o) }),
  },
  {
    path: '/prefix-regex',
    what: '/^https:\\/\\/app\\.example\\.com/ (anchored at the start only), credentials',
    expected: ['prefix-match-bypass'],
    safe: false,
    severities: { 'prefix-match-bypass': 'high' },
    handler: dynamic({ match: (o) => /^https:\/\/app\.example\.com/.test(o), credentials: true }),
  },
  {
    path: '/unescaped-dot',
    what: '/^https:\\/\\/app.example.com$/ (dots unescaped)',
    expected: ['unescaped-dot-regex'],
    safe: false,
    severities: { 'unescaped-dot-regex': 'medium' },
    handler: dynamic({ match: (o) => /^https:\/\/app.example.com$/.test(o) }),
  },
  {
    path: '/contains',
    what: 'origin.indexOf("example.com") !== -1',
    expected: ['substring-match-bypass'],
    safe: false,
    severities: { 'substring-match-bypass': 'medium' },
    handler: dynamic({ match: (o) => o.indexOf('example.com') !== -1 }),
  },
  {
    path: '/reverse-contains',
    what: 'allowed string .includes(origin), the check written the wrong way round',
    expected: ['substring-match-bypass'],
    safe: false,
    severities: { 'substring-match-bypass': 'medium' },
    handler: dynamic({ match: (o) => `${TRUSTED} ${OTHER}`.includes(o) }),
  },
  {
    path: '/special-char',
    what: 'host cut at the first character outside [a-z0-9.:-], credentials',
    expected: ['special-char-bypass'],
    safe: false,
    severities: { 'special-char-bypass': 'medium' },
    handler: dynamic({
      match: (o) => /^https:\/\/([a-z0-9.:-]+)/.exec(o)?.[1] === 'app.example.com',
      credentials: true,
    }),
  },
  {
    path: '/special-char-safari',
    what: 'host cut at the first character outside [a-z0-9._:-] (Safari-only bypass), credentials',
    expected: ['special-char-bypass'],
    safe: false,
    severities: { 'special-char-bypass': 'low' },
    handler: dynamic({
      match: (o) => /^https:\/\/([a-z0-9._:-]+)/.exec(o)?.[1] === 'app.example.com',
      credentials: true,
    }),
  },
  {
    path: '/any-subdomain-credentials',
    what: 'any subdomain of example.com, credentials',
    expected: ['any-subdomain-trusted'],
    safe: false,
    severities: { 'any-subdomain-trusted': 'medium' },
    handler: dynamic({
      match: (o) => /^https:\/\/([a-z0-9-]+\.)*example\.com$/.test(o),
      credentials: true,
    }),
  },
  {
    path: '/http-trusted',
    what: '/^https?:\\/\\/app\\.example\\.com$/ (http too)',
    expected: ['insecure-scheme-trusted'],
    safe: false,
    severities: { 'insecure-scheme-trusted': 'low' },
    handler: dynamic({ match: (o) => /^https?:\/\/app\.example\.com$/.test(o) }),
  },
  {
    path: '/any-port',
    what: '/^https:\\/\\/app\\.example\\.com(:\\d+)?$/ (any port)',
    expected: ['any-port-trusted'],
    safe: false,
    severities: { 'any-port-trusted': 'low' },
    handler: dynamic({ match: (o) => /^https:\/\/app\.example\.com(:\d+)?$/.test(o) }),
  },
  {
    path: '/localhost-left-in',
    what: 'allow-list with http://localhost:3000 left in',
    expected: ['dev-origin-trusted'],
    safe: false,
    severities: { 'dev-origin-trusted': 'low' },
    handler: dynamic({ match: exact(TRUSTED, 'http://localhost:3000') }),
  },
  {
    path: '/codepen',
    what: 'allow-list with https://codepen.io',
    expected: ['third-party-origin-trusted'],
    safe: false,
    severities: { 'third-party-origin-trusted': 'medium' },
    handler: dynamic({ match: exact(TRUSTED, 'https://codepen.io') }),
  },
  {
    path: '/static-foreign',
    what: 'static Access-Control-Allow-Origin: https://partner.example.org (passive)',
    expected: ['third-party-origin-trusted'],
    safe: false,
    severities: { 'third-party-origin-trusted': 'medium' },
    handler: fixed({ 'access-control-allow-origin': 'https://partner.example.org' }),
  },
  {
    path: '/wildcard-credentials',
    what: '* with Access-Control-Allow-Credentials: true',
    expected: ['wildcard-with-credentials'],
    safe: false,
    severities: { 'wildcard-with-credentials': 'info' },
    handler: fixed({
      'access-control-allow-origin': '*',
      'access-control-allow-credentials': 'true',
    }),
  },
  {
    path: '/no-vary',
    what: 'exact allow-list echoed without Vary: Origin, no Cache-Control (a cache heuristic may keep the answer without Origin and hand it to the trusted origin)',
    expected: ['missing-vary-origin'],
    safe: false,
    severities: { 'missing-vary-origin': 'low' },
    handler: dynamic({ match: trustedOnly, vary: false }),
  },
  {
    path: '/get-only-reflect',
    what: 'GET reflects any Origin; the preflight allows the trusted origin only',
    expected: ['origin-reflected-any'],
    safe: false,
    severities: { 'origin-reflected-any': 'medium' },
    handler: dynamic({ match: () => true, preflightMatch: trustedOnly, methods: 'PUT' }),
  },
  {
    path: '/preflight-only-reflect',
    what: 'GET allows the trusted origin only; the preflight reflects any Origin for PUT, DELETE',
    expected: ['origin-reflected-any', 'dangerous-methods-allowed'],
    safe: false,
    severities: { 'origin-reflected-any': 'medium', 'dangerous-methods-allowed': 'low' },
    handler: dynamic({ match: trustedOnly, preflightMatch: () => true, methods: 'PUT, DELETE' }),
  },
  {
    path: '/invalid-trailing-slash',
    what: 'Access-Control-Allow-Origin: https://app.example.com/ (trailing slash)',
    expected: ['invalid-acao'],
    safe: false,
    severities: { 'invalid-acao': 'medium' },
    handler: fixed({ 'access-control-allow-origin': `${TRUSTED}/` }),
  },
  {
    path: '/invalid-two-values',
    what: 'two Access-Control-Allow-Origin lines (proxy and app both add one)',
    expected: ['invalid-acao'],
    safe: false,
    severities: { 'invalid-acao': 'medium' },
    handler: fixed({ 'access-control-allow-origin': [TRUSTED, '*'] }),
  },
  {
    path: '/acac-capital',
    what: 'Access-Control-Allow-Credentials: True',
    expected: ['acac-invalid-value'],
    safe: false,
    severities: { 'acac-invalid-value': 'medium' },
    handler: dynamic({ match: trustedOnly, credentials: 'True' }),
  },
  {
    path: '/preflight-401',
    what: 'an auth layer answers OPTIONS with 401 before the CORS handling',
    expected: ['preflight-non-2xx'],
    safe: false,
    severities: { 'preflight-non-2xx': 'info' },
    handler: (req, res) => {
      if (req.method === 'OPTIONS') {
        res.statusCode = 401;
        res.setHeader('www-authenticate', 'Bearer');
        res.end();
        return;
      }
      dynamic({ match: trustedOnly })(req, res);
    },
  },
  {
    path: '/preflight-405',
    what: 'CORS headers on every answer, but the router answers OPTIONS with 405',
    expected: ['preflight-non-2xx'],
    safe: false,
    severities: { 'preflight-non-2xx': 'medium' },
    handler: (req, res) => {
      res.setHeader('vary', 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && trustedOnly(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-methods', 'GET, PUT');
        res.setHeader('access-control-allow-headers', 'content-type');
      }
      if (req.method === 'OPTIONS') {
        res.statusCode = 405;
        res.setHeader('allow', 'GET');
        res.end();
        return;
      }
      json(res);
    },
  },
  {
    path: '/preflight-redirect',
    what: 'OPTIONS redirected (301) to a trailing-slash URL',
    expected: ['preflight-redirects'],
    safe: false,
    severities: { 'preflight-redirects': 'info' },
    handler: (req, res) => {
      if (req.method === 'OPTIONS') {
        res.statusCode = 301;
        res.setHeader('location', '/preflight-redirect/');
        res.end();
        return;
      }
      dynamic({ match: trustedOnly })(req, res);
    },
  },
  {
    path: '/redirect-no-acao',
    what: 'every method redirected (307) to /allow-list, the redirect without CORS headers',
    expected: ['redirect-missing-acao', 'preflight-redirects'],
    safe: false,
    severities: { 'preflight-redirects': 'info', 'redirect-missing-acao': 'info' },
    handler: (_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', '/allow-list');
      res.end();
    },
  },
  {
    path: '/preflight-echo',
    what: 'preflights echo Access-Control-Request-Method and -Headers',
    expected: ['preflight-reflects-anything'],
    safe: false,
    severities: { 'preflight-reflects-anything': 'low' },
    handler: (req, res) => {
      res.setHeader('vary', 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && trustedOnly(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        if (req.method === 'OPTIONS') {
          const m = req.headers['access-control-request-method'];
          const h = req.headers['access-control-request-headers'];
          if (typeof m === 'string') res.setHeader('access-control-allow-methods', m);
          if (typeof h === 'string') res.setHeader('access-control-allow-headers', h);
        }
      }
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.end();
        return;
      }
      json(res);
    },
  },
  {
    path: '/acah-star',
    what: 'Access-Control-Allow-Headers: * (the only thing letting Authorization through)',
    expected: ['acah-wildcard-authorization', 'preflight-reflects-anything'],
    safe: false,
    severities: { 'preflight-reflects-anything': 'low', 'acah-wildcard-authorization': 'info' },
    handler: dynamic({ match: trustedOnly, methods: 'GET, PUT', headers: '*' }),
  },
  {
    path: '/max-age-day',
    what: 'Access-Control-Max-Age: 86400',
    expected: ['max-age-excessive'],
    safe: false,
    severities: { 'max-age-excessive': 'info' },
    handler: dynamic({ match: trustedOnly, methods: 'GET, PUT', maxAge: '86400' }),
  },
  {
    path: '/reflect-401-credentials',
    what: 'reflects any Origin with credentials on a 401 to requests without a session',
    expected: ['origin-reflected-any'],
    safe: false,
    // A signed-in victim's browser sends cookies and may get a 200 with data: the severity stands.
    severities: { 'origin-reflected-any': 'high' },
    handler: dynamic({ match: () => true, credentials: true, ...UNAUTHORIZED }),
  },
  {
    path: '/redirect-cross-origin',
    what: 'GET redirected (307) to the same API on another origin, which allows "null" (what the tainted Origin needs there), credentials',
    expected: ['tainted-origin-null'],
    safe: false,
    severities: { 'tainted-origin-null': 'high' },
    handler: (req, res) => {
      if (req.method === 'OPTIONS') {
        dynamic({ match: trustedOnly })(req, res);
        return;
      }
      res.setHeader('vary', 'Origin');
      const origin = req.headers.origin;
      if (origin !== undefined && trustedOnly(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-credentials', 'true');
      }
      res.statusCode = 307;
      res.setHeader('location', `${peer.base}${NULL_FINAL}`);
      res.end();
    },
  },
  {
    path: '/pna-reflect',
    what: 'reflects any Origin and answers private network preflights with Access-Control-Allow-Private-Network: true',
    expected: ['origin-reflected-any', 'private-network-target'],
    safe: false,
    severities: { 'origin-reflected-any': 'medium', 'private-network-target': 'medium' },
    handler: dynamic({ match: () => true, privateNetwork: true }),
  },
  {
    path: '/cors-origin-true-credentials',
    what: 'the cors package: cors({ origin: true, credentials: true }) (reflects any Origin; its default methods, request headers reflected)',
    expected: ['origin-reflected-any', 'dangerous-methods-allowed', 'preflight-reflects-anything'],
    safe: false,
    severities: {
      'origin-reflected-any': 'high',
      'dangerous-methods-allowed': 'medium',
      'preflight-reflects-anything': 'low',
    },
    handler: corsPackage({ origin: true, credentials: true }),
  },
  {
    path: '/cors-regexp-unanchored',
    what: 'the cors package: cors({ origin: /app.example.com/ }) (no anchors, dots unescaped)',
    expected: [
      'substring-match-bypass',
      'unescaped-dot-regex',
      'dangerous-methods-allowed',
      'preflight-reflects-anything',
    ],
    safe: false,
    severities: {
      'substring-match-bypass': 'medium',
      'unescaped-dot-regex': 'medium',
      'dangerous-methods-allowed': 'low',
      'preflight-reflects-anything': 'low',
    },
    handler: corsPackage({ origin: /app.example.com/ }),
  },
  {
    path: '/cache-credentials-no-vary',
    what: 'exact allow-list with credentials, Cache-Control: public, max-age=600, no Vary',
    expected: ['missing-vary-origin'],
    safe: false,
    severities: { 'missing-vary-origin': 'high' },
    handler: withHeaders(
      { 'cache-control': 'public, max-age=600' },
      dynamic({ match: trustedOnly, credentials: true, vary: false }),
    ),
  },
  // ---- safe -------------------------------------------------------------------------------
  {
    path: '/cors-allow-list',
    what: 'the cors package: an array of exact origins, credentials (request headers reflected, its default)',
    expected: ['preflight-reflects-anything'],
    safe: true,
    handler: corsPackage({ origin: [TRUSTED, OTHER], credentials: true }),
  },
  {
    path: '/allow-list-private',
    what: 'exact allow-list: Vary: Origin on allowed answers only, Cache-Control: private, no-store on every answer',
    expected: [],
    safe: true,
    handler: (req, res) => {
      res.setHeader('cache-control', 'private, no-store');
      const origin = req.headers.origin;
      // Vary only where CORS headers are sent: no shared cache may store any answer anyway.
      if (origin !== undefined && trustedOnly(origin)) res.setHeader('vary', 'Origin');
      dynamic({ match: trustedOnly, credentials: true, vary: false, methods: 'GET, PUT' })(
        req,
        res,
      );
    },
  },
  {
    path: '/allow-list-public-cache',
    what: 'exact allow-list, Cache-Control: public, max-age=600 and Vary: Origin on every answer',
    expected: [],
    safe: true,
    handler: withHeaders(
      { 'cache-control': 'public, max-age=600' },
      dynamic({ match: trustedOnly, methods: 'GET, PUT' }),
    ),
  },

  {
    path: '/pna-allow-list',
    what: 'exact allow-list; Access-Control-Allow-Private-Network: true to the allowed origins only',
    expected: [],
    safe: true,
    handler: dynamic({ match: trustedOnly, privateNetwork: true, credentials: true }),
  },

  {
    path: '/reflect-401',
    what: 'reflects any Origin, no credentials, on a 401 with a 24-byte JSON error; preflights allow the trusted origin only',
    expected: ['origin-reflected-any'],
    safe: true,
    // Every requester gets the same error without data: lowered from medium.
    severities: { 'origin-reflected-any': 'low' },
    handler: dynamic({ match: () => true, preflightMatch: trustedOnly, ...UNAUTHORIZED }),
  },

  {
    path: '/allow-list',
    what: 'hand-written exact allow-list, Vary: Origin, credentials',
    expected: [],
    safe: true,
    handler: dynamic({ match: trustedOnly, credentials: true, methods: 'GET, PUT' }),
  },
  {
    path: '/corsproof-exact',
    what: "corsproof's withCors, exact origins, credentials, PUT and DELETE",
    expected: [],
    safe: true,
    handler: withCors(
      {
        origins: [TRUSTED, OTHER],
        credentials: true,
        methods: ['PUT', 'DELETE'],
        requestHeaders: ['content-type'],
        maxAge: 600,
      },
      (_req, res) => json(res),
    ),
  },
  {
    path: '/corsproof-subdomains',
    what: "corsproof's withCors, https://*.example.com, no credentials",
    expected: ['any-subdomain-trusted'],
    safe: true,
    severities: { 'any-subdomain-trusted': 'low' },
    handler: withCors(
      { origins: ['https://*.example.com'], methods: ['PUT'], requestHeaders: ['content-type'] },
      (_req, res) => json(res),
    ),
  },
  {
    path: '/corsproof-public',
    what: "corsproof's withCors, origins: '*' (public data)",
    expected: ['wildcard-origin'],
    safe: true,
    handler: withCors({ origins: '*' }, (_req, res) => json(res)),
  },
  {
    path: '/wildcard',
    what: 'Access-Control-Allow-Origin: * on public data',
    expected: ['wildcard-origin'],
    safe: true,
    handler: fixed({ 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET' }),
  },
  {
    path: '/static-trusted',
    what: 'static Access-Control-Allow-Origin: https://app.example.com',
    expected: [],
    safe: true,
    handler: fixed({ 'access-control-allow-origin': TRUSTED }),
  },
  {
    path: '/no-cors',
    what: 'no CORS headers at all; OPTIONS 404',
    expected: [],
    safe: true,
    handler: (req, res) => {
      if (req.method === 'OPTIONS') {
        res.statusCode = 404;
        res.end();
        return;
      }
      json(res);
    },
  },
];

export interface Zoo {
  readonly base: string;
  close(): Promise<void>;
}

/** Starts the zoo on two free loopback ports (two origins, for cross-origin redirects). */
export async function startZoo(): Promise<Zoo> {
  const routes = new Map([...ZOO.map((e) => [e.path, e.handler] as const), ...TARGETS]);
  const serve = async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const handler = routes.get(path);
      if (handler === undefined) {
        res.statusCode = 404;
        res.end();
        return;
      }
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { server, base: `http://127.0.0.1:${port}` };
  };
  const main = await serve();
  const second = await serve();
  peer.base = second.base;
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    base: main.base,
    close: async () => {
      await Promise.all([close(main.server), close(second.server)]);
    },
  };
}
