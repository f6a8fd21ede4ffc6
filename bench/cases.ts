/**
 * Request tables of the decision benchmark that compare corsproof with the `cors` package: each
 * case holds one policy in both libraries' options and one request. The shared decision table of
 * the tests (packages/corsproof/test/cases/policy-cases.ts) has corsproof policies only, so it cannot drive the
 * comparison; the bench runs it as well, separately (see decision/shared-cases.ts).
 */

/** A request as Node's `IncomingMessage` shows it: method and lower-case headers. */
export interface BenchRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type CaseGroup = 'origins' | 'patterns' | 'adversarial' | 'other';

export interface DecisionCase {
  readonly id: string;
  readonly group: CaseGroup;
  readonly label: string;
  /** Allowed origins or origin patterns in the policy. */
  readonly size: number;
  readonly kind: 'preflight' | 'actual' | 'not-cors';
  /** What corsproof must decide; the bench refuses to time a case it gets wrong. */
  readonly expect: 'allowed' | 'refused' | 'not-cors';
  /** corsproof `CorsOptions`; the same object for cases sharing a policy (compiled once). */
  readonly corsproof: Readonly<Record<string, unknown>>;
  /** expressjs/cors options for the same policy. */
  readonly cors: Readonly<Record<string, unknown>>;
  readonly request: BenchRequest;
}

const METHODS = ['PUT', 'DELETE'];
const HEADERS = ['Content-Type', 'X-Requested-With'];
const CORS_METHODS = 'GET,HEAD,POST,PUT,DELETE';
const ACRM = 'access-control-request-method';
const ACRH = 'access-control-request-headers';
const REQUESTED_HEADERS = 'content-type,x-requested-with';
const REFUSED_ORIGIN = 'https://evil.example.net';

interface Policy {
  readonly size: number;
  readonly corsproof: Readonly<Record<string, unknown>>;
  readonly cors: Readonly<Record<string, unknown>>;
  /** An origin the policy allows: the middle of the list, i.e. an average position for `cors`. */
  readonly allowed: string;
}

function exactOrigins(size: number): Policy {
  const origins = Array.from({ length: size }, (_, i) => `https://app-${i}.example.com`);
  return {
    size,
    corsproof: {
      origins,
      credentials: true,
      methods: METHODS,
      requestHeaders: HEADERS,
      maxAge: 600,
    },
    // An array, not a string: with a string `cors` does not decide anything, it always sends it.
    cors: {
      origin: origins,
      credentials: true,
      methods: CORS_METHODS,
      allowedHeaders: HEADERS,
      maxAge: 600,
    },
    allowed: origins[size >> 1]!,
  };
}

function subdomainPatterns(size: number): Policy {
  const ids = Array.from({ length: size }, (_, i) => i);
  return {
    size,
    corsproof: {
      origins: ids.map((i) => `https://*.tenant-${i}.example.com`),
      credentials: true,
      methods: METHODS,
      requestHeaders: HEADERS,
      maxAge: 600,
    },
    // The anchored expressions a careful `cors` user writes for the same patterns.
    cors: {
      origin: ids.map((i) => new RegExp(`^https://[a-z0-9.-]+\\.tenant-${i}\\.example\\.com$`)),
      credentials: true,
      methods: CORS_METHODS,
      allowedHeaders: HEADERS,
      maxAge: 600,
    },
    allowed: `https://shop.tenant-${size >> 1}.example.com`,
  };
}

const get = (origin?: string): BenchRequest => ({
  method: 'GET',
  headers: origin === undefined ? {} : { origin },
});

const preflight = (origin: string, requestHeaders = REQUESTED_HEADERS): BenchRequest => ({
  method: 'OPTIONS',
  headers: { origin, [ACRM]: 'PUT', [ACRH]: requestHeaders },
});

function originCases(p: Policy, group: CaseGroup, noun: string): DecisionCase[] {
  const base = { group, size: p.size, corsproof: p.corsproof, cors: p.cors };
  const n = p.size.toLocaleString('en-US');
  return [
    {
      ...base,
      id: `${group}-${p.size}-actual-allowed`,
      label: `GET, allowed (${n} ${noun})`,
      kind: 'actual',
      expect: 'allowed',
      request: get(p.allowed),
    },
    {
      ...base,
      id: `${group}-${p.size}-actual-refused`,
      label: `GET, refused (${n} ${noun})`,
      kind: 'actual',
      expect: 'refused',
      request: get(REFUSED_ORIGIN),
    },
    {
      ...base,
      id: `${group}-${p.size}-preflight-allowed`,
      label: `preflight, allowed (${n} ${noun})`,
      kind: 'preflight',
      expect: 'allowed',
      request: preflight(p.allowed),
    },
    {
      ...base,
      id: `${group}-${p.size}-preflight-refused`,
      label: `preflight, refused (${n} ${noun})`,
      kind: 'preflight',
      expect: 'refused',
      request: preflight(REFUSED_ORIGIN),
    },
  ];
}

export const ORIGIN_COUNTS = [1, 100, 10_000] as const;

/** Builds the tables (10,000 origins take a moment: call once). */
export function decisionCases(): DecisionCase[] {
  const one = exactOrigins(1);
  const base = { size: 1, corsproof: one.corsproof, cors: one.cors };
  const manyNames = Array.from({ length: 30_000 }, (_, i) => `x-h${i}`)
    .join(',')
    .slice(0, 200_000);
  return [
    ...ORIGIN_COUNTS.flatMap((size) =>
      originCases(size === 1 ? one : exactOrigins(size), 'origins', 'origins'),
    ),
    ...[1, 100, 10_000].flatMap((size) =>
      originCases(subdomainPatterns(size), 'patterns', 'patterns').filter(
        (c) => c.kind === 'actual' || (size === 100 && c.expect === 'allowed'),
      ),
    ),
    {
      ...base,
      group: 'other',
      id: 'not-cors',
      label: 'GET without Origin (not CORS)',
      kind: 'not-cors',
      expect: 'not-cors',
      request: get(),
    },
    {
      ...base,
      group: 'other',
      id: 'preflight-header-refused',
      label: 'preflight, a header not allowed',
      kind: 'preflight',
      expect: 'refused',
      request: preflight(one.allowed, 'content-type,x-secret'),
    },
    {
      ...base,
      group: 'adversarial',
      id: 'acrh-200k',
      label: 'preflight, a 200 kB Access-Control-Request-Headers of distinct names',
      kind: 'preflight',
      expect: 'refused',
      request: preflight(one.allowed, manyNames),
    },
    {
      ...base,
      group: 'adversarial',
      id: 'acrh-repeated',
      label: 'preflight, "content-type" repeated 10,000 times (130 kB)',
      kind: 'preflight',
      expect: 'refused',
      request: preflight(one.allowed, Array(10_000).fill('content-type').join(',')),
    },
    {
      ...base,
      group: 'adversarial',
      id: 'acrh-128',
      label: 'preflight, "content-type" repeated 128 times (the most accepted)',
      kind: 'preflight',
      expect: 'allowed',
      request: preflight(one.allowed, Array(128).fill('content-type').join(', ')),
    },
    {
      ...base,
      group: 'adversarial',
      id: 'origin-200k',
      label: 'GET, a 200 kB Origin',
      kind: 'actual',
      expect: 'refused',
      request: get(`https://${'a'.repeat(200_000)}.example.com`),
    },
  ];
}
