/**
 * The decision table: (policy, request) -> the exact decision. `src/policy/decide.test.ts` runs it;
 * the benchmarks reuse the same policies and requests (skipping rows whose `expected` is a throw),
 * so what is measured is what is tested, adversarial inputs included.
 *
 * Headers are compared as a set of (name, value) pairs: every header the decision carries must be
 * listed, and nothing else.
 */
import type { RefusalCode } from '../../src/policy/decision.js';
import type {
  CorsLogger,
  CorsOptions,
  CorsRequest,
  OriginPredicate,
} from '../../src/policy/options.js';

/** Vary of every OPTIONS answer: whether it is a preflight depends on Origin and ACRM. */
export const PREFLIGHT_VARY =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
export const PREFLIGHT_VARY_PNA = `${PREFLIGHT_VARY}, Access-Control-Request-Private-Network`;

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACEH = 'access-control-expose-headers';
const ACMA = 'access-control-max-age';
const ACAPN = 'access-control-allow-private-network';

/** A debug logger that keeps quiet, so the table can be run (and benchmarked) without noise. */
export const silentLogger: CorsLogger = { warn: () => {} };

/** A predicate's tenant check, shared by the sync and async predicate policies. */
const isTenant = (origin: string): boolean =>
  origin.startsWith('https://') && origin.endsWith('.tenant.example');

/** Names of the policies below; a case refers to its policy by name. */
export type PolicyName = keyof typeof POLICIES;

export const POLICIES = {
  /** Exact origins, a few methods and headers, one exposed header, no credentials. */
  exact: {
    origins: ['https://app.example.com', 'http://localhost:3000'],
    methods: ['PUT', 'PATCH'],
    requestHeaders: ['Content-Type', 'X-Requested-With'],
    exposeHeaders: ['X-Request-Id'],
  },
  /** Credentials with an exact origin and a subdomain pattern, Max-Age 600. */
  credentialed: {
    origins: ['https://app.example.com', 'https://*.example.net'],
    credentials: true,
    methods: ['DELETE'],
    requestHeaders: ['Authorization'],
    exposeHeaders: ['X-Total'],
    maxAge: 600,
  },
  /** `*` everywhere: public data. */
  wildcard: {
    origins: '*',
    methods: '*',
    requestHeaders: '*',
    exposeHeaders: '*',
  },
  /** `*` origins and nothing else. */
  wildcardPlain: { origins: '*' },
  subdomain: { origins: ['https://*.foo.com'] },
  twoExact: { origins: ['https://foo.com', 'https://bar.com'] },
  localDev: { origins: ['http://localhost:*'] },
  /** Debug mode: refused preflights carry the partial headers that name the failure. */
  debug: {
    origins: ['https://app.example.com'],
    credentials: true,
    methods: ['PUT'],
    requestHeaders: ['X-A'],
    debug: silentLogger,
  },
  /** Debug mode with nothing beyond the safelisted methods and headers. */
  debugBare: { origins: ['https://app.example.com'], debug: silentLogger },
  privateNetwork: { origins: ['https://app.example.com'], privateNetwork: true },
  status200: {
    origins: ['https://app.example.com'],
    methods: ['PUT'],
    preflightStatus: 200,
    maxAge: 0,
  },
  predicateSync: { origins: isTenant, credentials: true },
  predicateAsync: {
    origins: (origin: string) => Promise.resolve(isTenant(origin)),
    credentials: true,
  },
  predicateThrows: {
    origins: () => {
      throw new Error('tenant database unavailable');
    },
  },
  /** A predicate written for another library, returning the header value: a TypeError. */
  predicateString: {
    origins: ((origin: string) => origin) as unknown as OriginPredicate,
  },
  predicateAsyncString: {
    origins: ((origin: string) => Promise.resolve(origin)) as unknown as OriginPredicate,
  },
} satisfies Record<string, CorsOptions>;

export interface ExpectedDecision {
  readonly kind:
    | 'not-cors'
    | 'preflight-accepted'
    | 'preflight-refused'
    | 'actual-allowed'
    | 'actual-refused';
  /** For preflights only. */
  readonly status?: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly vary: string | null;
  /** For refusals only. */
  readonly reason?: RefusalCode;
}

export interface PolicyCase {
  /** A sentence. */
  readonly name: string;
  readonly policy: PolicyName;
  readonly request: CorsRequest;
  /** Whether `decide` answers with a promise (async predicates). */
  readonly async?: boolean;
  /** The decision, or the error `decide` throws (or rejects with). */
  readonly expected: ExpectedDecision | { readonly throws: 'TypeError' | 'Error' };
}

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

const preflight = (
  origin: string | undefined,
  requestMethod: string,
  requestHeaders?: string,
): CorsRequest => ({ method: 'OPTIONS', origin, requestMethod, requestHeaders });

const get = (origin?: string): CorsRequest => ({ method: 'GET', origin });

const allowed = (origin: string, ...extra: (readonly [string, string])[]): ExpectedDecision => ({
  kind: 'actual-allowed',
  headers: [[ACAO, origin], ...extra],
  vary: 'Origin',
});

const refused = (reason: RefusalCode, vary: string | null = 'Origin'): ExpectedDecision => ({
  kind: 'actual-refused',
  headers: [],
  vary,
  reason,
});

const preflightRefused = (reason: RefusalCode, vary = PREFLIGHT_VARY): ExpectedDecision => ({
  kind: 'preflight-refused',
  status: 403,
  headers: [],
  vary,
  reason,
});

/** 200 kB of header names, far over any browser's ACRH. */
const HUGE_ACRH = 'x-requested-with,'.repeat(12_000);
/** The same name on many lines, combined by Node with ", ". */
const REPEATED_ACRH = Array.from({ length: 100 }, () => 'content-type').join(', ');

const exactCases: PolicyCase[] = [
  {
    name: 'a GET without Origin is not a CORS request but still varies on Origin',
    policy: 'exact',
    request: get(),
    expected: { kind: 'not-cors', headers: [], vary: 'Origin' },
  },
  {
    name: 'a GET from a listed origin is allowed and exposes the listed header',
    policy: 'exact',
    request: get(APP),
    expected: allowed(APP, [ACEH, 'x-request-id']),
  },
  {
    name: 'a GET from the listed http localhost origin is allowed',
    policy: 'exact',
    request: get('http://localhost:3000'),
    expected: allowed('http://localhost:3000', [ACEH, 'x-request-id']),
  },
  {
    name: 'a POST from a listed origin is allowed',
    policy: 'exact',
    request: { method: 'POST', origin: APP },
    expected: allowed(APP, [ACEH, 'x-request-id']),
  },
  {
    name: 'a GET from an unlisted origin gets no CORS headers but varies on Origin',
    policy: 'exact',
    request: get(EVIL),
    expected: refused('origin-not-allowed'),
  },
  {
    name: 'the listed origin on another port is not allowed',
    policy: 'exact',
    request: get('http://localhost:3001'),
    expected: refused('origin-not-allowed'),
  },
  {
    name: 'an upper-case Origin is not a browser serialization and is refused as invalid',
    policy: 'exact',
    request: get('https://APP.example.com'),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an upper-case scheme in Origin is refused as invalid',
    policy: 'exact',
    request: get('HTTPS://app.example.com'),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an Origin with a trailing slash is refused as invalid',
    policy: 'exact',
    request: get(`${APP}/`),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an Origin with the default port written out is refused as invalid',
    policy: 'exact',
    request: get(`${APP}:443`),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an Origin with two values is refused as invalid even when the first is listed',
    policy: 'exact',
    request: get(`${APP}, ${EVIL}`),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an Origin with two values without a space is refused as invalid',
    policy: 'exact',
    request: get(`${APP},${APP}`),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an empty Origin is refused as invalid',
    policy: 'exact',
    request: get(''),
    expected: refused('origin-invalid'),
  },
  {
    name: 'Origin null is refused',
    policy: 'exact',
    request: get('null'),
    expected: refused('origin-null'),
  },
  {
    name: 'an Origin with surrounding spaces is refused as invalid',
    policy: 'exact',
    request: get(` ${APP} `),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an OPTIONS without Access-Control-Request-Method is an ordinary CORS request for the app',
    policy: 'exact',
    request: { method: 'OPTIONS', origin: APP },
    expected: {
      kind: 'actual-allowed',
      headers: [
        [ACAO, APP],
        [ACEH, 'x-request-id'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'an OPTIONS without Access-Control-Request-Method from an unlisted origin reaches the app without CORS headers',
    policy: 'exact',
    request: { method: 'OPTIONS', origin: EVIL },
    expected: refused('origin-not-allowed', PREFLIGHT_VARY),
  },
  {
    name: 'an OPTIONS with Access-Control-Request-Method but no Origin is not a preflight',
    policy: 'exact',
    request: preflight(undefined, 'PUT'),
    expected: { kind: 'not-cors', headers: [], vary: PREFLIGHT_VARY },
  },
  {
    name: 'an OPTIONS with neither Origin nor Access-Control-Request-Method is not CORS and varies like a preflight',
    policy: 'exact',
    request: { method: 'OPTIONS' },
    expected: { kind: 'not-cors', headers: [], vary: PREFLIGHT_VARY },
  },
  {
    name: 'a preflight for a listed method and header is accepted with only what was asked',
    policy: 'exact',
    request: preflight(APP, 'PUT', 'content-type'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
        [ACAH, 'content-type'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a preflight for PATCH is accepted',
    policy: 'exact',
    request: preflight(APP, 'PATCH'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PATCH'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a preflight for lower-case patch is refused because methods are case-sensitive',
    policy: 'exact',
    request: preflight(APP, 'patch'),
    expected: preflightRefused('method-not-allowed'),
  },
  {
    name: 'a preflight for an unlisted method is refused with a bare 403',
    policy: 'exact',
    request: preflight(APP, 'DELETE'),
    expected: preflightRefused('method-not-allowed'),
  },
  {
    name: 'a preflight for a safelisted method is accepted without listing it',
    policy: 'exact',
    request: preflight(APP, 'GET', 'x-requested-with'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'GET'],
        [ACAH, 'x-requested-with'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a preflight for a lower-case post is not safelisted and is refused',
    policy: 'exact',
    request: preflight(APP, 'post'),
    expected: preflightRefused('method-not-allowed'),
  },
  {
    name: 'a preflight keeps the requested order of header names',
    policy: 'exact',
    request: preflight(APP, 'PUT', 'x-requested-with,content-type'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
        [ACAH, 'x-requested-with,content-type'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'mixed case, tabs, spaces and empty elements in Access-Control-Request-Headers are normalized',
    policy: 'exact',
    request: preflight(APP, 'PUT', ' Content-Type ,\tX-REQUESTED-with , ,,'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
        [ACAH, 'content-type,x-requested-with'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a name repeated on many Access-Control-Request-Headers lines is echoed once',
    policy: 'exact',
    request: preflight(APP, 'PUT', REPEATED_ACRH),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
        [ACAH, 'content-type'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'an empty Access-Control-Request-Headers asks for nothing',
    policy: 'exact',
    request: preflight(APP, 'PUT', ''),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'an Access-Control-Request-Headers of only commas asks for nothing',
    policy: 'exact',
    request: preflight(APP, 'PUT', ', , ,'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'an unlisted request header makes the preflight fail',
    policy: 'exact',
    request: preflight(APP, 'PUT', 'content-type,x-evil'),
    expected: preflightRefused('headers-not-allowed'),
  },
  {
    name: 'a 200 kB Access-Control-Request-Headers is refused before it is scanned',
    policy: 'exact',
    request: preflight(APP, 'PUT', HUGE_ACRH),
    expected: preflightRefused('headers-too-large'),
  },
  {
    name: 'a 200 kB Access-Control-Request-Headers of commas alone is refused',
    policy: 'exact',
    request: preflight(APP, 'PUT', ','.repeat(200_000)),
    expected: preflightRefused('headers-too-large'),
  },
  {
    name: 'more header names than any browser sends are refused',
    policy: 'exact',
    request: preflight(APP, 'PUT', Array.from({ length: 200 }, (_, i) => `x-h${i}`).join(',')),
    expected: preflightRefused('headers-too-large'),
  },
  {
    name: 'a header name with a space inside is refused as invalid',
    policy: 'exact',
    request: preflight(APP, 'PUT', 'content type'),
    expected: preflightRefused('headers-invalid'),
  },
  {
    name: 'a header name with a colon is refused as invalid',
    policy: 'exact',
    request: preflight(APP, 'PUT', 'x-a:1'),
    expected: preflightRefused('headers-invalid'),
  },
  {
    name: 'a preflight asking for CONNECT is refused as an invalid method',
    policy: 'exact',
    request: preflight(APP, 'CONNECT'),
    expected: preflightRefused('method-invalid'),
  },
  {
    name: 'a preflight asking for lower-case trace is refused as an invalid method',
    policy: 'exact',
    request: preflight(APP, 'trace'),
    expected: preflightRefused('method-invalid'),
  },
  {
    name: 'an empty Access-Control-Request-Method is a refused preflight, not an ordinary OPTIONS',
    policy: 'exact',
    request: preflight(APP, ''),
    expected: preflightRefused('method-invalid'),
  },
  {
    name: 'a method with a space in it is refused as invalid',
    policy: 'exact',
    request: preflight(APP, 'PUT X'),
    expected: preflightRefused('method-invalid'),
  },
  {
    name: 'a preflight from an unlisted origin is refused with a bare 403',
    policy: 'exact',
    request: preflight(EVIL, 'PUT'),
    expected: preflightRefused('origin-not-allowed'),
  },
  {
    name: 'a preflight from Origin null is refused',
    policy: 'exact',
    request: preflight('null', 'PUT'),
    expected: preflightRefused('origin-null'),
  },
  {
    name: 'a preflight from an upper-case origin is refused as invalid',
    policy: 'exact',
    request: preflight('https://App.Example.com', 'PUT'),
    expected: preflightRefused('origin-invalid'),
  },
  {
    name: 'a Private Network Access request header is ignored by a policy without privateNetwork',
    policy: 'exact',
    request: { ...preflight(APP, 'PUT'), requestPrivateNetwork: 'true' },
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
];

const credentialedCases: PolicyCase[] = [
  {
    name: 'a credentialed policy allows a listed origin with Allow-Credentials',
    policy: 'credentialed',
    request: get(APP),
    expected: allowed(APP, [ACAC, 'true'], [ACEH, 'x-total']),
  },
  {
    name: 'a subdomain of the pattern is allowed',
    policy: 'credentialed',
    request: get('https://a.example.net'),
    expected: allowed('https://a.example.net', [ACAC, 'true'], [ACEH, 'x-total']),
  },
  {
    name: 'a deeper subdomain of the pattern is allowed',
    policy: 'credentialed',
    request: get('https://a.b.example.net'),
    expected: allowed('https://a.b.example.net', [ACAC, 'true'], [ACEH, 'x-total']),
  },
  {
    name: 'the apex of a subdomain pattern is not allowed',
    policy: 'credentialed',
    request: get('https://example.net'),
    expected: refused('origin-not-allowed'),
  },
  {
    name: 'a subdomain over http is not allowed by an https pattern',
    policy: 'credentialed',
    request: get('http://a.example.net'),
    expected: refused('origin-not-allowed'),
  },
  {
    name: 'a subdomain on another port is not allowed by a pattern without a port',
    policy: 'credentialed',
    request: get('https://a.example.net:8443'),
    expected: refused('origin-not-allowed'),
  },
  {
    name: 'a credentialed preflight is accepted with Allow-Credentials and Max-Age',
    policy: 'credentialed',
    request: preflight('https://api.example.net', 'DELETE', 'authorization'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, 'https://api.example.net'],
        [ACAC, 'true'],
        [ACAM, 'DELETE'],
        [ACAH, 'authorization'],
        [ACMA, '600'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a refused credentialed preflight carries no headers at all',
    policy: 'credentialed',
    request: preflight(APP, 'PUT'),
    expected: preflightRefused('method-not-allowed'),
  },
];

const wildcardCases: PolicyCase[] = [
  {
    name: 'a star policy answers a request without Origin with the static headers and no Vary',
    policy: 'wildcard',
    request: get(),
    expected: {
      kind: 'not-cors',
      headers: [
        [ACAO, '*'],
        [ACEH, '*'],
      ],
      vary: null,
    },
  },
  {
    name: 'a star policy answers a request with Origin identically',
    policy: 'wildcard',
    request: get(APP),
    expected: {
      kind: 'actual-allowed',
      headers: [
        [ACAO, '*'],
        [ACEH, '*'],
      ],
      vary: null,
    },
  },
  {
    name: 'a star policy answers a malformed Origin with star too',
    policy: 'wildcard',
    request: get('not an origin'),
    expected: {
      kind: 'actual-allowed',
      headers: [
        [ACAO, '*'],
        [ACEH, '*'],
      ],
      vary: null,
    },
  },
  {
    name: 'a star policy allows Origin null',
    policy: 'wildcard',
    request: get('null'),
    expected: {
      kind: 'actual-allowed',
      headers: [
        [ACAO, '*'],
        [ACEH, '*'],
      ],
      vary: null,
    },
  },
  {
    name: 'a star policy echoes the requested method and headers on a preflight',
    policy: 'wildcard',
    request: preflight(APP, 'PATCH', 'x-anything,X-Other'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, '*'],
        [ACAM, 'PATCH'],
        [ACAH, 'x-anything,x-other'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a star policy echoes a lower-case patch as it was asked',
    policy: 'wildcard',
    request: preflight(APP, 'patch'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, '*'],
        [ACAM, 'patch'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a star request-header policy names Authorization explicitly, since a star never covers it',
    policy: 'wildcard',
    request: preflight(APP, 'PUT', 'authorization'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, '*'],
        [ACAM, 'PUT'],
        [ACAH, 'authorization'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a star method policy still refuses CONNECT',
    policy: 'wildcard',
    request: preflight(APP, 'CONNECT'),
    expected: preflightRefused('method-invalid'),
  },
  {
    name: 'a star policy still refuses a 200 kB Access-Control-Request-Headers',
    policy: 'wildcard',
    request: preflight(APP, 'PUT', HUGE_ACRH),
    expected: preflightRefused('headers-too-large'),
  },
  {
    name: 'a star policy passes an OPTIONS without Access-Control-Request-Method to the app with star',
    policy: 'wildcard',
    request: { method: 'OPTIONS', origin: APP },
    expected: {
      kind: 'actual-allowed',
      headers: [
        [ACAO, '*'],
        [ACEH, '*'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a star policy answers an OPTIONS without Origin with star, varying like a preflight',
    policy: 'wildcard',
    request: preflight(undefined, 'PUT'),
    expected: {
      kind: 'not-cors',
      headers: [
        [ACAO, '*'],
        [ACEH, '*'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a plain star policy sends only Allow-Origin',
    policy: 'wildcardPlain',
    request: get(APP),
    expected: { kind: 'actual-allowed', headers: [[ACAO, '*']], vary: null },
  },
  {
    name: 'a plain star policy sends Allow-Origin even without Origin',
    policy: 'wildcardPlain',
    request: get(),
    expected: { kind: 'not-cors', headers: [[ACAO, '*']], vary: null },
  },
  {
    name: 'a plain star policy refuses a preflight for a method it does not list',
    policy: 'wildcardPlain',
    request: preflight(APP, 'PUT'),
    expected: preflightRefused('method-not-allowed'),
  },
];

/** Origins `https://*.foo.com` must never allow, and why. */
const NOT_UNDER_FOO: readonly (readonly [what: string, origin: string, reason: RefusalCode])[] = [
  ['the apex', 'https://foo.com', 'origin-not-allowed'],
  ['a name that merely ends with the suffix', 'https://barfoo.com', 'origin-not-allowed'],
  ['a name that starts with the suffix', 'https://foo.com.evil.com', 'origin-not-allowed'],
  // The URL parser keeps empty labels, so these are well-formed origins, just not subdomains.
  ['an empty first label', 'https://.foo.com', 'origin-not-allowed'],
  ['an empty middle label', 'https://a..foo.com', 'origin-not-allowed'],
  ['the suffix with a trailing dot', 'https://a.foo.com.', 'origin-not-allowed'],
  ['an http subdomain', 'http://a.foo.com', 'origin-not-allowed'],
  ['a subdomain on another port', 'https://a.foo.com:8443', 'origin-not-allowed'],
  ['a subdomain glued to a hyphen', 'https://a-foo.com', 'origin-not-allowed'],
  ['the suffix as a path', 'https://evil.com/.foo.com', 'origin-invalid'],
  ['the suffix as userinfo', 'https://a.foo.com@evil.com', 'origin-invalid'],
  ['an upper-case subdomain', 'https://A.foo.com', 'origin-invalid'],
];

const subdomainCases: PolicyCase[] = [
  {
    name: 'a subdomain pattern allows a direct subdomain',
    policy: 'subdomain',
    request: get('https://a.foo.com'),
    expected: allowed('https://a.foo.com'),
  },
  {
    name: 'a subdomain pattern allows a nested subdomain',
    policy: 'subdomain',
    request: get('https://x.y.z.foo.com'),
    expected: allowed('https://x.y.z.foo.com'),
  },
  {
    name: 'a subdomain pattern allows a punycode subdomain',
    policy: 'subdomain',
    request: get('https://xn--bcher-kva.foo.com'),
    expected: allowed('https://xn--bcher-kva.foo.com'),
  },
  {
    name: 'a subdomain pattern answers an allowed preflight',
    policy: 'subdomain',
    request: preflight('https://a.foo.com', 'POST', ''),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        ['access-control-allow-origin', 'https://a.foo.com'],
        [ACAM, 'POST'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  ...NOT_UNDER_FOO.flatMap(([what, origin, reason]): PolicyCase[] => [
    {
      name: `https://*.foo.com never allows ${what} (${origin})`,
      policy: 'subdomain',
      request: get(origin),
      expected: refused(reason),
    },
    {
      name: `https://*.foo.com refuses a preflight from ${what} (${origin})`,
      policy: 'subdomain',
      request: preflight(origin, 'POST'),
      expected: preflightRefused(reason),
    },
  ]),
];

const twoExactCases: PolicyCase[] = [
  {
    name: 'the first of two exact origins is allowed',
    policy: 'twoExact',
    request: get('https://foo.com'),
    expected: allowed('https://foo.com'),
  },
  {
    name: 'the second of two exact origins is allowed',
    policy: 'twoExact',
    request: get('https://bar.com'),
    expected: allowed('https://bar.com'),
  },
  ...[
    'https://barfoo.com',
    'https://foobar.com',
    'https://bar.foo.com',
    'https://foo.com.bar.com',
  ].map(
    (origin): PolicyCase => ({
      name: `https://foo.com plus https://bar.com never lets ${origin} through`,
      policy: 'twoExact',
      request: get(origin),
      expected: refused('origin-not-allowed'),
    }),
  ),
];

const localDevCases: PolicyCase[] = [
  ...[
    'http://localhost:3000',
    'http://localhost',
    'http://localhost:65535',
    'http://localhost:1',
  ].map(
    (origin): PolicyCase => ({
      name: `http://localhost:* allows ${origin}`,
      policy: 'localDev',
      request: get(origin),
      expected: allowed(origin),
    }),
  ),
  ...[
    'https://localhost:3000',
    'http://a.localhost:3000',
    'http://localhost.evil.com',
    'http://127.0.0.1:3000',
    'http://evil-localhost:3000',
  ].map(
    (origin): PolicyCase => ({
      name: `http://localhost:* refuses ${origin}`,
      policy: 'localDev',
      request: get(origin),
      expected: refused('origin-not-allowed'),
    }),
  ),
  {
    name: 'http://localhost:* refuses a port with a leading zero as invalid',
    policy: 'localDev',
    request: get('http://localhost:03000'),
    expected: refused('origin-invalid'),
  },
];

const debugCases: PolicyCase[] = [
  {
    name: 'in debug mode a refused method gets the preflight status and the allowed methods, so the console names the method',
    policy: 'debug',
    request: preflight(APP, 'DELETE'),
    expected: {
      kind: 'preflight-refused',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAC, 'true'],
        [ACAM, 'PUT'],
      ],
      vary: PREFLIGHT_VARY,
      reason: 'method-not-allowed',
    },
  },
  {
    name: 'in debug mode a refused header gets the requested method and the allowed headers',
    policy: 'debug',
    request: preflight(APP, 'PUT', 'x-a,x-b'),
    expected: {
      kind: 'preflight-refused',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAC, 'true'],
        [ACAM, 'PUT'],
        [ACAH, 'x-a'],
      ],
      vary: PREFLIGHT_VARY,
      reason: 'headers-not-allowed',
    },
  },
  {
    name: 'in debug mode an oversized header list gets only the origin checks',
    policy: 'debug',
    request: preflight(APP, 'PUT', HUGE_ACRH),
    expected: {
      kind: 'preflight-refused',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAC, 'true'],
      ],
      vary: PREFLIGHT_VARY,
      reason: 'headers-too-large',
    },
  },
  {
    name: 'in debug mode a refused origin still gets a bare 403',
    policy: 'debug',
    request: preflight(EVIL, 'PUT'),
    expected: preflightRefused('origin-not-allowed'),
  },
  {
    name: 'in debug mode an accepted preflight is unchanged',
    policy: 'debug',
    request: preflight(APP, 'PUT', 'X-A'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAC, 'true'],
        [ACAM, 'PUT'],
        [ACAH, 'x-a'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'in debug mode with no methods listed the refusal carries an empty Allow-Methods',
    policy: 'debugBare',
    request: preflight(APP, 'PUT'),
    expected: {
      kind: 'preflight-refused',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, ''],
      ],
      vary: PREFLIGHT_VARY,
      reason: 'method-not-allowed',
    },
  },
  {
    name: 'in debug mode with no headers listed the refusal carries an empty Allow-Headers',
    policy: 'debugBare',
    request: preflight(APP, 'POST', 'x-custom'),
    expected: {
      kind: 'preflight-refused',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'POST'],
        [ACAH, ''],
      ],
      vary: PREFLIGHT_VARY,
      reason: 'headers-not-allowed',
    },
  },
];

const privateNetworkCases: PolicyCase[] = [
  {
    name: 'a Private Network Access preflight is answered with Allow-Private-Network',
    policy: 'privateNetwork',
    request: { ...preflight(APP, 'GET'), requestPrivateNetwork: 'true' },
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'GET'],
        [ACAPN, 'true'],
      ],
      vary: PREFLIGHT_VARY_PNA,
    },
  },
  {
    name: 'a preflight without the Private Network Access header gets no Allow-Private-Network',
    policy: 'privateNetwork',
    request: preflight(APP, 'GET'),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'GET'],
      ],
      vary: PREFLIGHT_VARY_PNA,
    },
  },
  {
    name: 'a Private Network Access header other than exactly true is ignored',
    policy: 'privateNetwork',
    request: { ...preflight(APP, 'GET'), requestPrivateNetwork: 'TRUE' },
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, APP],
        [ACAM, 'GET'],
      ],
      vary: PREFLIGHT_VARY_PNA,
    },
  },
  {
    name: 'a refused Private Network Access preflight gets nothing',
    policy: 'privateNetwork',
    request: { ...preflight(EVIL, 'GET'), requestPrivateNetwork: 'true' },
    expected: preflightRefused('origin-not-allowed', PREFLIGHT_VARY_PNA),
  },
  {
    name: 'an OPTIONS without Origin varies on the Private Network Access header too',
    policy: 'privateNetwork',
    request: { method: 'OPTIONS' },
    expected: { kind: 'not-cors', headers: [], vary: PREFLIGHT_VARY_PNA },
  },
  {
    name: 'an actual request under a Private Network Access policy varies only on Origin',
    policy: 'privateNetwork',
    request: get(APP),
    expected: allowed(APP),
  },
];

const status200Cases: PolicyCase[] = [
  {
    name: 'preflightStatus 200 and maxAge 0 are sent as configured',
    policy: 'status200',
    request: preflight(APP, 'PUT'),
    expected: {
      kind: 'preflight-accepted',
      status: 200,
      headers: [
        [ACAO, APP],
        [ACAM, 'PUT'],
        [ACMA, '0'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'a refused preflight is a 403 whatever preflightStatus says',
    policy: 'status200',
    request: preflight(APP, 'DELETE'),
    expected: preflightRefused('method-not-allowed'),
  },
];

const TENANT = 'https://acme.tenant.example';

const predicateCases: PolicyCase[] = [
  {
    name: 'a sync predicate allows what it returns true for',
    policy: 'predicateSync',
    request: get(TENANT),
    expected: allowed(TENANT, [ACAC, 'true']),
  },
  {
    name: 'a sync predicate refuses what it returns false for',
    policy: 'predicateSync',
    request: get(EVIL),
    expected: refused('origin-not-allowed'),
  },
  {
    name: 'a sync predicate never sees Origin null',
    policy: 'predicateSync',
    request: get('null'),
    expected: refused('origin-null'),
  },
  {
    name: 'a sync predicate never sees a malformed Origin',
    policy: 'predicateSync',
    request: get('https://ACME.tenant.example'),
    expected: refused('origin-invalid'),
  },
  {
    name: 'a sync predicate answers preflights too',
    policy: 'predicateSync',
    request: preflight(TENANT, 'POST', ''),
    expected: {
      kind: 'preflight-accepted',
      status: 204,
      headers: [
        [ACAO, TENANT],
        [ACAC, 'true'],
        [ACAM, 'POST'],
      ],
      vary: PREFLIGHT_VARY,
    },
  },
  {
    name: 'an async predicate allows with a promise of the decision',
    policy: 'predicateAsync',
    request: get(TENANT),
    async: true,
    expected: allowed(TENANT, [ACAC, 'true']),
  },
  {
    name: 'an async predicate refuses with a promise of the decision',
    policy: 'predicateAsync',
    request: preflight(EVIL, 'PUT'),
    async: true,
    expected: preflightRefused('origin-not-allowed'),
  },
  {
    name: 'an async predicate is not consulted for a malformed Origin, so the answer is immediate',
    policy: 'predicateAsync',
    request: get('https://acme.tenant.example/'),
    expected: refused('origin-invalid'),
  },
  {
    name: 'an async predicate is not consulted without Origin',
    policy: 'predicateAsync',
    request: get(),
    expected: { kind: 'not-cors', headers: [], vary: 'Origin' },
  },
  {
    name: 'a throwing predicate makes decide throw its error',
    policy: 'predicateThrows',
    request: get(TENANT),
    expected: { throws: 'Error' },
  },
  {
    name: 'a throwing predicate is not consulted without Origin',
    policy: 'predicateThrows',
    request: get(),
    expected: { kind: 'not-cors', headers: [], vary: 'Origin' },
  },
  {
    name: 'a predicate returning a header value instead of a boolean is a TypeError',
    policy: 'predicateString',
    request: get(TENANT),
    expected: { throws: 'TypeError' },
  },
  {
    name: 'an async predicate resolving to a header value rejects with a TypeError',
    policy: 'predicateAsyncString',
    request: get(TENANT),
    async: true,
    expected: { throws: 'TypeError' },
  },
];

export const POLICY_CASES: readonly PolicyCase[] = [
  ...exactCases,
  ...credentialedCases,
  ...wildcardCases,
  ...subdomainCases,
  ...twoExactCases,
  ...localDevCases,
  ...debugCases,
  ...privateNetworkCases,
  ...status200Cases,
  ...predicateCases,
];
