import { describe, expect, it } from 'vitest';
import {
  checkPreflightResponse,
  chromiumMaxAge,
  firefoxMaxAge,
  isRedirectResponse,
  type PreflightCheckRequest,
  type PreflightRules,
  SPEC_PREFLIGHT_RULES,
  specMaxAge,
  webkitMaxAge,
} from './preflight-check.js';
import type { HeaderList } from './response-headers.js';

const ORIGIN = 'https://app.example';
const BROWSER_RULES: PreflightRules = {
  authorizationCoveredByWildcard: true,
  maxAge: chromiumMaxAge,
};

function request(over: Partial<PreflightCheckRequest> = {}): PreflightCheckRequest {
  return {
    method: 'PUT',
    unsafeHeaderNames: [],
    origin: ORIGIN,
    credentialsInclude: false,
    ...over,
  };
}

function code(
  headers: HeaderList,
  over: Partial<PreflightCheckRequest> = {},
  status = 204,
  rules = SPEC_PREFLIGHT_RULES,
): string {
  const result = checkPreflightResponse({ status, headers }, request(over), rules);
  return result.ok ? 'ok' : result.failure.code;
}

const acao: [string, string] = ['Access-Control-Allow-Origin', ORIGIN];
const acac: [string, string] = ['Access-Control-Allow-Credentials', 'true'];
const acam = (v: string): [string, string] => ['Access-Control-Allow-Methods', v];
const acah = (v: string): [string, string] => ['Access-Control-Allow-Headers', v];

describe('checkPreflightResponse: order of the checks', () => {
  it('names a redirect before anything else, even without Access-Control-Allow-Origin', () => {
    expect(code([['Location', '/x']], {}, 302)).toBe('PreflightDisallowedRedirect');
    expect(code([acao, acam('PUT'), ['Location', '/x']], {}, 307)).toBe(
      'PreflightDisallowedRedirect',
    );
  });

  it('treats a 3xx without Location as a plain non-ok response', () => {
    expect(isRedirectResponse(302, [])).toBe(false);
    expect(code([acao, acam('PUT')], {}, 302)).toBe('PreflightInvalidStatus');
  });

  it('runs the CORS check before the status check', () => {
    expect(code([], {}, 500)).toBe('PreflightMissingAllowOriginHeader');
    expect(code([acao, acam('PUT')], {}, 500)).toBe('PreflightInvalidStatus');
  });

  it('parses Access-Control-Allow-Methods before Access-Control-Allow-Headers', () => {
    expect(code([acao, acam('Bad m'), acah('x y')], { unsafeHeaderNames: ['x-a'] })).toBe(
      'InvalidAllowMethodsPreflightResponse',
    );
  });

  it('checks the method before the headers', () => {
    expect(code([acao], { unsafeHeaderNames: ['x-a'] })).toBe(
      'MethodDisallowedByPreflightResponse',
    );
  });
});

describe('checkPreflightResponse: the CORS check uses the actual request credentials mode', () => {
  const cases: [string, HeaderList, boolean, string][] = [
    ['no ACAO', [acam('PUT')], false, 'PreflightMissingAllowOriginHeader'],
    [
      'mismatch',
      [['Access-Control-Allow-Origin', 'https://other.example'], acam('PUT')],
      false,
      'PreflightAllowOriginMismatch',
    ],
    ['two ACAO lines', [acao, acao, acam('PUT')], false, 'PreflightMultipleAllowOriginValues'],
    [
      'invalid ACAO',
      [['Access-Control-Allow-Origin', 'foo'], acam('PUT')],
      false,
      'PreflightInvalidAllowOriginValue',
    ],
    [
      '* with credentials',
      [['Access-Control-Allow-Origin', '*'], acac, acam('PUT')],
      true,
      'PreflightWildcardOriginNotAllowed',
    ],
    ['no ACAC with credentials', [acao, acam('PUT')], true, 'PreflightInvalidAllowCredentials'],
    [
      'ACAC True with credentials',
      [acao, ['Access-Control-Allow-Credentials', 'True'], acam('PUT')],
      true,
      'PreflightInvalidAllowCredentials',
    ],
    ['exact origin and ACAC true', [acao, acac, acam('PUT')], true, 'ok'],
    ['* without credentials', [['Access-Control-Allow-Origin', '*'], acam('PUT')], false, 'ok'],
  ];
  it.each(cases)('%s', (_name, headers, credentialsInclude, expected) => {
    expect(code(headers, { credentialsInclude })).toBe(expected);
  });

  it('quotes the offending values', () => {
    const result = checkPreflightResponse(
      { status: 204, headers: [acao, ['Access-Control-Allow-Credentials', 'TRUE']] },
      request({ credentialsInclude: true }),
      SPEC_PREFLIGHT_RULES,
    );
    expect(result).toEqual({
      ok: false,
      failure: {
        code: 'PreflightInvalidAllowCredentials',
        allowOrigin: ORIGIN,
        allowCredentials: 'TRUE',
      },
    });
  });
});

describe('checkPreflightResponse: ok status (WPT cors-preflight-status.any.js)', () => {
  for (const status of [200, 201, 202, 203, 204, 205, 206, 299]) {
    it(`passes on ${status}`, () => expect(code([acao, acam('PUT')], {}, status)).toBe('ok'));
  }
  for (const status of [
    300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 501, 502, 503, 504,
    505,
  ]) {
    it(`fails on ${status} without Location`, () =>
      expect(code([acao, acam('PUT')], {}, status)).toBe('PreflightInvalidStatus'));
  }
});

describe('checkPreflightResponse: list parsing (WPT cors-preflight-response-validation.any.js)', () => {
  it('fails the whole preflight on one invalid method token', () => {
    const result = checkPreflightResponse(
      { status: 200, headers: [acao, acam('PUT, Bad method')] },
      request(),
      SPEC_PREFLIGHT_RULES,
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { code: 'InvalidAllowMethodsPreflightResponse', element: 'Bad method' },
    });
  });

  it('fails on an invalid header token even when the method is fine', () => {
    expect(
      code([acao, acah('x-a, header name')], { method: 'GET', unsafeHeaderNames: ['x-a'] }),
    ).toBe('InvalidAllowHeadersPreflightResponse');
  });

  it('ignores empty elements and combines header lines', () => {
    expect(code([acao, acam(',, GET ,'), acam('PUT')])).toBe('ok');
    expect(
      code([acao, acah(''), acah('x-a,')], { method: 'GET', unsafeHeaderNames: ['x-a'] }),
    ).toBe('ok');
  });
});

describe('checkPreflightResponse: methods and stars (WPT cors-preflight-star.any.js)', () => {
  const cases: [string, string, string, boolean, string][] = [
    // [name, ACAM, method, credentials, expected]
    ['listed method', 'PUT', 'PUT', false, 'ok'],
    ['methods are case-sensitive', 'put', 'PUT', false, 'MethodDisallowedByPreflightResponse'],
    ['patch is not normalized', 'PATCH', 'patch', false, 'MethodDisallowedByPreflightResponse'],
    ['* allows any method without credentials', '*', 'SUPER', false, 'ok'],
    ['* is literal with credentials', '*', 'PUT', true, 'MethodDisallowedByPreflightResponse'],
    ['a method named * with credentials', '*', '*', true, 'ok'],
    ['safelisted methods need no listing', '', 'GET', true, 'ok'],
    ['safelisted methods need no listing (POST)', 'DELETE', 'POST', false, 'ok'],
  ];
  it.each(cases)('%s', (_name, methods, method, credentialsInclude, expected) => {
    const headers: HeaderList = credentialsInclude
      ? [acao, acac, acam(methods)]
      : [acao, acam(methods)];
    expect(code(headers, { method, credentialsInclude })).toBe(expected);
  });

  it('points at a method listed in another case', () => {
    const result = checkPreflightResponse(
      { status: 204, headers: [acao, acac, acam('put, *')] },
      request({ credentialsInclude: true }),
      SPEC_PREFLIGHT_RULES,
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { method: 'PUT', caseMismatch: 'put', wildcardIgnored: true },
    });
  });
});

describe('checkPreflightResponse: headers and stars (WPT cors-preflight-star.any.js)', () => {
  const cases: [string, string, string[], boolean, string][] = [
    // [name, ACAH, unsafe names, credentials, expected]
    ['listed header', 'X-Test', ['x-test'], false, 'ok'],
    ['header names are case-insensitive', 'x-TEST', ['x-test'], false, 'ok'],
    ['* covers any header without credentials', '*', ['x-test', 'x-other'], false, 'ok'],
    ['* is literal with credentials', '*', ['x-test'], true, 'HeaderDisallowedByPreflightResponse'],
    ['a header named * with credentials', '*', ['*'], true, 'ok'],
    ['missing header', 'x-a', ['x-a', 'x-b'], false, 'HeaderDisallowedByPreflightResponse'],
    ['authorization listed explicitly', 'Authorization', ['authorization'], true, 'ok'],
    [
      'authorization under * (standard)',
      '*',
      ['authorization'],
      false,
      'HeaderDisallowedByPreflightResponse',
    ],
    ['authorization under * and listed', '*, authorization', ['authorization', 'x-a'], false, 'ok'],
  ];
  it.each(cases)('%s', (_name, allow, unsafeHeaderNames, credentialsInclude, expected) => {
    const headers: HeaderList = credentialsInclude
      ? [acao, acac, acah(allow)]
      : [acao, acah(allow)];
    expect(code(headers, { method: 'GET', unsafeHeaderNames, credentialsInclude })).toBe(expected);
  });

  it('lets Authorization through under * when the browser rules say so, and says so', () => {
    const result = checkPreflightResponse(
      { status: 204, headers: [acao, acah('*')] },
      request({ method: 'GET', unsafeHeaderNames: ['authorization', 'x-a'] }),
      BROWSER_RULES,
    );
    expect(result).toMatchObject({ ok: true, authorizationByWildcard: true });
  });

  it('does not flag Authorization when it is listed explicitly', () => {
    const result = checkPreflightResponse(
      { status: 204, headers: [acao, acah('*, Authorization')] },
      request({ method: 'GET', unsafeHeaderNames: ['authorization'] }),
      BROWSER_RULES,
    );
    expect(result).toMatchObject({ ok: true, authorizationByWildcard: false });
  });

  it('never lets Authorization through under * with credentials', () => {
    expect(
      code(
        [acao, acac, acah('*')],
        { method: 'GET', unsafeHeaderNames: ['authorization'], credentialsInclude: true },
        204,
        BROWSER_RULES,
      ),
    ).toBe('HeaderDisallowedByPreflightResponse');
  });

  it('names the first disallowed header in sorted order and lists them all', () => {
    const result = checkPreflightResponse(
      { status: 204, headers: [acao, acah('x-b')] },
      request({ method: 'GET', unsafeHeaderNames: ['content-type', 'x-a', 'x-b', 'x-c'] }),
      SPEC_PREFLIGHT_RULES,
    );
    expect(result).toMatchObject({
      ok: false,
      failure: { header: 'content-type', disallowed: ['content-type', 'x-a', 'x-c'] },
    });
  });
});

describe('max-age rules', () => {
  const chromium: [string | null, number, string][] = [
    [null, 5, 'default'],
    ['10', 10, 'header'],
    ['+10', 10, 'header'],
    ['010', 10, 'header'],
    ['7200', 7200, 'header'],
    ['7201', 7200, 'capped'],
    ['86400', 7200, 'capped'],
    ['0', 0, 'not-cached'],
    ['-0', 0, 'not-cached'],
    ['-1', 0, 'not-cached'],
    ['abc', 5, 'invalid-default'],
    ['', 5, 'invalid-default'],
    ['10.5', 5, 'invalid-default'],
    ['1e3', 5, 'invalid-default'],
    ['0x10', 5, 'invalid-default'],
    ['10, 20', 5, 'invalid-default'],
    ['99999999999999999999', 5, 'invalid-default'],
    ['9223372036854775807', 7200, 'capped'],
  ];
  it.each(chromium)('Chromium reads %j as %i s (%s)', (value, seconds, source) => {
    expect(chromiumMaxAge(value)).toEqual({ seconds, source });
  });

  const firefox: [string | null, number, string][] = [
    [null, 5, 'default'],
    ['', 5, 'default'],
    ['10', 10, 'header'],
    ['86400', 86400, 'header'],
    ['86401', 86400, 'capped'],
    ['99999999999999999999', 86400, 'capped'],
    ['0', 0, 'not-cached'],
    ['000', 0, 'not-cached'],
    ['+10', 0, 'invalid-uncached'],
    ['-1', 0, 'invalid-uncached'],
    ['abc', 0, 'invalid-uncached'],
    ['10, 20', 0, 'invalid-uncached'],
  ];
  it.each(firefox)('Firefox reads %j as %i s (%s)', (value, seconds, source) => {
    expect(firefoxMaxAge(value)).toEqual({ seconds, source });
  });

  // CrossOriginPreflightResultCache.cpp; the cached/not-cached line of each measured on WebKitGTK
  // 2.50 by test/browser/webkit-differential.test.ts.
  const webkit: [string | null, number, string][] = [
    [null, 5, 'default'],
    ['', 5, 'invalid-default'],
    ['10', 10, 'header'],
    ['+10', 10, 'header'],
    ['600', 600, 'header'],
    ['601', 600, 'capped'],
    ['0', 0, 'not-cached'],
    ['-1', 0, 'not-cached'],
    ['abc', 5, 'invalid-default'],
    ['10.5', 5, 'invalid-default'],
    ['10, 20', 5, 'invalid-default'],
    ['99999999999999999999', 5, 'invalid-default'],
  ];
  it.each(webkit)('WebKit reads %j as %i s (%s)', (value, seconds, source) => {
    expect(webkitMaxAge(value)).toEqual({ seconds, source });
  });

  it('the standard reads non-digits as the default and applies the limit given', () => {
    expect(specMaxAge('abc')).toEqual({ seconds: 5, source: 'invalid-default' });
    expect(specMaxAge('100000', 86400)).toEqual({ seconds: 86400, source: 'capped' });
  });

  it('is reported on success', () => {
    const result = checkPreflightResponse(
      { status: 204, headers: [acao, acam('PUT'), ['Access-Control-Max-Age', '600']] },
      request(),
      BROWSER_RULES,
    );
    expect(result).toMatchObject({ ok: true, maxAge: { seconds: 600, source: 'header' } });
  });
});
