import type { HeaderEntry } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import type { FindingId } from './findings.js';
import type { Passes } from './judge.js';
import type { Leg } from './legs.js';
import { type ResponseCheckInput, responseFindings } from './response-checks.js';

const TRUSTED = 'https://app.example';
const PROBE = 'https://evil.example';

type Lines = readonly HeaderEntry[];
type Head = { readonly status: number; readonly headers: Lines };

/** A leg that ended in `final` (a GET) or got `preflight` (a preflight leg). */
function leg(
  options: {
    final?: Head | null;
    preflight?: Head | null;
    passes?: Partial<Passes>;
    location?: string;
  } = {},
): Leg {
  const head = options.final ?? options.preflight ?? null;
  return {
    summary: {
      method: options.preflight ? 'OPTIONS' : 'GET',
      requestMethod: null,
      sent: true,
      status: head?.status ?? null,
      acao: null,
      acac: null,
      vary: null,
      acam: null,
      acah: null,
      maxAge: null,
      location: options.location ?? null,
      redirects: 0,
      passes: { omit: true, include: false, wildcard: false, ...options.passes },
      failure: null,
      error: null,
    },
    evidence: [],
    final: options.final ?? null,
    answer: null,
    preflight: options.preflight ?? null,
    result: null,
    error: null,
    requests: 1,
  };
}

const ok = (...headers: HeaderEntry[]): Head => ({ status: 200, headers });
const noContent = (...headers: HeaderEntry[]): Head => ({ status: 204, headers });
const ACAO = (v: string): HeaderEntry => ['Access-Control-Allow-Origin', v];
const ACAC = (v: string): HeaderEntry => ['Access-Control-Allow-Credentials', v];
const ACAM = (v: string): HeaderEntry => ['Access-Control-Allow-Methods', v];
const ACAH = (v: string): HeaderEntry => ['Access-Control-Allow-Headers', v];
const ACMA = (v: string): HeaderEntry => ['Access-Control-Max-Age', v];
const VARY: HeaderEntry = ['Vary', 'Origin'];

/** A server that gets everything right: nothing to report. */
function clean(): ResponseCheckInput {
  return {
    trustedOrigin: TRUSTED,
    url: 'https://api.example/x',
    stateChanging: 'PUT with Content-Type: application/json',
    noOrigin: leg({ final: ok(VARY) }),
    get: leg({ final: ok(ACAO(TRUSTED), VARY) }),
    preflight: leg({
      preflight: noContent(ACAO(TRUSTED), ACAM('PUT'), ACAH('content-type'), ACMA('600')),
    }),
    anyPreflight: leg({
      preflight: noContent(ACAO(TRUSTED), ACAM('PUT'), ACAH('content-type')),
      passes: { omit: false },
    }),
    madeUp: { method: 'CPMADEUP', header: 'x-cp-made-up' },
    authorization: null,
    redirectTarget: null,
    probeGets: [{ origin: PROBE, leg: leg({ final: ok(VARY), passes: { omit: false } }) }],
    receivedAt: 0,
  };
}

describe('responseFindings', () => {
  it.each<[string, (input: ResponseCheckInput) => ResponseCheckInput, FindingId[]]>([
    ['reports nothing about a server that gets every answer right', (i) => i, []],
    [
      'reports Access-Control-Allow-Origin: * on the GET as a wildcard origin',
      (i) => ({ ...i, get: leg({ final: ok(ACAO('*'), VARY) }) }),
      ['wildcard-origin'],
    ],
    [
      'reports * together with Access-Control-Allow-Credentials: true as a broken combination',
      (i) => ({ ...i, get: leg({ final: ok(ACAO('*'), ACAC('true'), VARY) }) }),
      ['wildcard-with-credentials'],
    ],
    [
      'reports a * a crafted origin gets on its GET',
      (i) => ({
        ...i,
        probeGets: [{ origin: PROBE, leg: leg({ final: ok(ACAO('*'), VARY) }) }],
      }),
      ['wildcard-origin'],
    ],
    [
      'reports a * on a preflight that passes as a wildcard origin',
      (i) => ({ ...i, preflight: leg({ preflight: noContent(ACAO('*'), ACAM('PUT')) }) }),
      ['wildcard-origin'],
    ],
    [
      'reports the trusted origin with a trailing slash as an invalid Access-Control-Allow-Origin',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(`${TRUSTED}/`), VARY) }) }),
      ['invalid-acao'],
    ],
    [
      'reports the trusted origin in upper case as an invalid Access-Control-Allow-Origin',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(TRUSTED.toUpperCase()), VARY) }) }),
      ['invalid-acao'],
    ],
    [
      'reports several origins in one Access-Control-Allow-Origin as invalid',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(`${TRUSTED}, ${PROBE}`), VARY) }) }),
      ['invalid-acao'],
    ],
    [
      'does not call another origin in Access-Control-Allow-Origin a near miss',
      (i) => ({ ...i, get: leg({ final: ok(ACAO('https://other.example'), VARY) }) }),
      [],
    ],
    [
      'reports Access-Control-Allow-Credentials other than true or false as invalid',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(TRUSTED), ACAC('True'), VARY) }) }),
      ['acac-invalid-value'],
    ],
    [
      'takes Access-Control-Allow-Credentials: false at its word',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(TRUSTED), ACAC('false'), VARY) }) }),
      [],
    ],
    [
      'reports an answer without Origin that a cache may hand to the trusted origin, lacking Vary',
      (i) => ({ ...i, noOrigin: leg({ final: ok() }) }),
      ['missing-vary-origin'],
    ],
    [
      'does not report an unkeyed answer that only the origin it grants could be handed',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(TRUSTED)) }) }),
      [],
    ],
    [
      'does not report answers no shared cache may store (private, no-store)',
      (i) => ({
        ...i,
        noOrigin: leg({ final: ok(['Cache-Control', 'private, no-store']) }),
        get: leg({ final: ok(ACAO(TRUSTED), ['Cache-Control', 'no-store']) }),
      }),
      [],
    ],
    [
      'accepts Vary: * as varying on Origin',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(TRUSTED), ['Vary', 'Accept, *']) }) }),
      [],
    ],
    [
      'does not ask for Vary when every origin gets the same answer',
      (i) => ({
        ...i,
        noOrigin: leg({ final: ok(ACAO(TRUSTED)) }),
        get: leg({ final: ok(ACAO(TRUSTED)) }),
        probeGets: [
          { origin: PROBE, leg: leg({ final: ok(ACAO(TRUSTED)), passes: { omit: false } }) },
        ],
      }),
      [],
    ],
    [
      'reports a preflight that approves a made-up method',
      (i) => ({
        ...i,
        anyPreflight: leg({ preflight: noContent(ACAO(TRUSTED), ACAM('PUT, CPMADEUP')) }),
      }),
      ['preflight-reflects-anything'],
    ],
    [
      'reports a preflight that approves any header with *',
      (i) => ({
        ...i,
        anyPreflight: leg({ preflight: noContent(ACAO(TRUSTED), ACAM('PUT'), ACAH('*')) }),
      }),
      ['preflight-reflects-anything'],
    ],
    [
      'ignores the methods of a made-up preflight whose CORS check fails anyway',
      (i) => ({ ...i, anyPreflight: leg({ preflight: noContent(ACAM('CPMADEUP'), ACAH('*')) }) }),
      [],
    ],
    [
      'reports a preflight answered 500 without CORS headers while the GET passes',
      (i) => ({ ...i, preflight: leg({ preflight: { status: 500, headers: [] } }) }),
      ['preflight-non-2xx'],
    ],
    [
      'reports a preflight answered 403 although its CORS headers are right',
      (i) => ({
        ...i,
        preflight: leg({ preflight: { status: 403, headers: [ACAO(TRUSTED), ACAM('PUT')] } }),
      }),
      ['preflight-non-2xx'],
    ],
    [
      'takes a 403 without CORS headers as a deliberate refusal of the preflight',
      (i) => ({ ...i, preflight: leg({ preflight: { status: 403, headers: [] } }) }),
      [],
    ],
    [
      'reports a preflight answered with a redirect',
      (i) => ({
        ...i,
        preflight: leg({
          preflight: { status: 301, headers: [ACAO(TRUSTED), ['Location', '/elsewhere']] },
        }),
      }),
      ['preflight-redirects'],
    ],
    [
      'reports a redirect without Access-Control-Allow-Origin to a URL that allows the origin',
      (i) => ({
        ...i,
        get: leg({ location: 'https://api.example/y', passes: { omit: false } }),
        redirectTarget: leg({ final: ok(ACAO(TRUSTED), VARY) }),
      }),
      ['redirect-missing-acao'],
    ],
    [
      'does not blame the redirect when its target refuses the origin too',
      (i) => ({
        ...i,
        get: leg({ location: 'https://api.example/y', passes: { omit: false } }),
        redirectTarget: leg({ final: ok(VARY), passes: { omit: false } }),
      }),
      [],
    ],
    [
      "reports an Access-Control-Max-Age above Chromium's cap",
      (i) => ({
        ...i,
        preflight: leg({ preflight: noContent(ACAO(TRUSTED), ACAM('PUT'), ACMA('86400')) }),
      }),
      ['max-age-excessive'],
    ],
  ])('%s', (_, change, ids) => {
    expect(responseFindings(change(clean())).map((f) => f.id)).toEqual(ids);
  });

  it("names the near miss and where it was seen in an invalid Access-Control-Allow-Origin's message", () => {
    const [finding] = responseFindings({
      ...clean(),
      get: leg({ final: ok(ACAO(`${TRUSTED}/`), VARY) }),
      preflight: leg({ preflight: noContent(ACAO(`${TRUSTED}/`), ACAM('PUT')) }),
    });
    expect(finding?.message).toContain(
      `Access-Control-Allow-Origin: ${TRUSTED}/ on the GET and the preflight, a trailing "/" (AllowOriginMismatch)`,
    );
  });

  it("names both limits when Access-Control-Max-Age is above Firefox's too", () => {
    const [finding] = responseFindings({
      ...clean(),
      preflight: leg({ preflight: noContent(ACAO(TRUSTED), ACAM('PUT'), ACMA('90000')) }),
    });
    expect(finding?.message).toBe(
      'Access-Control-Max-Age: 90000; WebKit caps preflight caching at 600 seconds, Chromium at 7200 and Firefox at 86400',
    );
  });
});

describe('missing-vary-origin, by what a shared cache would do', () => {
  const CC = (v: string): HeaderEntry => ['Cache-Control', v];
  const severity = (input: ResponseCheckInput) =>
    responseFindings(input).find((f) => f.id === 'missing-vary-origin');

  it('is low when a cached answer would only break the trusted origin, and says why', () => {
    const f = severity({ ...clean(), noOrigin: leg({ final: ok(CC('public, max-age=60')) }) });
    expect(f?.severity).toBe('low');
    expect(f?.impact).toBe('none');
    expect(f?.message).toContain(`the answer without Origin lacks Vary: Origin`);
    expect(f?.message).toContain('stored and fresh for 60 s by max-age=60 (RFC 9111 §4.2.1)');
    expect(f?.message).toContain(`low: the harm is availability, ${TRUSTED}'s requests fail`);
  });

  it('is high when a credentialed grant is declared fresh for shared caches', () => {
    const f = severity({
      ...clean(),
      get: leg({ final: ok(ACAO(TRUSTED), ACAC('true'), CC('public, s-maxage=300')) }),
    });
    expect(f?.severity).toBe('high');
    expect(f?.credentials).toBe(true);
    expect(f?.message).toContain(`it grants ${TRUSTED} with credentials`);
    expect(f?.message).toContain('s-maxage=300');
  });

  it('is medium when only a cache heuristic would reuse a credentialed grant', () => {
    const f = severity({ ...clean(), get: leg({ final: ok(ACAO(TRUSTED), ACAC('true')) }) });
    expect(f?.severity).toBe('medium');
    expect(f?.message).toContain('RFC 9111 §4.2.2');
  });

  it('takes Vary: Cookie as keeping users apart: a credentialed grant then only breaks', () => {
    const f = severity({
      ...clean(),
      noOrigin: leg({ final: ok(CC('max-age=60')) }),
      get: leg({ final: ok(ACAO(TRUSTED), ACAC('true'), CC('max-age=60'), ['Vary', 'Cookie']) }),
    });
    expect(f?.severity).toBe('low');
  });

  it('does not report a 401 a shared cache may not store (RFC 9110 §15.1)', () => {
    const f = severity({ ...clean(), noOrigin: leg({ final: { status: 401, headers: [] } }) });
    expect(f).toBeUndefined();
  });
});
