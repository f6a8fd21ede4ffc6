/**
 * Which request headers a browser lets through without a preflight, which it never sends, and how it
 * names the rest in Access-Control-Request-Headers.
 * https://fetch.spec.whatwg.org/#cors-safelisted-request-header and neighbouring definitions.
 */
import { asciiLowercase, getDecodeAndSplit } from './http-grammar.js';
import { parseTokenList } from './list-value.js';
import { isForbiddenMethod } from './methods.js';
import { mimeEssence } from './mime.js';

/** A header as a page sets it: name and value, in the order given. */
export type HeaderEntry = readonly [name: string, value: string];

/**
 * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
 * A byte < 0x20 other than HT, or one of `"():<>?@[\]{}` and DEL.
 */
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  if (code < 0x20) return code !== 0x09;
  switch (code) {
    case 0x22:
    case 0x28:
    case 0x29:
    case 0x3a:
    case 0x3c:
    case 0x3e:
    case 0x3f:
    case 0x40:
    case 0x5b:
    case 0x5c:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x7f:
      return true;
    default:
      return false;
  }
}

function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  }
  return false;
}

/** 0-9 A-Z a-z SP * , - . ; = : the bytes Accept-Language and Content-Language may hold. */
function isLanguageValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x20 ||
      c === 0x2a ||
      c === 0x2c ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x3b ||
      c === 0x3d;
    if (!ok) return false;
  }
  return true;
}

const SAFELISTED_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * https://fetch.spec.whatwg.org/#simple-range-header-value — "parse a single range header value"
 * with allowWhitespace false, returning [start, end] (either may be null) or null on failure.
 */
export function parseSingleRange(value: string): [number | null, number | null] | null {
  // 2. If data does not start with "bytes" (case-sensitive: Infra's "starts with"), failure.
  // 3-16. "=", ASCII digits, "-", ASCII digits, then the end of the value.
  const m = /^bytes=([0-9]*)-([0-9]*)$/.exec(value);
  if (m === null) return null;
  const startDigits = m[1] ?? '';
  const endDigits = m[2] ?? '';
  // 17. If both are null, failure.
  if (startDigits === '' && endDigits === '') return null;
  // 18. If start > end, failure. Compared as decimal strings: past 2^53 two different numbers can
  // round to the same double.
  if (startDigits !== '' && endDigits !== '' && compareDecimal(startDigits, endDigits) > 0) {
    return null;
  }
  return [
    startDigits === '' ? null : Number(startDigits),
    endDigits === '' ? null : Number(endDigits),
  ];
}

/** 2^64 - 1, the largest number a 64-bit unsigned integer holds. */
const UINT64_MAX_DIGITS = '18446744073709551615';

/**
 * Whether each number of a simple range value is at most 2^64 - 1. The standard sets no limit, but
 * every engine holds a Range number in a 64-bit integer and preflights one that does not fit:
 * measured on Chromium 156 (which refuses from 2^63 - 1 on), Firefox ESR 153 and WebKitGTK 2.50,
 * `Range: bytes=18446744073709551616-` is preflighted. The browsers win over the text here.
 */
function rangeNumbersFitIn64Bits(value: string): boolean {
  const m = /^bytes=([0-9]*)-([0-9]*)$/.exec(value);
  if (m === null) return false;
  return [m[1] ?? '', m[2] ?? ''].every(
    (digits) => digits === '' || compareDecimal(digits, UINT64_MAX_DIGITS) <= 0,
  );
}

/** Compares two strings of ASCII digits as the numbers they denote. */
function compareDecimal(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 * @param value the header value as sent (already normalized, i.e. trimmed of HTTP whitespace)
 */
export function isSafelistedRequestHeader(name: string, value: string): boolean {
  // 1. If value's length is greater than 128, then return false.
  if (value.length > 128) return false;
  // 2. Byte-lowercase name and switch on the result.
  switch (asciiLowercase(name)) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type': {
      if (hasUnsafeByte(value)) return false;
      const essence = mimeEssence(value);
      return essence !== null && SAFELISTED_CONTENT_TYPES.has(essence);
    }
    case 'range': {
      // A suffix range (bytes=-500) is not safelisted: rangeValue[0] must not be null.
      const range = parseSingleRange(value);
      return range !== null && range[0] !== null && rangeNumbersFitIn64Bits(value);
    }
    default:
      return false;
  }
}

/** The total of safelisted header values above which all of them need a preflight. */
export const SAFELISTED_VALUE_BUDGET = 1024;

/**
 * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 * The names a browser puts in Access-Control-Request-Headers: byte-lowercased, de-duplicated and
 * sorted ("convert header names to a sorted-lowercase set"). Forbidden headers must already have been
 * removed by the caller, as the browser never sends them.
 *
 * @param isSafelisted the safelist in force; browsers differ (Chromium also safelists client hints).
 */
export function corsUnsafeRequestHeaderNames(
  headers: readonly HeaderEntry[],
  isSafelisted: (name: string, value: string) => boolean = isSafelistedRequestHeader,
): string[] {
  // 1-3. unsafeNames, potentiallyUnsafeNames, safelistValueSize.
  const unsafe = new Set<string>();
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  // 4. For each header of headers: unsafe if not safelisted, else count its value's length.
  for (const [name, value] of headers) {
    if (!isSafelisted(name, value)) unsafe.add(asciiLowercase(name));
    else {
      potentiallyUnsafe.push(asciiLowercase(name));
      safelistValueSize += value.length;
    }
  }
  // 5. If safelistValueSize is greater than 1024, then every potentially unsafe name is unsafe.
  if (safelistValueSize > SAFELISTED_VALUE_BUDGET) for (const n of potentiallyUnsafe) unsafe.add(n);
  // 6. Return the result of convert header names to a sorted-lowercase set with unsafeNames.
  return [...unsafe].sort();
}

const FORBIDDEN_REQUEST_HEADER_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

const METHOD_OVERRIDE_HEADERS = new Set([
  'x-http-method',
  'x-http-method-override',
  'x-method-override',
]);

/**
 * Whether `name` is forbidden whatever its value: the browser silently drops it from a request.
 * https://fetch.spec.whatwg.org/#forbidden-request-header (the name-only part, steps 1-2).
 */
export function isForbiddenRequestHeaderName(name: string): boolean {
  const lower = asciiLowercase(name);
  return (
    FORBIDDEN_REQUEST_HEADER_NAMES.has(lower) ||
    lower.startsWith('proxy-') ||
    lower.startsWith('sec-')
  );
}

/**
 * https://fetch.spec.whatwg.org/#forbidden-request-header
 * Also forbids the method-override headers when one of their values names a forbidden method.
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  if (isForbiddenRequestHeaderName(name)) return true;
  if (!METHOD_OVERRIDE_HEADERS.has(asciiLowercase(name))) return false;
  // 3.1-3.2. Get, decode and split the value; forbidden if any element is a forbidden method.
  // (The spec's split keeps a quoted string whole, quotes included, and trims HTTP tab or space
  // only: `"a,TRACE"` or `TRACE\u00A0` name no forbidden method.)
  return getDecodeAndSplit(value).some(isForbiddenMethod);
}

/** Whether `name` is a method-override header (whose forbiddenness depends on its value). */
export function isMethodOverrideHeaderName(name: string): boolean {
  return METHOD_OVERRIDE_HEADERS.has(asciiLowercase(name));
}

/**
 * https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
 * `*` in Access-Control-Allow-Headers does not cover it, per the standard.
 */
export function isNonWildcardRequestHeaderName(name: string): boolean {
  return asciiLowercase(name) === 'authorization';
}

const SAFELISTED_RESPONSE_HEADER_NAMES = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** https://fetch.spec.whatwg.org/#forbidden-response-header-name */
export function isForbiddenResponseHeaderName(name: string): boolean {
  const lower = asciiLowercase(name);
  return lower === 'set-cookie' || lower === 'set-cookie2';
}

/**
 * https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name, without the exposed list:
 * the headers script can always read on a CORS response.
 */
export function isSafelistedResponseHeaderName(name: string): boolean {
  return SAFELISTED_RESPONSE_HEADER_NAMES.has(asciiLowercase(name));
}

/**
 * The response header names script can read, given the response's Access-Control-Expose-Headers and
 * credentials mode. https://fetch.spec.whatwg.org/#main-fetch step "CORS-exposed header-name list"
 * and #concept-filtered-response-cors: `*` exposes every name (but Set-Cookie) only when the request's
 * credentials mode is not "include"; otherwise `*` is a header literally named `*`.
 */
export function readableResponseHeaderNames(
  responseHeaderNames: readonly string[],
  exposeHeadersValue: string | null,
  credentialsInclude: boolean,
): string[] {
  const exposed = corsExposedHeaderNames(exposeHeadersValue, credentialsInclude);
  const readable: string[] = [];
  for (const raw of responseHeaderNames) {
    const name = asciiLowercase(raw);
    if (isCorsReadable(name, exposed)) readable.push(name);
  }
  return readable;
}

/**
 * What an Access-Control-Expose-Headers value exposes: `'*'` for every name (only when credentials
 * are not included; with them `*` is a header literally named `*`), else the lower-cased names
 * listed. An unparseable value exposes nothing.
 */
export function corsExposedHeaderNames(
  exposeHeadersValue: string | null,
  credentialsInclude: boolean,
): ReadonlySet<string> | '*' {
  const exposed = new Set<string>();
  if (exposeHeadersValue === null) return exposed;
  const parsed = parseTokenList(exposeHeadersValue);
  if (!parsed.ok) return exposed;
  for (const n of parsed.items) {
    if (n === '*' && !credentialsInclude) return '*';
    exposed.add(asciiLowercase(n));
  }
  return exposed;
}

/** Whether script can read the (lower-case) response header `name` of a CORS response. */
export function isCorsReadable(name: string, exposed: ReadonlySet<string> | '*'): boolean {
  if (isForbiddenResponseHeaderName(name)) return false;
  return exposed === '*' || SAFELISTED_RESPONSE_HEADER_NAMES.has(name) || exposed.has(name);
}
