/**
 * Random policies × random requests, judged by an oracle written from the Fetch standard
 * (`fetch-oracle.ts`, which shares no code with corsproof): what a browser makes of each answer,
 * and whether the answer's Vary lets a cache serve it to the right requests only.
 *
 * Invariants, on every case:
 * - no origin the policy does not allow gets through a browser's CORS check (soundness), and every
 *   browser request the policy allows does (completeness, for requests a browser can send);
 * - never `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials`;
 * - `Vary` right: two requests that differ in one header and get different answers both name it;
 * - nothing thrown, whatever the request's strings.
 *
 * Cases: CORSPROOF_CASES (default 5 000; `npm run test:long` runs 1 000 000), seed CORSPROOF_SEED.
 */
import { type CorsOptions, type CorsRequest, compilePolicy, type Decision } from 'corsproof';
import { describe, it } from 'vitest';
import {
  type Credentials,
  corsCheck,
  getHeader,
  type Headers,
  preflightPasses,
  varyNames,
} from './fetch-oracle.js';
import { budgetMs, caseCount, type Random, random, report, seed } from './knobs.js';

// --- Policies: a small alphabet, so that entries and near-misses collide often. ----------------

const EXACT = [
  'https://app.example',
  'https://a.test',
  'http://localhost:3000',
  'https://a.test:8443',
  'http://app.example',
];
const PATTERNS = ['https://*.a.test', 'https://*.app.example'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'PROPFIND'];
const HEADER_NAMES = ['x-a', 'x-b', 'content-type', 'authorization', 'x-long-header-name'];

interface Model {
  readonly origins: '*' | readonly string[];
  readonly credentials: boolean;
  readonly methods: '*' | readonly string[];
  readonly requestHeaders: '*' | readonly string[];
  readonly options: CorsOptions;
}

function randomModel(r: Random): Model {
  const origins: Model['origins'] = r.bool(0.2)
    ? '*'
    : [...new Set([r.pick([...EXACT, ...PATTERNS]), ...r.subset([...EXACT, ...PATTERNS], 0.2)])];
  // Now and then the combination the standard forbids, to see it refused.
  const credentials = origins === '*' ? r.bool(0.1) : r.bool(0.5);
  const methods: Model['methods'] = r.bool(0.15) ? '*' : r.subset(METHODS, 0.4);
  const requestHeaders: Model['requestHeaders'] = r.bool(0.15) ? '*' : r.subset(HEADER_NAMES, 0.4);
  const options: CorsOptions = {
    origins: origins === '*' ? '*' : [...origins],
    credentials,
    methods: methods === '*' ? '*' : [...methods],
    requestHeaders: requestHeaders === '*' ? '*' : [...requestHeaders],
    ...(r.bool(0.3) ? { exposeHeaders: r.subset(['x-total', 'etag'], 0.5) } : {}),
    ...(r.bool(0.3) ? { maxAge: r.int(7200) } : {}),
    dangerouslyAllowInsecureOrigins: true,
  };
  return { origins, credentials, methods, requestHeaders, options };
}

/** The policy's meaning, from the README's words: exact origins, and `*.` for one or more labels. */
function allows(model: Model, origin: string): boolean {
  if (model.origins === '*') return true;
  return model.origins.some((entry) => {
    if (!entry.includes('*')) return entry === origin;
    const [scheme, suffix] = entry.split('://*.') as [string, string];
    const prefix = `${scheme}://`;
    if (!origin.startsWith(prefix) || !origin.endsWith(`.${suffix}`)) return false;
    const labels = origin.slice(prefix.length, origin.length - suffix.length - 1);
    return labels.split('.').every((l) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(l));
  });
}

// --- Requests: what browsers send, near-misses, and now and then anything at all. -------------

const ORIGINS = [
  ...EXACT,
  'https://b.a.test',
  'https://x.y.a.test',
  'https://www.app.example',
  'https://a.test.evil',
  'https://ba.test',
  'https://evil.example',
  'http://a.test',
  'https://a.test:9999',
  'null',
];
/** Strings a browser never sends as Origin. */
const MALFORMED = [
  'HTTPS://APP.EXAMPLE',
  'https://app.example/',
  'https://app.example:443',
  '',
  ' ',
];

interface BrowserRequest {
  readonly request: CorsRequest;
  /** Set when a browser could send it: its origin, credentials mode and preflight facts. */
  readonly browser: {
    readonly origin: string;
    readonly credentials: Credentials;
    readonly preflight: boolean;
    readonly method: string;
    readonly unsafeHeaderNames: readonly string[];
  } | null;
}

function randomString(r: Random): string {
  const alphabet = ['a', ',', ' ', '\t', '*', ':', '/', '.', '\u00e9', '\u2028', '\u0000', 'X'];
  let s = '';
  const n = r.int(24);
  for (let i = 0; i < n; i++) s += r.pick(alphabet);
  return s;
}

/** Half the time an origin the policy names (or one of its patterns covers), else any. */
function randomOrigin(r: Random, model: Model): string {
  if (model.origins === '*' || r.bool(0.5)) return r.pick(ORIGINS);
  const entry = r.pick(model.origins);
  return entry.replace('://*.', `://${r.pick(['w', 'a.b', 'x-1'])}.`);
}

function randomRequest(r: Random, model: Model): BrowserRequest {
  const roll = r.next();
  if (roll < 0.05) {
    // Anything at all, in every field.
    return {
      request: {
        method: r.bool() ? randomString(r) : 'OPTIONS',
        origin: r.bool(0.8) ? randomString(r) : undefined,
        requestMethod: r.bool() ? randomString(r) : undefined,
        requestHeaders: r.bool() ? randomString(r) : undefined,
      },
      browser: null,
    };
  }
  if (roll < 0.12) {
    const method = r.pick(['GET', 'OPTIONS', 'PUT']);
    return {
      request: {
        method,
        origin: r.pick([...MALFORMED, undefined]),
        ...(method === 'OPTIONS' ? { requestMethod: r.pick(METHODS) } : {}),
      },
      browser: null,
    };
  }
  const origin = randomOrigin(r, model);
  const credentials: Credentials = r.pick(['omit', 'same-origin', 'include']);
  const method = r.pick(['GET', 'HEAD', 'POST', ...METHODS]);
  const names = [...new Set(r.subset(HEADER_NAMES, 0.25))].sort();
  // fetch.bs "CORS-preflight fetch": a preflight when the method or a header is not safelisted.
  const preflight = !['GET', 'HEAD', 'POST'].includes(method) || names.length > 0;
  if (!preflight) {
    return {
      request: { method, origin },
      browser: { origin, credentials, preflight, method, unsafeHeaderNames: [] },
    };
  }
  return {
    request: {
      method: 'OPTIONS',
      origin,
      requestMethod: method,
      ...(names.length > 0 ? { requestHeaders: names.join(',') } : {}),
    },
    browser: { origin, credentials, preflight, method, unsafeHeaderNames: names },
  };
}

// --- The run. ---------------------------------------------------------------------------------

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly vary: string | null;
}

function answerOf(d: Decision): Answer {
  return { status: 'status' in d ? d.status : 0, headers: d.headers, vary: d.vary };
}

function decide(policy: ReturnType<typeof compilePolicy>, request: CorsRequest): Decision {
  const d = policy.decide(request);
  if (d instanceof Promise) throw new Error('a policy without a predicate answered later');
  return d;
}

function same(a: Answer, b: Answer): boolean {
  return a.status === b.status && JSON.stringify(a.headers) === JSON.stringify(b.headers);
}

const counts = {
  cases: 0,
  policies: 0,
  refusedConfigs: 0,
  browserRequests: 0,
  passedInBrowser: 0,
  varyPairs: 0,
};

function fail(what: string, context: unknown): never {
  throw new Error(
    `${what} (seed ${seed()}, case ${counts.cases}): ${JSON.stringify(context, null, 1)}`,
  );
}

function judge(model: Model, policy: ReturnType<typeof compilePolicy>, r: Random): void {
  const { request, browser } = randomRequest(r, model);
  const d = decide(policy, request);
  const answer = answerOf(d);
  const acao = getHeader(answer.headers, 'Access-Control-Allow-Origin');
  const acac = getHeader(answer.headers, 'Access-Control-Allow-Credentials');
  // Never `*` with credentials.
  if (acao === '*' && acac !== null) fail('* with Allow-Credentials', { request, d });
  // No origin the policy does not allow, whoever asks.
  if (acao !== null && acao !== '*') {
    if (acao !== request.origin || !allows(model, acao)) {
      fail('Allow-Origin for an origin the policy does not allow', { request, d });
    }
  }
  if (browser !== null) judgeInBrowser(model, browser, answer, { request, d });
  judgeVary(policy, request, answer, r);
}

function judgeInBrowser(
  model: Model,
  browser: NonNullable<BrowserRequest['browser']>,
  answer: Answer,
  context: unknown,
): void {
  counts.browserRequests++;
  const { origin, credentials, method, unsafeHeaderNames } = browser;
  const passes = browser.preflight
    ? preflightPasses(answer.status, answer.headers, {
        origin,
        credentials,
        method,
        unsafeHeaderNames: unsafeHeaderNames.filter((n) => n !== 'authorization'),
        authorization: unsafeHeaderNames.includes('authorization'),
      })
    : corsCheck(answer.headers, origin, credentials);
  if (passes) counts.passedInBrowser++;
  const credentialsOk = credentials !== 'include' || (model.credentials && model.origins !== '*');
  const originOk = origin !== 'null' || model.origins === '*';
  const allowed = originOk && allows(model, origin) && credentialsOk;
  const methodOk =
    !browser.preflight ||
    ['GET', 'HEAD', 'POST'].includes(method) ||
    model.methods === '*' ||
    model.methods.includes(method);
  // The policy's `*` allows any header that is not forbidden, Authorization included (the
  // policy answers with the names asked for, since a browser's `*` would not cover it).
  const headersOk = unsafeHeaderNames.every(
    (n) => model.requestHeaders === '*' || model.requestHeaders.some((h) => h.toLowerCase() === n),
  );
  // Soundness: what gets through is what the policy allows.
  if (passes && !(allowed && methodOk && headersOk)) {
    fail('a browser lets through what the policy does not allow', {
      model: model.options,
      context,
    });
  }
  // Completeness: what the policy allows gets through.
  if (!passes && allowed && methodOk && headersOk) {
    fail('a browser refuses what the policy allows', { model: model.options, context });
  }
}

/** One header changed at a time; when the answer changes, both answers' Vary must name it. */
function judgeVary(
  policy: ReturnType<typeof compilePolicy>,
  request: CorsRequest,
  answer: Answer,
  r: Random,
): void {
  const variants: [string, CorsRequest][] = [
    ['origin', { ...request, origin: r.bool(0.3) ? undefined : r.pick(ORIGINS) }],
  ];
  if (request.method === 'OPTIONS') {
    variants.push([
      'access-control-request-method',
      { ...request, requestMethod: r.bool(0.2) ? undefined : r.pick(METHODS) },
    ]);
    variants.push([
      'access-control-request-headers',
      {
        ...request,
        requestHeaders: r.bool(0.3) ? undefined : r.subset(HEADER_NAMES, 0.3).join(','),
      },
    ]);
  }
  for (const [name, variant] of variants) {
    const other = answerOf(decide(policy, variant));
    counts.varyPairs++;
    if (same(answer, other)) continue;
    if (!varyNames(answer.vary, name) || !varyNames(other.vary, name)) {
      fail(`two answers differ by ${name} but Vary does not say so`, {
        request,
        variant,
        answer,
        other,
      });
    }
  }
}

describe('random policies × requests against the Fetch standard oracle', () => {
  const total = caseCount();
  it(
    `holds every invariant over ${total} cases`,
    () => {
      const r = random(seed());
      while (counts.cases < total) {
        const model = randomModel(r);
        counts.policies++;
        let policy: ReturnType<typeof compilePolicy>;
        try {
          policy = compilePolicy(model.options);
        } catch (error) {
          // The only configuration refused here is `*` with credentials.
          if (!(model.origins === '*' && model.credentials)) {
            fail(`a valid policy was refused: ${String(error)}`, model.options);
          }
          counts.refusedConfigs++;
          continue;
        }
        if (model.origins === '*' && model.credentials)
          fail('`*` with credentials compiled', model);
        const requests = 1 + r.int(8);
        for (let i = 0; i < requests && counts.cases < total; i++) {
          counts.cases++;
          judge(model, policy, r);
        }
      }
      report('policy × request vs Fetch oracle', counts);
    },
    budgetMs(total, 0.3),
  );
});
