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
      'reports an answer that depends on Origin without Vary: Origin',
      (i) => ({ ...i, get: leg({ final: ok(ACAO(TRUSTED)) }) }),
      ['missing-vary-origin'],
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
