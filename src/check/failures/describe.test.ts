import { describe, expect, it } from 'vitest';
import { CHROMIUM, FIREFOX, WEBKIT } from '../profiles.js';
import { chromiumMessage, describeFailure, firefoxMessage, webkitMessage } from './describe.js';
import type { FailureContext, FailureDetail } from './detail.js';

const ctx: FailureContext = {
  profile: CHROMIUM,
  pageOrigin: 'https://app.example',
  requestOrigin: 'https://app.example',
  firstUrl: 'https://api.example/a',
  url: 'https://api.example/a',
  hop: 0,
  method: 'PUT',
  credentials: 'omit',
  unsafeHeaderNames: ['x-a'],
  step: 0,
};
const PREFIX =
  "Access to fetch at 'https://api.example/a' from origin 'https://app.example' has been blocked by CORS policy: ";
const cors = (
  code: FailureDetail['code'],
  allowOrigin: string | null,
  allowCredentials: string | null = null,
) => ({ code, allowOrigin, allowCredentials, status: 200 }) as FailureDetail;

describe("Chromium's console messages (captured from Chromium 156)", () => {
  it.each([
    [
      cors('MissingAllowOriginHeader', null),
      "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    ],
    [
      cors('AllowOriginMismatch', 'https://x.example'),
      "The 'Access-Control-Allow-Origin' header has a value 'https://x.example' that is not equal to the supplied origin. Have the server send the header with a valid value.",
    ],
    [
      cors('InvalidAllowOriginValue', 'foo'),
      "The 'Access-Control-Allow-Origin' header contains the invalid value 'foo'. Have the server send the header with a valid value.",
    ],
    [
      cors('MultipleAllowOriginValues', 'a, b'),
      "The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed. Have the server send the header with a valid value.",
    ],
    [
      cors('WildcardOriginNotAllowed', '*'),
      "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    ],
    [
      cors('InvalidAllowCredentials', 'https://app.example', 'True'),
      "The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.",
    ],
    [
      cors('PreflightMissingAllowOriginHeader', null),
      "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    ],
    [
      { code: 'PreflightInvalidStatus', status: 404 },
      "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    ],
    [
      { code: 'PreflightDisallowedRedirect', status: 302 },
      "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
    ],
    [
      { code: 'InvalidAllowMethodsPreflightResponse', value: 'a b', element: 'a b' },
      'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
    ],
    [
      {
        code: 'MethodDisallowedByPreflightResponse',
        method: 'PUT',
        allowMethods: [],
        wildcardIgnored: false,
        caseMismatch: null,
      },
      'Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.',
    ],
    [
      {
        code: 'HeaderDisallowedByPreflightResponse',
        header: 'x-a',
        disallowed: ['x-a'],
        allowHeaders: [],
        wildcardIgnored: false,
      },
      'Request header field x-a is not allowed by Access-Control-Allow-Headers in preflight response.',
    ],
    [
      { code: 'RedirectContainsCredentials', location: 'https://u:p@b.example/' },
      "Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
    ],
  ] as [FailureDetail, string][])('%#: %s', (detail, sentence) => {
    expect(chromiumMessage(detail, ctx)).toBe(PREFIX + sentence);
  });

  it('names the redirect target of a CorsDisabledScheme failure', () => {
    expect(chromiumMessage({ code: 'CorsDisabledScheme', location: 'ftp://x/' }, ctx)).toMatch(
      /^Access to fetch at 'ftp:\/\/x\/' \(redirected from 'https:\/\/api\.example\/a'\) from origin/,
    );
  });

  it('says "redirected from" after a redirect, and escapes non-ASCII bytes as Chromium does', () => {
    const message = chromiumMessage(cors('AllowOriginMismatch', 'caf\u00e9'), {
      ...ctx,
      url: 'https://b.example/',
      hop: 1,
    });
    expect(message).toContain(
      "Access to fetch at 'https://b.example/' (redirected from 'https://api.example/a')",
    );
    expect(message).toContain("'caf\\u00E9'");
  });

  it('uses the net error text for network-level refusals', () => {
    expect(chromiumMessage({ code: 'UnsafePort', url: 'http://a:6000/' }, ctx)).toBe(
      'Failed to load resource: net::ERR_UNSAFE_PORT',
    );
    expect(chromiumMessage({ code: 'TooManyRedirects', limit: 20 }, ctx)).toBe(
      'Failed to load resource: net::ERR_TOO_MANY_REDIRECTS',
    );
  });
});

describe("Firefox's console messages (compared with Firefox ESR 153)", () => {
  const at =
    'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at';
  const ff = (lines: number): FailureContext => ({
    ...ctx,
    profile: FIREFOX,
    response: { status: 200, allowOriginLines: lines },
  });

  it.each([
    [
      cors('MissingAllowOriginHeader', null),
      0,
      `${at} https://api.example/a. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.`,
    ],
    [
      cors('AllowOriginMismatch', 'https://x.example'),
      1,
      `${at} https://api.example/a. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://x.example’).`,
    ],
    // Firefox counts lines: a list in one line does not match, two lines are "multiple".
    [
      cors('MultipleAllowOriginValues', '*, *'),
      1,
      `${at} https://api.example/a. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘*, *’).`,
    ],
    [
      cors('MultipleAllowOriginValues', '*, *'),
      2,
      `${at} https://api.example/a. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`,
    ],
    // Only this string quotes the URL.
    [
      cors('WildcardOriginNotAllowed', '*'),
      1,
      `${at} ‘https://api.example/a’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`,
    ],
    [
      cors('InvalidAllowCredentials', 'https://app.example', 'True'),
      1,
      `${at} https://api.example/a. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`,
    ],
    // Header bytes are decoded as UTF-8: a lone latin-1 byte prints as U+FFFD.
    [
      cors('InvalidAllowOriginValue', 'https://app.example\u00e9'),
      1,
      `${at} https://api.example/a. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://app.example\ufffd’).`,
    ],
  ])('%j with %i ACAO line(s)', (detail, lines, expected) => {
    expect(firefoxMessage(detail, ff(lines))).toBe(expected);
  });

  it('names the status of a failed preflight, and calls a refused redirect "did not succeed"', () => {
    expect(
      firefoxMessage(
        { code: 'PreflightInvalidStatus', status: 404 },
        { ...ff(1), response: { status: 404, allowOriginLines: 1 } },
      ),
    ).toBe(
      `${at} https://api.example/a. (Reason: CORS preflight response did not succeed). Status code: 404.`,
    );
    expect(firefoxMessage({ code: 'UnsafeRedirect', location: 'data:,x' }, ff(1))).toBe(
      `${at} https://api.example/a. (Reason: CORS request did not succeed). Status code: (null).`,
    );
  });
});

describe("WebKit's console messages (from its source)", () => {
  const wk = (status = 200): FailureContext => ({
    ...ctx,
    profile: WEBKIT,
    response: { status, allowOriginLines: 1 },
  });

  it.each([
    [
      cors('MissingAllowOriginHeader', null),
      'Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 200',
    ],
    [
      cors('AllowOriginMismatch', 'https://app.example/'),
      'Origin https://app.example is not allowed by Access-Control-Allow-Origin. Status code: 200',
    ],
    [
      cors('MultipleAllowOriginValues', 'https://a.example, https://app.example'),
      'Access-Control-Allow-Origin cannot contain more than one origin.',
    ],
    [
      cors('WildcardOriginNotAllowed', '*'),
      'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
    ],
    [
      cors('PreflightInvalidAllowCredentials', 'https://app.example', 'True'),
      'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
    ],
  ])('%j', (detail, expected) => {
    expect(webkitMessage(detail, wk())).toBe(expected);
  });

  it('names the status of a failed preflight and the method or header refused', () => {
    expect(webkitMessage({ code: 'PreflightInvalidStatus', status: 404 }, wk(404))).toBe(
      'Preflight response is not successful. Status code: 404',
    );
    expect(
      describeFailure(
        { code: 'TooManyRedirects', limit: 20 },
        { ...wk(), url: 'https://api.example/loop' },
      ).message,
    ).toBe('Fetch API cannot load https://api.example/loop due to access control checks.');
  });
});

describe('describeFailure', () => {
  it('explains in plain words with the specifics, and points at the fix', () => {
    const f = describeFailure(cors('AllowOriginMismatch', 'https://app.example/'), ctx);
    expect(f.explanation).toContain('trailing "/"');
    expect(f.failedParameter).toBe('https://app.example/');
    expect(f.fix.header).toEqual({
      name: 'Access-Control-Allow-Origin',
      value: 'https://app.example',
    });
    expect(f.step).toBe(0);
  });

  it('explains a case-mismatched method and the credentials rule for *', () => {
    const f = describeFailure(
      {
        code: 'MethodDisallowedByPreflightResponse',
        method: 'PUT',
        allowMethods: ['put', '*'],
        wildcardIgnored: true,
        caseMismatch: 'put',
      },
      { ...ctx, credentials: 'include' },
    );
    expect(f.explanation).toContain('case-sensitively');
    expect(f.explanation).toContain('with credentials it is taken literally');
  });

  it('picks the Firefox wording for the firefox profile', () => {
    expect(
      describeFailure(cors('MissingAllowOriginHeader', null), { ...ctx, profile: FIREFOX }).message,
    ).toMatch(/^Cross-Origin Request Blocked/);
  });
});
