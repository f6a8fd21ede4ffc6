/**
 * Failures as a developer meets them: the code (after Chromium's `CorsError`), the line the browser
 * console prints, and an explanation in plain words. The Chromium wording below was captured from
 * Chromium 156 by the differential suite (test/browser/checker-differential.test.ts); the Firefox
 * wording is from its `security.properties` strings, compared with Firefox ESR 153 by
 * test/browser/firefox-differential.test.ts.
 */
import type { CorsCheckFailure } from '../spec/cors-check.js';
import type { PreflightFailure } from '../spec/preflight-check.js';
import { fixFor } from './fixes.js';
import type { BrowserProfile } from './profiles.js';
import type { CredentialsMode, Failure, GalxeFailureCode } from './result.js';

/** Everything a failure can quote. */
export type FailureDetail =
  | {
      readonly code: CorsCheckFailure;
      readonly allowOrigin: string | null;
      readonly allowCredentials: string | null;
      readonly status: number;
    }
  | PreflightFailure
  | { readonly code: 'RedirectContainsCredentials'; readonly location: string }
  | { readonly code: 'CorsDisabledScheme'; readonly location: string }
  | { readonly code: 'UnsafeRedirect'; readonly location: string }
  | { readonly code: 'InvalidRedirect'; readonly location: string }
  | { readonly code: 'TooManyRedirects'; readonly limit: number }
  | { readonly code: 'UnsafePort'; readonly url: string }
  | { readonly code: 'MixedContent'; readonly url: string }
  | {
      readonly code: GalxeFailureCode;
      readonly status: number;
      readonly allowOrigin: string | null;
      readonly allowMethods: string | null;
      readonly method: string;
    };

/** Where and for what request the failure happened. */
export interface FailureContext {
  readonly profile: BrowserProfile;
  /** The page origin (what the console names, even once the request origin became `null`). */
  readonly pageOrigin: string;
  /** The Origin the request carried at that point (`null` after a tainting redirect). */
  readonly requestOrigin: string;
  /** The URL asked for. */
  readonly firstUrl: string;
  /** The URL whose response failed. */
  readonly url: string;
  readonly hop: number;
  readonly method: string;
  readonly credentials: CredentialsMode;
  readonly unsafeHeaderNames: readonly string[];
  /** Index of the failed step, null when nothing was sent. */
  readonly step: number | null;
  /**
   * The failed response's status and its number of Access-Control-Allow-Origin lines, when a
   * response failed: Firefox's console line depends on both.
   */
  readonly response?: { readonly status: number; readonly allowOriginLines: number };
}

/** Builds the full failure record: message, explanation, failed parameter and fix. */
export function describeFailure(detail: FailureDetail, ctx: FailureContext): Failure {
  return {
    code: detail.code,
    step: ctx.step,
    message:
      ctx.profile.name === 'firefox' ? firefoxMessage(detail, ctx) : chromiumMessage(detail, ctx),
    explanation: explain(detail, ctx),
    failedParameter: failedParameter(detail),
    fix: fixFor(detail, ctx),
  };
}

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
const VALID_VALUE = ' Have the server send the header with a valid value.';

/** The CORS-check sentences, shared by the actual-response and preflight variants. */
function corsSentence(
  code: CorsCheckFailure,
  allowOrigin: string,
  allowCredentials: string,
): string {
  switch (code) {
    case 'MissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'MultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${allowOrigin}', but only one is allowed.${VALID_VALUE}`;
    case 'InvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${allowOrigin}'.${VALID_VALUE}`;
    case 'AllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${allowOrigin}' that is not equal to the supplied origin.${VALID_VALUE}`;
    case 'WildcardOriginNotAllowed':
      return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
    case 'InvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${allowCredentials}' which must be 'true' when the request's credentials mode is 'include'.`;
  }
}

/** Chromium writes characters above U+007F in console messages as `\uXXXX` (measured). */
function escapeNonAscii(value: string): string {
  return value.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Chromium's console line (`cors_error_string.cc` wording, verified on Chromium 156). */
export function chromiumMessage(detail: FailureDetail, ctx: FailureContext): string {
  // A redirect to a scheme CORS cannot handle is reported against the redirect target.
  const url = detail.code === 'CorsDisabledScheme' ? detail.location : ctx.url;
  const hop = detail.code === 'CorsDisabledScheme' ? ctx.hop + 1 : ctx.hop;
  const redirected = hop > 0 ? ` (redirected from '${ctx.firstUrl}')` : '';
  const blocked = `Access to fetch at '${url}'${redirected} from origin '${ctx.pageOrigin}' has been blocked by CORS policy: `;
  switch (detail.code) {
    case 'MissingAllowOriginHeader':
    case 'MultipleAllowOriginValues':
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'WildcardOriginNotAllowed':
    case 'InvalidAllowCredentials':
      return (
        blocked +
        corsSentence(
          detail.code,
          escapeNonAscii(detail.allowOrigin ?? ''),
          escapeNonAscii(detail.allowCredentials ?? ''),
        )
      );
    case 'PreflightMissingAllowOriginHeader':
    case 'PreflightMultipleAllowOriginValues':
    case 'PreflightInvalidAllowOriginValue':
    case 'PreflightAllowOriginMismatch':
    case 'PreflightWildcardOriginNotAllowed':
    case 'PreflightInvalidAllowCredentials':
      return (
        blocked +
        PREFLIGHT_PREFIX +
        corsSentence(
          detail.code.slice('Preflight'.length) as CorsCheckFailure,
          escapeNonAscii(detail.allowOrigin ?? ''),
          escapeNonAscii(detail.allowCredentials ?? ''),
        )
      );
    case 'PreflightInvalidStatus':
      return `${blocked}${PREFLIGHT_PREFIX}It does not have HTTP ok status.`;
    case 'PreflightDisallowedRedirect':
      return `${blocked}${PREFLIGHT_PREFIX}Redirect is not allowed for a preflight request.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return `${blocked}Cannot parse Access-Control-Allow-Methods response header field in preflight response.`;
    case 'InvalidAllowHeadersPreflightResponse':
      return `${blocked}Cannot parse Access-Control-Allow-Headers response header field in preflight response.`;
    case 'MethodDisallowedByPreflightResponse':
      return `${blocked}Method ${detail.method} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `${blocked}Request header field ${detail.header} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      // Chromium 156 prints the location as '' (measured); kept verbatim so it matches the console.
      return `${blocked}Redirect location '' contains a username and password, which is disallowed for cross-origin requests.`;
    case 'CorsDisabledScheme':
      return `${blocked}Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.`;
    case 'InvalidRedirect':
      return 'Failed to load resource: net::ERR_INVALID_REDIRECT';
    case 'UnsafeRedirect':
      return 'Failed to load resource: net::ERR_UNSAFE_REDIRECT';
    case 'TooManyRedirects':
      return 'Failed to load resource: net::ERR_TOO_MANY_REDIRECTS';
    case 'UnsafePort':
      return 'Failed to load resource: net::ERR_UNSAFE_PORT';
    case 'MixedContent':
      return `Mixed Content: The page at '${ctx.pageOrigin}/' was loaded over HTTPS, but requested an insecure resource '${detail.url}'. This request has been blocked; the content must be served over HTTPS.`;
    default:
      return galxeMessage(detail);
  }
}

/**
 * Firefox's console line (`security.properties` `CORS*` strings, as `nsCORSListenerProxy.cpp` fills
 * them; compared with Firefox ESR 153). Firefox counts Access-Control-Allow-Origin lines, so one line
 * holding a list "does not match" while two lines are "multiple"; only a missing header and a failed
 * preflight status name the status code; a redirect Firefox refuses is a request that "did not
 * succeed", named by the URL that redirected.
 */
export function firefoxMessage(detail: FailureDetail, ctx: FailureContext): string {
  const at = (url: string) =>
    `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: `;
  const blocked = at(ctx.url);
  const status = ctx.response === undefined ? '' : ` Status code: ${ctx.response.status}.`;
  const noMatch = (value: string | null) =>
    `${blocked}CORS header ‘Access-Control-Allow-Origin’ does not match ‘${utf8(value ?? '')}’).`;
  switch (detail.code) {
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return `${blocked}CORS header ‘Access-Control-Allow-Origin’ missing).${status}`;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return (ctx.response?.allowOriginLines ?? 2) > 1
        ? `${blocked}Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`
        : noMatch(detail.allowOrigin);
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'PreflightInvalidAllowOriginValue':
    case 'PreflightAllowOriginMismatch':
      return noMatch(detail.allowOrigin);
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      // The only string that quotes the URL.
      return `${at(`‘${ctx.url}’`)}Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `${blocked}expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`;
    case 'PreflightInvalidStatus':
      return `${blocked}CORS preflight response did not succeed).${status}`;
    case 'PreflightDisallowedRedirect':
      return `${blocked}CORS request external redirect not allowed).`;
    case 'InvalidAllowMethodsPreflightResponse':
      return `${blocked}invalid token ‘${detail.element}’ in CORS header ‘Access-Control-Allow-Methods’).`;
    case 'InvalidAllowHeadersPreflightResponse':
      return `${blocked}invalid token ‘${detail.element}’ in CORS header ‘Access-Control-Allow-Headers’).`;
    case 'MethodDisallowedByPreflightResponse':
      return `${blocked}Did not find method in CORS header ‘Access-Control-Allow-Methods’).`;
    case 'HeaderDisallowedByPreflightResponse':
      return `${blocked}header ‘${detail.header}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`;
    case 'RedirectContainsCredentials':
    case 'CorsDisabledScheme':
    case 'UnsafeRedirect':
    case 'InvalidRedirect':
    case 'TooManyRedirects':
      return `${blocked}CORS request did not succeed). Status code: (null).`;
    // Firefox prints no CORS line for these (measured for a bad port); Chromium's is the closest.
    case 'UnsafePort':
    case 'MixedContent':
      return chromiumMessage(detail, ctx);
    default:
      return galxeMessage(detail);
  }
}

/** Header bytes as Firefox prints them: decoded as UTF-8, a stray latin-1 byte becoming U+FFFD. */
function utf8(value: string): string {
  return new TextDecoder().decode(Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff));
}

type GalxeDetail = Extract<FailureDetail, { code: GalxeFailureCode }>;

function isGalxeDetail(detail: FailureDetail): detail is GalxeDetail {
  return detail.code.startsWith('Galxe');
}

function galxeMessage(detail: FailureDetail): string {
  if (!isGalxeDetail(detail)) return detail.code;
  switch (detail.code) {
    case 'GalxeInvalidStatus':
      return `Galxe CORS Check failed: the OPTIONS preflight answered ${detail.status}, not 2xx.`;
    case 'GalxeMissingAllowOrigin':
      return 'Galxe CORS Check failed: the preflight response has no Access-Control-Allow-Origin header.';
    case 'GalxeAllowOriginMismatch':
      return `Galxe CORS Check failed: Access-Control-Allow-Origin is '${detail.allowOrigin ?? ''}', neither 'https://dashboard.galxe.com' nor '*'.`;
    case 'GalxeMethodNotAllowed':
      return `Galxe CORS Check failed: Access-Control-Allow-Methods ('${detail.allowMethods ?? ''}') does not list ${detail.method}.`;
  }
}

function failedParameter(detail: FailureDetail): string {
  switch (detail.code) {
    case 'MultipleAllowOriginValues':
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'PreflightMultipleAllowOriginValues':
    case 'PreflightInvalidAllowOriginValue':
    case 'PreflightAllowOriginMismatch':
      return detail.allowOrigin ?? '';
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return detail.allowCredentials ?? '';
    case 'MethodDisallowedByPreflightResponse':
      return detail.method;
    case 'HeaderDisallowedByPreflightResponse':
      return detail.header;
    default:
      return '';
  }
}

const ONE_ORIGIN = 'exactly one origin, byte for byte as the browser sends it';

/** What went wrong, in plain words, with the specifics of this response. */
function explain(detail: FailureDetail, ctx: FailureContext): string {
  const where = ctx.hop > 0 ? ` (after ${ctx.hop} redirect${ctx.hop > 1 ? 's' : ''})` : '';
  const origin = ctx.requestOrigin;
  const tainted =
    origin === 'null' && ctx.pageOrigin !== 'null'
      ? ' The request carried `Origin: null` because a redirect went from one origin to another (the origin is "tainted" for the rest of the chain).'
      : '';
  switch (detail.code) {
    case 'MissingAllowOriginHeader':
      return `The response from ${ctx.url}${where} (status ${detail.status}) has no Access-Control-Allow-Origin header, so the page may not read it. The request itself reached the server; only the response is withheld from script.${tainted}`;
    case 'PreflightMissingAllowOriginHeader':
      return `The preflight (OPTIONS ${ctx.url}${where}) was answered without Access-Control-Allow-Origin, so the browser never sent the ${ctx.method} request. Servers often route OPTIONS to a 404/405 handler, or put it behind authentication; the preflight never carries cookies or Authorization.${tainted}`;
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return `Access-Control-Allow-Origin must hold ${ONE_ORIGIN}; it holds ${JSON.stringify(detail.allowOrigin)}. Two header lines (often one from the application and one from a proxy or CDN) are combined into one list, and a list never matches.`;
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
      return `Access-Control-Allow-Origin is ${JSON.stringify(detail.allowOrigin)}, which is neither "*" nor an origin. It must be ${ONE_ORIGIN}: ${JSON.stringify(origin)}.${tainted}`;
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return `Access-Control-Allow-Origin is ${JSON.stringify(detail.allowOrigin)} but the request's origin is ${JSON.stringify(origin)}. Browsers compare the two byte for byte${mismatchHint(detail.allowOrigin ?? '', origin)}.${tainted}`;
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return `The request is sent with credentials (credentials: 'include'), and then "*" is not accepted: the server must name the origin (${JSON.stringify(origin)}) and send Access-Control-Allow-Credentials: true.${tainted}`;
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return `With credentials: 'include' the ${detail.code.startsWith('Preflight') ? 'preflight response' : 'response'} must carry Access-Control-Allow-Credentials: true, exactly that (lower case, one line); it has ${detail.allowCredentials === null ? 'none' : JSON.stringify(detail.allowCredentials)}.`;
    case 'PreflightInvalidStatus':
      return `The preflight (OPTIONS ${ctx.url}) was answered with status ${detail.status}; browsers need a 2xx status (200 or 204). Typical causes: no route for OPTIONS (404/405), authentication in front of it (401/403), or a server error.`;
    case 'PreflightDisallowedRedirect':
      return `The preflight (OPTIONS ${ctx.url}) was answered with a redirect (${detail.status}). Browsers never follow a redirect on a preflight. Typical causes: http to https, a missing or extra trailing slash, or a login redirect.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return `Access-Control-Allow-Methods is ${JSON.stringify(detail.value)}; ${JSON.stringify(detail.element)} is not a method name (a token: no spaces, no quotes), and one bad element fails the whole preflight.`;
    case 'InvalidAllowHeadersPreflightResponse':
      return `Access-Control-Allow-Headers is ${JSON.stringify(detail.value)}; ${JSON.stringify(detail.element)} is not a header name (a token: no spaces, no quotes, no colons), and one bad element fails the whole preflight.`;
    case 'MethodDisallowedByPreflightResponse':
      return methodExplanation(detail);
    case 'HeaderDisallowedByPreflightResponse':
      return headerExplanation(detail);
    case 'RedirectContainsCredentials':
      return `A redirect pointed to ${JSON.stringify(detail.location)}, which contains a user name or password; browsers refuse to follow such a redirect in a cross-origin request.`;
    case 'CorsDisabledScheme':
      return `A redirect pointed to ${JSON.stringify(detail.location)}, which is not an http(s) URL; CORS requests can only go to http and https.`;
    case 'UnsafeRedirect':
      return `A redirect pointed to ${JSON.stringify(detail.location)}; browsers never follow a redirect to a data:, file:, about:, blob: or filesystem: URL.`;
    case 'InvalidRedirect':
      return `A redirect's Location (${JSON.stringify(detail.location)}) is not a valid URL.`;
    case 'TooManyRedirects':
      return `The request was redirected more than ${detail.limit} times; browsers give up after 20.`;
    case 'UnsafePort':
      return `${detail.url} uses a port browsers refuse to connect to (the Fetch standard's "bad port" list, e.g. 6000, 6667, 10080).`;
    case 'MixedContent':
      return `The page is served over https but ${detail.url} is plain http; browsers block such "mixed content" requests before they are sent.`;
    default:
      return galxeExplanation(detail, ctx);
  }
}

function galxeExplanation(detail: FailureDetail, ctx: FailureContext): string {
  if (!isGalxeDetail(detail)) return detail.code;
  switch (detail.code) {
    case 'GalxeInvalidStatus':
      return `Galxe's backend sent a preflight (OPTIONS ${ctx.url}) and got ${detail.status}; it needs a 2xx status (its documentation shows 204). APIs that only route GET and POST answer OPTIONS with 404 or 405.`;
    case 'GalxeMissingAllowOrigin':
      return 'The preflight response has no Access-Control-Allow-Origin; Galxe needs https://dashboard.galxe.com or *.';
    case 'GalxeAllowOriginMismatch':
      return `The preflight response's Access-Control-Allow-Origin is ${JSON.stringify(detail.allowOrigin)}; Galxe needs exactly https://dashboard.galxe.com or *.`;
    case 'GalxeMethodNotAllowed':
      return `The preflight response's Access-Control-Allow-Methods is ${detail.allowMethods === null ? 'absent' : JSON.stringify(detail.allowMethods)}; Galxe needs it to list ${detail.method} (its documentation shows "GET, POST, OPTIONS").`;
  }
}

function mismatchHint(value: string, origin: string): string {
  if (value === `${origin}/`) return ': the value has a trailing "/", an origin never does';
  if (value.toLowerCase() === origin)
    return ': the case differs (browsers send scheme and host in lower case)';
  if (/:(80|443)$/.test(value) && value.replace(/:(80|443)$/, '') === origin) {
    return ': the value includes the default port, which browsers leave out';
  }
  if (value.replace(/^https?:/, '') === origin.replace(/^https?:/, '')) {
    return ': the scheme differs (http versus https)';
  }
  if (value === 'null') return ': "null" only matches requests whose origin is opaque or tainted';
  return '';
}

function methodExplanation(
  detail: Extract<PreflightFailure, { code: 'MethodDisallowedByPreflightResponse' }>,
): string {
  const listed =
    detail.allowMethods.length === 0 ? 'nothing' : JSON.stringify(detail.allowMethods.join(', '));
  let text = `The preflight allowed ${listed}, not ${detail.method}.`;
  if (detail.caseMismatch !== null) {
    text += ` Methods are compared case-sensitively: ${JSON.stringify(detail.caseMismatch)} does not allow ${JSON.stringify(detail.method)}.`;
  }
  if (detail.wildcardIgnored) {
    text +=
      ' "*" only means "any method" for requests without credentials; with credentials it is taken literally.';
  }
  if (detail.method !== detail.method.toUpperCase()) {
    text += ` fetch() only upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT, so the page sends ${JSON.stringify(detail.method)}; write the method in upper case in the page, or allow it as written.`;
  }
  return text;
}

function headerExplanation(
  detail: Extract<PreflightFailure, { code: 'HeaderDisallowedByPreflightResponse' }>,
): string {
  const listed =
    detail.allowHeaders.length === 0
      ? 'no headers'
      : JSON.stringify(detail.allowHeaders.join(', '));
  const missing = detail.disallowed.join(', ');
  let text = `The request sets ${missing}, which ${detail.disallowed.length > 1 ? 'are' : 'is'} not CORS-safelisted, and the preflight allowed ${listed}.`;
  if (detail.wildcardIgnored) {
    text +=
      ' "*" only means "any header" for requests without credentials; with credentials it is taken literally.';
  }
  if (detail.disallowed.includes('authorization')) {
    text += ' Authorization must always be listed by name.';
  }
  return text;
}
