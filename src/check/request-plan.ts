/**
 * What a browser makes of a `fetch(url, init)` call before anything goes on the wire: the request
 * constructor's validation, the headers it silently drops, method normalization, and whether a
 * cross-origin request needs a preflight, and why.
 *
 * https://fetch.spec.whatwg.org/#dom-request (the Request constructor) and #main-fetch.
 */
import {
  asciiLowercase,
  corsUnsafeRequestHeaderNames,
  type HeaderEntry,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isHeaderValue,
  isMethod,
  isSafelistedMethod,
  isSameOrigin,
  isToken,
  normalizeMethod,
  originOfUrl,
  SAFELISTED_VALUE_BUDGET,
  trimHttpWhitespace,
} from 'corsproof/spec';
import { CheckInputError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { BrowserProfile } from './profiles.js';
import type { DroppedHeader, PreflightTrigger, RequestPlan } from './result.js';

/** fetch.bs "extract a body": a string body's default Content-Type. */
export const TEXT_BODY_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Builds the request plan, throwing a `CheckInputError` (a TypeError, as fetch() throws) for a
 * method or header fetch() would refuse.
 */
export function planRequest(options: ResolvedOptions, profile: BrowserProfile): RequestPlan {
  // Request constructor step 25: a method must be a token and not forbidden; then normalize.
  if (!isMethod(options.method)) {
    throw new CheckInputError(
      'INVALID_METHOD',
      'method',
      `${JSON.stringify(options.method)} is not a valid HTTP method (a method is a token: letters, digits and !#$%&'*+-.^_\`|~)`,
    );
  }
  if (isForbiddenMethod(options.method)) {
    throw new CheckInputError(
      'FORBIDDEN_METHOD',
      'method',
      `'${options.method}' HTTP method is unsupported: fetch() refuses CONNECT, TRACE and TRACK`,
    );
  }
  const method = normalizeMethod(options.method);

  const { kept, dropped } = pageHeaderLines(options, method);
  const headers = combineSameNames(kept, profile);
  const unsafeHeaderNames = unsafeNamesOfLines(kept, headers, profile);
  const sameOrigin = isSameOrigin(originOfUrl(options.url), options.page);
  return {
    url: options.url.href,
    origin: options.origin,
    method,
    credentials: options.credentials,
    headers,
    dropped,
    body: options.body,
    unsafeHeaderNames,
    sameOrigin,
    preflight: preflightPlan(method, headers, unsafeHeaderNames, profile),
  };
}

/**
 * The header lines the page's request keeps, in order: the Request constructor's checks (steps
 * 32-33: names must be tokens, values valid once trimmed; forbidden headers dropped silently), and
 * the Content-Type a string body brings when the page set none (steps 36-37, "extract a body").
 */
function pageHeaderLines(
  options: ResolvedOptions,
  method: string,
): { kept: HeaderEntry[]; dropped: DroppedHeader[] } {
  const kept: HeaderEntry[] = [];
  const dropped: DroppedHeader[] = [];
  for (const [name, rawValue] of options.headers) {
    if (!isToken(name)) {
      throw new CheckInputError(
        'INVALID_HEADER_NAME',
        'headers',
        `${JSON.stringify(name)} is not a valid header name (a header name is a token, no spaces or colons)`,
      );
    }
    // Headers "append" step 1: normalize (trim HTTP whitespace), then validate.
    const value = trimHttpWhitespace(rawValue);
    if (!isHeaderValue(value)) {
      throw new CheckInputError(
        'INVALID_HEADER_VALUE',
        'headers',
        `the value of ${name} is not a valid header value (no NUL, CR or LF, and only characters up to U+00FF)`,
      );
    }
    if (isForbiddenRequestHeader(name, value)) dropped.push({ name, value });
    else kept.push([name, value]);
  }
  if (options.body !== null) {
    if (method === 'GET' || method === 'HEAD') {
      throw new CheckInputError(
        'BODY_NOT_ALLOWED',
        'body',
        'Request with GET/HEAD method cannot have body: use another method or drop the body',
      );
    }
    if (!kept.some(([n]) => asciiLowercase(n) === 'content-type')) {
      kept.push(['Content-Type', TEXT_BODY_CONTENT_TYPE]);
    }
  }
  return { kept, dropped };
}

/** The CORS-unsafe request-header names of the page's header lines, as `profile` judges them. */
function unsafeNamesOfLines(
  lines: readonly HeaderEntry[],
  combined: readonly HeaderEntry[],
  profile: BrowserProfile,
): string[] {
  if (lines.length === 0) return [];
  return profile.keepsHeaderLines
    ? unsafeHeaderLineNames(lines, profile)
    : corsUnsafeRequestHeaderNames(combined, profile.isSafelistedRequestHeader);
}

/**
 * The CORS-unsafe request-header names another browser profile would find in the same request
 * (for the warning where the two browsers disagree), without building a whole plan for it.
 */
export function unsafeHeaderNamesFor(options: ResolvedOptions, profile: BrowserProfile): string[] {
  if (options.headers.length === 0) return [];
  const { kept } = pageHeaderLines(options, normalizeMethod(options.method));
  return unsafeNamesOfLines(kept, combineSameNames(kept, profile), profile);
}

/**
 * The CORS-unsafe request-header names when every header line is judged on its own and there is no
 * 1024-byte total (Firefox ESR 153, measured: `Content-Type: text/plain` twice, or nine
 * `Accept-Language` lines of 128 bytes, need no preflight there).
 */
function unsafeHeaderLineNames(lines: readonly HeaderEntry[], profile: BrowserProfile): string[] {
  const unsafe = new Set<string>();
  for (const [name, value] of lines) {
    if (!profile.isSafelistedRequestHeader(name, value)) unsafe.add(asciiLowercase(name));
  }
  return [...unsafe].sort();
}

/**
 * The CORS-unsafe request-header names at a redirect hop, whose headers are the plan's minus those
 * redirects removed.
 */
export function unsafeHeaderNamesAt(
  plan: RequestPlan,
  headers: readonly HeaderEntry[],
  profile: BrowserProfile,
): readonly string[] {
  // Until a redirect removes a header, the plan's own answer holds.
  if (headers === plan.headers) return plan.unsafeHeaderNames;
  if (!profile.keepsHeaderLines) {
    return corsUnsafeRequestHeaderNames(headers, profile.isSafelistedRequestHeader);
  }
  // Redirects remove whole names, so the lines left are the plan's lines of the names left.
  const left = new Set(headers.map(([name]) => asciiLowercase(name)));
  return plan.unsafeHeaderNames.filter((name) => left.has(name));
}

/**
 * Same-named headers travel as one line, values joined by ", " (verified by both differential
 * suites), except that Firefox sends only the first Content-Type line (measured on ESR 153).
 */
function combineSameNames(entries: readonly HeaderEntry[], profile: BrowserProfile): HeaderEntry[] {
  const out: [string, string][] = [];
  const index = new Map<string, number>();
  for (const [name, value] of entries) {
    const lower = asciiLowercase(name);
    const at = index.get(lower);
    const existing = at === undefined ? undefined : out[at];
    if (existing === undefined) {
      index.set(lower, out.length);
      out.push([name, value]);
    } else if (!(profile.keepsHeaderLines && lower === 'content-type')) {
      existing[1] = `${existing[1]}, ${value}`;
    }
  }
  return out;
}

/** fetch.bs "main fetch" step 12: a preflight iff the method or a header is not safelisted. */
function preflightPlan(
  method: string,
  headers: readonly HeaderEntry[],
  unsafeHeaderNames: readonly string[],
  profile: BrowserProfile,
): RequestPlan['preflight'] {
  const triggers: PreflightTrigger[] = [];
  if (!isSafelistedMethod(method)) {
    triggers.push({ kind: 'method', method, detail: methodDetail(method) });
  }
  const unsafe = new Set(unsafeHeaderNames);
  const budget = headers
    .filter(([n, v]) => profile.isSafelistedRequestHeader(n, v))
    .reduce((sum, [, v]) => sum + v.length, 0);
  for (const [name, value] of headers) {
    const lower = asciiLowercase(name);
    if (!unsafe.has(lower)) continue;
    triggers.push({
      kind: 'header',
      name: lower,
      value,
      detail: headerDetail(lower, value, budget, profile),
    });
  }
  return triggers.length === 0 ? { needed: false } : { needed: true, triggers };
}

function methodDetail(method: string): string {
  const upper = method.toUpperCase();
  if (upper !== method && isSafelistedMethod(upper)) {
    return `${method} is not GET, HEAD or POST: only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased by fetch()`;
  }
  if (upper !== method) {
    return `${method} is not GET, HEAD or POST, and fetch() sends it as written ("${method}", not "${upper}"), so the server must allow "${method}" exactly`;
  }
  return `${method} is not GET, HEAD or POST`;
}

function headerDetail(
  name: string,
  value: string,
  budget: number,
  profile: BrowserProfile,
): string {
  if (profile.isSafelistedRequestHeader(name, value)) {
    return `the safelisted headers' values add up to ${budget} bytes, over the ${SAFELISTED_VALUE_BUDGET}-byte budget, so all of them need a preflight`;
  }
  // Too long only: the same value cut to 128 bytes would pass.
  if (value.length > 128 && profile.isSafelistedRequestHeader(name, value.slice(0, 128))) {
    return `its value is ${value.length} bytes long; a safelisted header's value may have at most 128`;
  }
  switch (name) {
    case 'content-type':
      return `Content-Type ${JSON.stringify(value)} is not application/x-www-form-urlencoded, multipart/form-data or text/plain`;
    case 'accept':
      return `its value contains a byte browsers treat as unsafe (a control character or one of "():<>?@[\\]{})`;
    case 'accept-language':
    case 'content-language':
      return 'its value may only hold letters, digits, space and * , - . ; =';
    case 'range':
      return 'a safelisted Range is one range of the form bytes=N- or bytes=N-M';
    case 'authorization':
      return 'Authorization is never safelisted, and never covered by "*" per the standard';
    default:
      return `${name} is not a CORS-safelisted request header`;
  }
}
