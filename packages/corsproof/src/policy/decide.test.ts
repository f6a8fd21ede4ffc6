import { describe, expect, it, vi } from 'vitest';
import { countedString } from '../../test/cases/counted-string.js';
import {
  type ExpectedDecision,
  POLICIES,
  POLICY_CASES,
  type PolicyName,
  silentLogger,
} from '../../test/cases/policy-cases.js';
import { type CorsPolicy, compilePolicy } from './compile.js';
import { REQUEST_HEADERS_LIMITS } from './decide.js';
import type { Decision, Refusal } from './decision.js';

const compiled = new Map<PolicyName, CorsPolicy>();
function policyFor(name: PolicyName): CorsPolicy {
  let policy = compiled.get(name);
  if (policy === undefined) {
    policy = compilePolicy(POLICIES[name]);
    compiled.set(name, policy);
  }
  return policy;
}

/** The decision in the table's shape: headers as a name -> value record, so order does not matter. */
function shape(decision: Decision) {
  return {
    kind: decision.kind,
    status: 'status' in decision ? decision.status : undefined,
    headers: Object.fromEntries(decision.headers),
    headerCount: decision.headers.length,
    vary: decision.vary,
    reason: 'reason' in decision ? decision.reason.code : undefined,
  };
}

function expectedShape(expected: ExpectedDecision) {
  return {
    kind: expected.kind,
    status: expected.status,
    headers: Object.fromEntries(expected.headers),
    headerCount: expected.headers.length,
    vary: expected.vary,
    reason: expected.reason,
  };
}

describe('the decision table', () => {
  it.each(POLICY_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const policy = policyFor(c.policy);
    const expected = c.expected;
    if ('throws' in expected) {
      const ErrorClass = expected.throws === 'TypeError' ? TypeError : Error;
      if (c.async) {
        const pending = policy.decide(c.request);
        expect(pending).toBeInstanceOf(Promise);
        await expect(pending).rejects.toThrow(ErrorClass);
      } else {
        expect(() => policy.decide(c.request)).toThrow(ErrorClass);
      }
      return;
    }
    const out = policy.decide(c.request);
    if (c.async) expect(out).toBeInstanceOf(Promise);
    else expect(out).not.toBeInstanceOf(Promise);
    expect(shape(await out)).toEqual(expectedShape(expected));
  });

  it('has rows for every policy in the table', () => {
    const used = new Set(POLICY_CASES.map((c) => c.policy));
    expect([...Object.keys(POLICIES)].filter((p) => !used.has(p as PolicyName))).toEqual([]);
  });

  it('has case names that are unique, so a failure points at one row', () => {
    const names = POLICY_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('decide', () => {
  it.each([
    ['letters', 'a'],
    ['spaces', ' '],
    ['commas', ','],
    ['names', 'x-a,'],
  ])(
    'reads at most 1 KiB of an 8 KiB Access-Control-Request-Headers of %s, given a list of names',
    (_name, unit) => {
      const policy = compilePolicy({
        origins: ['https://a.example'],
        requestHeaders: ['content-type', 'x-a'],
      });
      const value = countedString(unit.repeat(REQUEST_HEADERS_LIMITS.maxLength / unit.length));
      expect(
        policy.decide({
          method: 'OPTIONS',
          origin: 'https://a.example',
          requestMethod: 'GET',
          requestHeaders: value.value,
        }),
      ).toMatchObject({ kind: 'preflight-refused', reason: { code: 'headers-too-large' } });
      // Before the per-policy limit, each of the 8192 characters was read once or twice.
      expect(value.reads()).toBe(0);
    },
  );

  it('still names a header that is not allowed in a list a browser could send', () => {
    const policy = compilePolicy({ origins: ['https://a.example'], requestHeaders: ['x-a'] });
    const requestHeaders = `${'x-a,'.repeat(100)}x-b`;
    expect(
      policy.decide({
        method: 'OPTIONS',
        origin: 'https://a.example',
        requestMethod: 'GET',
        requestHeaders,
      }),
    ).toMatchObject({ reason: { code: 'headers-not-allowed', detail: 'x-b' } });
  });

  it('reads 8 KiB of commas in Access-Control-Request-Headers at most twice as much as 20 names', () => {
    const policy = compilePolicy({ origins: ['https://a.example'], requestHeaders: '*' });
    const preflight = (requestHeaders: string) => ({
      method: 'OPTIONS',
      origin: 'https://a.example',
      requestMethod: 'GET',
      requestHeaders,
    });
    // What a browser sends for a request with 20 custom headers: sorted names joined by ",".
    const normal = countedString(
      Array.from({ length: 20 }, (_, i) => `x-header-${i + 10}`).join(','),
    );
    expect(policy.decide(preflight(normal.value))).toMatchObject({ kind: 'preflight-accepted' });
    const hostile = countedString(','.repeat(REQUEST_HEADERS_LIMITS.maxLength));
    expect(policy.decide(preflight(hostile.value))).toMatchObject({
      kind: 'preflight-refused',
      reason: { code: 'headers-too-large' },
    });
    expect(normal.reads()).toBeGreaterThan(0);
    // Before the element cap, every one of the 8192 commas was read twice.
    expect(hostile.reads()).toBeLessThanOrEqual(2 * normal.reads());
  });

  it('answers a 200 kB Access-Control-Request-Headers in well under a millisecond per call', () => {
    const policy = policyFor('exact');
    const huge = 'a'.repeat(200_000);
    const request = {
      method: 'OPTIONS',
      origin: 'https://app.example.com',
      requestMethod: 'PUT',
      requestHeaders: huge,
    };
    const start = performance.now();
    for (let i = 0; i < 1000; i++) policy.decide(request);
    // Refused on length alone; a scan of 200 kB per call would take far longer than this.
    expect(performance.now() - start).toBeLessThan(200);
  });

  it('refuses an Access-Control-Request-Headers one character over the length limit, not at it', () => {
    const policy = compilePolicy({ origins: ['https://a.example'], requestHeaders: '*' });
    const name = 'x'.repeat(REQUEST_HEADERS_LIMITS.maxLength);
    const d = policy.decide({
      method: 'OPTIONS',
      origin: 'https://a.example',
      requestMethod: 'PUT',
      requestHeaders: name,
    });
    expect(d).toMatchObject({ kind: 'preflight-refused', reason: { code: 'method-not-allowed' } });
    const get = policy.decide({
      method: 'OPTIONS',
      origin: 'https://a.example',
      requestMethod: 'GET',
      requestHeaders: name,
    });
    expect(get).toMatchObject({ kind: 'preflight-accepted' });
    const over = policy.decide({
      method: 'OPTIONS',
      origin: 'https://a.example',
      requestMethod: 'GET',
      requestHeaders: `${name}x`,
    });
    expect(over).toMatchObject({ reason: { code: 'headers-too-large' } });
  });

  it('returns frozen ready-made decisions for exact origins, so a caller cannot corrupt the next answer', () => {
    const policy = policyFor('exact');
    const d = policy.decide({ method: 'GET', origin: 'https://app.example.com' }) as Decision;
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d.headers)).toBe(true);
    expect(Object.isFrozen(d.headers[0])).toBe(true);
    expect(() => {
      (d.headers as [string, string][]).push(['x', 'y']);
    }).toThrow(TypeError);
  });

  it("keeps an exact origin's accepted preflight frozen and answers the same preflight with it", () => {
    const policy = compilePolicy({
      origins: ['https://app.example.com', 'https://*.example.org'],
      methods: ['PUT'],
      requestHeaders: ['x-a', 'x-b'],
    });
    const ask = (origin: string, requestHeaders?: string) =>
      policy.decide({
        method: 'OPTIONS',
        origin,
        requestMethod: 'PUT',
        requestHeaders,
      }) as Decision;
    const first = ask('https://app.example.com', 'x-a');
    expect(first.kind).toBe('preflight-accepted');
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.headers[0])).toBe(true);
    expect(ask('https://app.example.com', 'x-a')).toBe(first);
    const other = ask('https://app.example.com', 'x-b');
    expect(other).not.toBe(first);
    expect(Object.fromEntries(other.headers)['access-control-allow-headers']).toBe('x-b');
    expect(Object.fromEntries(ask('https://app.example.com').headers)).not.toHaveProperty(
      'access-control-allow-headers',
    );
    expect(ask('https://app.example.com', 'x-a')).toEqual(first);
    expect(ask('https://app.example.com', 'x-c').kind).toBe('preflight-refused');
    // A pattern's origins are not a bounded set: their answers are not kept.
    expect(ask('https://a.example.org', 'x-a')).not.toBe(ask('https://a.example.org', 'x-a'));
  });

  it('names why an origin was refused the same way whether the list has patterns or not', () => {
    // Without patterns the refusal is decided without parsing the origin; its code is worked out
    // when read. With a pattern it is worked out while deciding. Both must say the same.
    const exactOnly = compilePolicy({ origins: ['https://app.example.com'] });
    const withPattern = compilePolicy({
      origins: ['https://app.example.com', 'https://*.other.example'],
    });
    for (const origin of [
      'https://evil.example',
      'null',
      'HTTPS://APP.EXAMPLE.COM',
      'https://app.example.com:443',
      'https://app.example.com/',
      'https://xn--a.example',
      `https://${'a'.repeat(600)}.example`,
      '',
    ]) {
      for (const method of ['GET', 'OPTIONS']) {
        const request = { method, origin, requestMethod: method === 'OPTIONS' ? 'PUT' : undefined };
        const lazy = exactOnly.decide(request) as Decision & { reason: Refusal };
        const eager = withPattern.decide(request) as Decision & { reason: Refusal };
        expect(lazy.kind).toBe(eager.kind);
        expect({ code: lazy.reason.code, detail: lazy.reason.detail }).toEqual({
          code: eager.reason.code,
          detail: eager.reason.detail,
        });
        expect(JSON.parse(JSON.stringify(lazy.reason))).toEqual({
          code: eager.reason.code,
          detail: origin,
        });
      }
    }
  });

  it('does not call the predicate for Origin null, a malformed Origin or no Origin', () => {
    const predicate = vi.fn((_origin: string) => true);
    const policy = compilePolicy({ origins: predicate });
    policy.decide({ method: 'GET', origin: 'null' });
    policy.decide({ method: 'GET', origin: 'https://A.example' });
    policy.decide({ method: 'GET', origin: 'https://a.example, https://b.example' });
    policy.decide({ method: 'GET' });
    policy.decide({ method: 'OPTIONS', requestMethod: 'PUT' });
    expect(predicate).not.toHaveBeenCalled();
  });

  it('hands the predicate the origin and the request with its raw object', () => {
    const predicate = vi.fn((_origin: string, _request: unknown) => true);
    const policy = compilePolicy({ origins: predicate });
    const raw = { tenant: 'acme' };
    const request = { method: 'PUT', origin: 'https://a.example', raw };
    policy.decide(request);
    expect(predicate).toHaveBeenCalledExactlyOnceWith('https://a.example', request);
  });

  it('accepts any PromiseLike from a predicate, not only native promises', async () => {
    const thenable: PromiseLike<boolean> = {
      // biome-ignore lint/suspicious/noThenProperty: the point is a hand-made thenable.
      then: (resolve) => Promise.resolve(true).then(resolve),
    };
    const policy = compilePolicy({ origins: () => thenable });
    const d = policy.decide({ method: 'GET', origin: 'https://a.example' });
    expect(d).toBeInstanceOf(Promise);
    expect(await d).toMatchObject({ kind: 'actual-allowed' });
  });

  it('rejects with the error of a predicate whose promise rejects', async () => {
    const boom = new Error('db down');
    const policy = compilePolicy({ origins: () => Promise.reject(boom) });
    await expect(policy.decide({ method: 'GET', origin: 'https://a.example' })).rejects.toBe(boom);
  });

  it('names the returned value in the TypeError of a predicate returning a string', () => {
    const policy = compilePolicy({
      origins: (() => 'https://a.example') as unknown as () => boolean,
    });
    expect(() => policy.decide({ method: 'GET', origin: 'https://a.example' })).toThrow(
      /^corsproof: the origins predicate returned "https:\/\/a\.example"; it must return true or false/,
    );
  });

  it('treats a predicate returning undefined as a TypeError rather than a refusal', () => {
    const policy = compilePolicy({ origins: (() => undefined) as unknown as () => boolean });
    expect(() => policy.decide({ method: 'GET', origin: 'https://a.example' })).toThrow(
      /returned undefined/,
    );
  });

  it('keeps the debug logger quiet while deciding', () => {
    const warn = vi.fn();
    const policy = compilePolicy({ ...POLICIES.debug, debug: { warn } });
    policy.decide({
      method: 'OPTIONS',
      origin: 'https://app.example.com',
      requestMethod: 'DELETE',
    });
    expect(warn).not.toHaveBeenCalled();
    expect(silentLogger.warn('x')).toBeUndefined();
  });
});

describe('a predicate that declares the request headers it read', () => {
  const byTenant = compilePolicy({
    origins: (origin, request) => ({
      allow: origin === 'https://a.example' && request.method !== 'DELETE',
      vary: ['X-Tenant'],
    }),
    methods: ['PUT'],
  });

  it('adds them to Vary after Origin on allowed and refused answers', () => {
    expect(byTenant.decide({ method: 'GET', origin: 'https://a.example' })).toMatchObject({
      kind: 'actual-allowed',
      vary: 'Origin, X-Tenant',
    });
    expect(byTenant.decide({ method: 'GET', origin: 'https://b.example' })).toMatchObject({
      kind: 'actual-refused',
      vary: 'Origin, X-Tenant',
    });
  });

  it('adds them after the preflight Vary list, accepted or refused', () => {
    const preflight = { method: 'OPTIONS', requestMethod: 'PUT' };
    expect(byTenant.decide({ ...preflight, origin: 'https://a.example' })).toMatchObject({
      kind: 'preflight-accepted',
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, X-Tenant',
    });
    expect(
      byTenant.decide({ ...preflight, origin: 'https://a.example', requestMethod: 'PATCH' }),
    ).toMatchObject({
      kind: 'preflight-refused',
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, X-Tenant',
    });
  });

  it('takes the verdict from a promise too, and an empty list as no extra Vary', async () => {
    const policy = compilePolicy({ origins: async () => ({ allow: true, vary: [] }) });
    await expect(
      policy.decide({ method: 'GET', origin: 'https://a.example' }),
    ).resolves.toMatchObject({ kind: 'actual-allowed', vary: 'Origin' });
  });

  it('refuses a verdict whose vary is not a list of header names', () => {
    const policy = compilePolicy({
      origins: () => ({ allow: true, vary: ['X-Tenant, Cookie'] }),
    });
    expect(() => policy.decide({ method: 'GET', origin: 'https://a.example' })).toThrow(
      /\{ allow, vary: \[header names it read\] \}/,
    );
  });
});
