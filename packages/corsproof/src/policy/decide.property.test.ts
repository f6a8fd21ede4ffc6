/**
 * Property tests of the policy engine against a slow, obviously-correct model. Policies and
 * requests are drawn from a small alphabet (labels `a`, `b`, `ab`, `foo`, `com`...) so that entries
 * collide and near-misses of each entry (`barfoo.com` for `foo.com`, `foo.com.evil` for
 * `*.foo.com`, case changes, ports, trailing dots) are common.
 *
 * Run counts (numRuns, each a fresh policy or input): see RUNS below, 150,000 in all, with about
 * 180,000 requests decided under the 40,000 random policies. About 6 s on an idle 2-core machine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOrigin, parseSerializedOrigin, serializeOrigin } from '../spec/origin.js';
import { compilePolicy } from './compile.js';
import type { Decision } from './decision.js';
import type { CorsOptions, CorsRequest } from './options.js';
import { compileOriginMatcher } from './origin-matcher.js';
import { parseOriginSpec } from './origin-pattern.js';

/** Fixed, so that a failure is the same failure on every machine; CORSPROOF_SEED picks another. */
const SEED = Number(process.env.CORSPROOF_SEED ?? 20_261_207) >>> 0;

const RUNS = {
  /** Random policy with 1 to 8 requests each (about 4.5 on average). */
  decisions: 40_000,
  anyStrings: 50_000,
  serializedOrigins: 25_000,
  arbitraryOrigins: 25_000,
  specs: 10_000,
} as const;

// ---------------------------------------------------------------------------------------------
// The model: entries as data, and a reference matcher that only uses `new URL`.

type Scheme = 'http' | 'https';

type Entry =
  | {
      readonly kind: 'exact';
      readonly scheme: Scheme;
      readonly host: string;
      readonly port: number | null;
    }
  | {
      readonly kind: 'subdomain';
      readonly scheme: Scheme;
      /** The domain after `*.`. */
      readonly suffix: string;
      readonly port: number | null | '*';
    }
  | { readonly kind: 'any-port'; readonly scheme: Scheme; readonly host: string };

function entryText(e: Entry): string {
  const port = (p: number | null | '*') => (p === null ? '' : `:${p}`);
  if (e.kind === 'exact') return `${e.scheme}://${e.host}${port(e.port)}`;
  if (e.kind === 'subdomain') return `${e.scheme}://*.${e.suffix}${port(e.port)}`;
  return `${e.scheme}://${e.host}:*`;
}

interface RefOrigin {
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
}

/**
 * An Origin header as a browser sends it, read with the URL parser: it must parse, and serialize
 * back to exactly itself (so no path, no trailing slash, no upper case, no default port, no
 * whitespace); hosts are limited to the alphabet browsers put in Origin (`a-z 0-9 - . _`, or an
 * IPv6 literal), as corsproof documents.
 */
function refParse(origin: string): RefOrigin | null {
  if (!URL.canParse(origin)) return null;
  const url = new URL(origin);
  if (url.origin !== origin) return null;
  if (!/^(?:[a-z0-9._-]+|\[[0-9a-f:]+\])$/.test(url.hostname)) return null;
  return {
    scheme: url.protocol.slice(0, -1),
    host: url.hostname,
    port: url.port === '' ? null : Number(url.port),
  };
}

function refEntryMatches(e: Entry, o: RefOrigin): boolean {
  if (o.scheme !== e.scheme) return false;
  if (e.kind === 'exact') return o.host === e.host && o.port === e.port;
  if (e.kind === 'any-port') return o.host === e.host;
  if (e.port !== '*' && e.port !== o.port) return false;
  if (!o.host.endsWith(`.${e.suffix}`)) return false;
  const prefix = o.host.slice(0, o.host.length - e.suffix.length - 1);
  return prefix.split('.').every((label) => label.length > 0);
}

function refAllowed(entries: readonly Entry[] | '*', origin: string): boolean {
  if (entries === '*') return true;
  const o = refParse(origin);
  return o !== null && entries.some((e) => refEntryMatches(e, o));
}

// ---------------------------------------------------------------------------------------------
// Generators.

const label = fc.constantFrom('a', 'b', 'ab', 'ba', 'foo', 'bar', 'com', 'x-1', 'xn--bcher-kva');
const domain = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
const loopback = fc.constantFrom('localhost', '127.0.0.1', '[::1]');
const host = fc.oneof({ arbitrary: domain, weight: 6 }, { arbitrary: loopback, weight: 1 });
const scheme = fc.constantFrom<Scheme>('http', 'https');
const port = fc.constantFrom(null, 3000, 8443);

const entry: fc.Arbitrary<Entry> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('exact' as const), scheme, host, port }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('subdomain' as const),
      scheme,
      suffix: domain,
      port: fc.constantFrom(null, 3000, '*' as const),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('any-port' as const), scheme, host }), weight: 1 },
);

interface PolicyModel {
  readonly entries: readonly Entry[] | '*';
  readonly credentials: boolean;
  readonly options: CorsOptions;
}

const policyModel: fc.Arbitrary<PolicyModel> = fc
  .record({
    entries: fc.oneof(
      { arbitrary: fc.constant('*' as const), weight: 1 },
      {
        arbitrary: fc.uniqueArray(entry, { minLength: 1, maxLength: 6, selector: entryText }),
        weight: 6,
      },
    ),
    credentials: fc.boolean(),
    methods: fc.oneof(
      fc.constant('*' as const),
      fc.subarray(['PUT', 'PATCH', 'patch', 'DELETE', 'X-CUSTOM']),
    ),
    requestHeaders: fc.oneof(
      fc.constant('*' as const),
      fc.subarray(['x-a', 'X-B', 'content-type', 'authorization']),
    ),
    exposeHeaders: fc.oneof(fc.constant('*' as const), fc.subarray(['x-total', 'x-id'])),
    privateNetwork: fc.boolean(),
    debug: fc.boolean(),
    maxAge: fc.option(fc.constantFrom(0, 600), { nil: undefined }),
  })
  .map((r): PolicyModel => {
    const credentials = r.entries !== '*' && r.credentials;
    const options: CorsOptions = {
      origins: r.entries === '*' ? '*' : r.entries.map(entryText),
      credentials,
      methods: r.methods,
      requestHeaders: r.requestHeaders,
      exposeHeaders: credentials && r.exposeHeaders === '*' ? ['x-total'] : r.exposeHeaders,
      privateNetwork: r.privateNetwork,
      ...(r.maxAge === undefined ? {} : { maxAge: r.maxAge }),
      ...(r.debug ? { debug: { warn: () => {} } } : {}),
      // Public-suffix wildcards (`*.com`) and http: entries are refused with credentials unless
      // opted in; the decision does not depend on these, so always opt in.
      ...(credentials
        ? { dangerouslyAllowInsecureOrigins: true, dangerouslyAllowPublicSuffixWildcards: true }
        : {}),
    };
    return { entries: r.entries, credentials, options };
  });

/** An origin a policy entry allows, built from its parts. */
function instance(e: Entry, prefix: string, somePort: number | null): string {
  const p = (n: number | null) => (n === null ? '' : `:${n}`);
  if (e.kind === 'exact') return entryText(e);
  if (e.kind === 'any-port') return `${e.scheme}://${e.host}${p(somePort)}`;
  return `${e.scheme}://${prefix}.${e.suffix}${p(e.port === '*' ? somePort : e.port)}`;
}

const MUTATIONS = [
  (o: string) => o,
  (o: string) => o.replace('://', '://x'), // glued prefix: barfoo.com
  (o: string) => o.replace('://', '://x.'), // one more label
  (o: string) => o.replace('://', '://.'), // empty first label
  (o: string) => o.replace('://', '://a..'), // empty middle label
  (o: string) => o.replace(/(:\d+)?$/, '.evil$1'), // suffix glued after
  (o: string) => o.replace(/(:\d+)?$/, '.$1'), // trailing dot
  (o: string) => o.replace(/^(\w+:\/\/)[^.:]*\.?/, '$1'), // one label fewer: the apex
  (o: string) => o.toUpperCase(),
  (o: string) => o.replace(/:\/\/(.)/, (_m, c: string) => `://${c.toUpperCase()}`),
  (o: string) =>
    o.startsWith('https:') ? o.replace('https:', 'http:') : o.replace('http:', 'https:'),
  (o: string) => `${o.replace(/:\d+$/, '')}:3000`,
  (o: string) => `${o.replace(/:\d+$/, '')}:443`,
  (o: string) => `${o.replace(/:\d+$/, '')}:80`,
  (o: string) => o.replace(/:\d+$/, ''),
  (o: string) => `${o}/`,
  (o: string) => `${o}, ${o}`,
  (o: string) => ` ${o}`,
  (o: string) => `${o}:`,
  (o: string) => o.replace(/:(\d+)$/, ':0$1'),
] as const;

const anyOrigin = fc.oneof(
  fc.tuple(scheme, host, port).map(([s, h, p]) => `${s}://${h}${p === null ? '' : `:${p}`}`),
  fc.constantFrom('null', '', 'https://', 'http://[::1', 'file://a', 'HTTP://A'),
  fc.string({ maxLength: 30 }),
);

function originFor(model: PolicyModel): fc.Arbitrary<string> {
  if (model.entries === '*' || model.entries.length === 0) return anyOrigin;
  const derived = fc
    .record({
      e: fc.constantFrom(...model.entries),
      prefix: fc.array(label, { minLength: 1, maxLength: 2 }).map((ls) => ls.join('.')),
      somePort: fc.constantFrom(null, 1, 3000, 8443, 65535),
      mutate: fc.nat({ max: MUTATIONS.length - 1 }),
    })
    .map(({ e, prefix, somePort, mutate }) =>
      (MUTATIONS[mutate] ?? MUTATIONS[0])(instance(e, prefix, somePort)),
    );
  return fc.oneof({ arbitrary: derived, weight: 4 }, { arbitrary: anyOrigin, weight: 1 });
}

function requestFor(model: PolicyModel): fc.Arbitrary<CorsRequest> {
  return fc.record({
    method: fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'OPTIONS', 'PUT', 'patch'),
    origin: fc.option(originFor(model), { nil: undefined, freq: 8 }),
    requestMethod: fc.option(
      fc.constantFrom('PUT', 'PATCH', 'patch', 'GET', 'DELETE', 'CONNECT', ''),
      {
        nil: undefined,
      },
    ),
    requestHeaders: fc.option(
      fc.constantFrom('x-a', 'X-B, content-type', 'x-z', 'authorization', ' , '),
      {
        nil: undefined,
      },
    ),
    requestPrivateNetwork: fc.option(fc.constant('true'), { nil: undefined }),
  });
}

const scenario = policyModel.chain((model) =>
  fc.tuple(fc.constant(model), fc.array(requestFor(model), { minLength: 1, maxLength: 8 })),
);

// ---------------------------------------------------------------------------------------------
// Helpers.

function header(d: Decision, name: string): string | undefined {
  for (const [n, v] of d.headers) if (n === name) return v;
  return undefined;
}

function varyNames(d: Decision): string[] {
  return d.vary === null ? [] : d.vary.split(',').map((n) => n.trim().toLowerCase());
}

function sync(d: Decision | Promise<Decision>): Decision {
  if (d instanceof Promise) throw new Error('a policy without predicate answered asynchronously');
  return d;
}

/** A header value Node would send as is: no control characters, no line breaks, Latin-1 only. */
function isSafeHeaderValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

/** A cheap assertion for hot loops (vitest's expect costs more than the engine under test). */
function check(actual: unknown, expected: unknown, what: string, decision?: Decision): void {
  if (actual !== expected) {
    throw new Error(
      `${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}${decision === undefined ? '' : ` in ${JSON.stringify(decision)}`}`,
    );
  }
}

const KINDS = new Set([
  'not-cors',
  'preflight-accepted',
  'preflight-refused',
  'actual-allowed',
  'actual-refused',
]);

// ---------------------------------------------------------------------------------------------

describe('the policy engine, on random policies and requests', () => {
  it('allows exactly the origins the reference matcher allows, and sends the right headers', () => {
    fc.assert(
      fc.property(scenario, ([model, requests]) => {
        const policy = compilePolicy(model.options);
        const star = model.entries === '*';
        const matcher =
          typeof policy.config.origins === 'object'
            ? compileOriginMatcher(policy.config.origins)
            : null;
        for (const request of requests) {
          const d = sync(policy.decide(request));
          const acao = header(d, 'access-control-allow-origin');
          const acac = header(d, 'access-control-allow-credentials');
          const origin = request.origin;
          const expectedAllowed = origin !== undefined && refAllowed(model.entries, origin);
          const isPreflight = request.method === 'OPTIONS' && request.requestMethod !== undefined;
          const vary = varyNames(d);

          // The engine's matcher agrees with the reference exactly.
          if (matcher !== null && origin !== undefined) {
            check(
              matcher.match(origin) === 'allowed',
              expectedAllowed,
              'matcher agrees with the reference',
              d,
            );
          }
          // Never an Allow-Origin the policy does not allow.
          if (acao !== undefined) {
            if (star) check(acao, '*', 'a star policy only ever sends *', d);
            else {
              check(acao, origin, 'Allow-Origin is the request origin', d);
              check(expectedAllowed, true, 'Allow-Origin only for an allowed origin', d);
            }
          }
          // Never `*` with credentials; Allow-Credentials exactly when credentials and an origin.
          check(acao === '*' && acac !== undefined, false, 'never * with Allow-Credentials', d);
          check(
            acac,
            model.credentials && acao !== undefined ? 'true' : undefined,
            'Allow-Credentials exactly with credentials and Allow-Origin',
            d,
          );
          // An allowed origin gets its headers on every non-preflight request.
          if (origin !== undefined && !isPreflight) {
            check(d.kind, expectedAllowed ? 'actual-allowed' : 'actual-refused', 'actual kind', d);
          }
          if (origin !== undefined && isPreflight && !expectedAllowed) {
            check(d.kind, 'preflight-refused', 'a refused origin gets a refused preflight', d);
            check(d.headers.length, 0, 'a refused origin gets no headers, even in debug mode', d);
            check('status' in d && d.status, 403, 'a refused origin gets a 403', d);
          }
          // Vary: a non-star policy always varies on Origin; OPTIONS always does.
          if (!star || request.method === 'OPTIONS') {
            check(vary.includes('origin'), true, 'Vary includes Origin', d);
          }
          if (star && request.method !== 'OPTIONS') {
            // A star policy's actual response is the same with and without Origin.
            check(d.vary, null, 'a star policy does not vary', d);
            const without = sync(policy.decide({ ...request, origin: undefined }));
            check(
              JSON.stringify(without.headers),
              JSON.stringify(d.headers),
              'same headers without Origin',
              d,
            );
            check(without.vary, null, 'a star policy does not vary without Origin', d);
          }
          if (isPreflight) {
            for (const name of [
              'access-control-request-method',
              'access-control-request-headers',
            ]) {
              check(vary.includes(name), true, `a preflight answer varies on ${name}`, d);
            }
          }
        }
      }),
      { numRuns: RUNS.decisions, seed: SEED },
    );
  }, 120_000);

  it('never throws for any strings in any request field, and only emits safe header values', () => {
    const strings = fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined });
    const input = fc.record({
      model: policyModel,
      method: fc.oneof(
        fc.constantFrom('GET', 'OPTIONS'),
        fc.string({ unit: 'binary', maxLength: 10 }),
      ),
      origin: fc.oneof(
        strings,
        originFor({ entries: '*', credentials: false, options: { origins: '*' } }),
      ),
      requestMethod: strings,
      requestHeaders: strings,
      requestPrivateNetwork: strings,
    });
    // Compiling is the expensive part; a few policies serve many requests.
    const policies = new Map<string, ReturnType<typeof compilePolicy>>();
    fc.assert(
      fc.property(input, ({ model, ...request }) => {
        const key = JSON.stringify(model.options);
        let policy = policies.get(key);
        if (policy === undefined) {
          policy = compilePolicy(model.options);
          if (policies.size < 500) policies.set(key, policy);
        }
        const d = sync(policy.decide(request));
        check(KINDS.has(d.kind), true, 'a known kind', d);
        for (const [name, value] of d.headers) {
          check(/^[a-z-]+$/.test(name), true, 'a lower-case header name', d);
          check(isSafeHeaderValue(value), true, 'a header value Node sends as is', d);
        }
      }),
      { numRuns: RUNS.anyStrings, seed: SEED },
    );
  }, 120_000);
});

describe('origins, on random input', () => {
  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((parts) => parts.join('.'));
  const ipv6 = fc.ipV6().map((a) => `[${new URL(`http://[${a}]/`).hostname.slice(1, -1)}]`);
  const serialized = fc
    .record({
      scheme: fc.constantFrom('http', 'https', 'ws', 'wss'),
      host: fc.oneof(domain, ipv4, ipv6, fc.domain()),
      port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }),
    })
    .map(({ scheme, host, port }) => {
      const url = new URL(`${scheme}://${host}${port === null ? '' : `:${port}`}/`);
      // The URL parser's own serialization: canonical host, default port dropped.
      return `${url.protocol}//${url.host}`;
    });

  it('gives back a serialized origin unchanged from parseOrigin and parseSerializedOrigin', () => {
    fc.assert(
      fc.property(serialized, (s) => {
        const parsed = parseOrigin(s);
        check(parsed.ok && parsed.serialized, s, 'parseOrigin gives the serialization back');
        const fast = parseSerializedOrigin(s);
        check(fast === null ? null : serializeOrigin(fast), s, 'parseSerializedOrigin round-trips');
        if (parsed.ok)
          check(JSON.stringify(parsed.origin), JSON.stringify(fast), 'both parsers agree');
      }),
      { numRuns: RUNS.serializedOrigins, seed: SEED },
    );
  }, 120_000);

  it('accepts an http(s) Origin header only when the URL parser serializes it to itself', () => {
    const text = fc.oneof(
      serialized.chain((s) =>
        fc.nat({ max: MUTATIONS.length - 1 }).map((i) => (MUTATIONS[i] ?? MUTATIONS[0])(s)),
      ),
      fc.string({ maxLength: 30 }).map((s) => `https://${s}`),
      fc.stringMatching(/^https?:\/\/[a-z0-9.:\-[\]]{0,20}$/),
    );
    fc.assert(
      fc.property(text, (s) => {
        const fast = parseSerializedOrigin(s);
        if (fast !== null) {
          check(serializeOrigin(fast), s, 'parseSerializedOrigin round-trips');
          check(new URL(s).origin, s, 'the URL parser serializes an accepted Origin to itself');
        } else if (refParse(s) !== null) {
          // The reference accepts it: it must be a host outside what the fast path documents.
          throw new Error(
            `parseSerializedOrigin refused ${JSON.stringify(s)}, a browser serialization`,
          );
        }
      }),
      { numRuns: RUNS.arbitraryOrigins, seed: SEED },
    );
  }, 120_000);

  it('gives back the same pattern when a pattern is parsed from its canonical form', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const text = entryText(e);
        const first = parseOriginSpec(text);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        const canonical =
          first.spec.kind === 'exact' ? first.spec.serialized : first.spec.canonical;
        expect(canonical).toBe(text);
        expect(parseOriginSpec(canonical)).toEqual(first);
      }),
      { numRuns: RUNS.specs, seed: SEED },
    );
  });
});
