/**
 * What differs between the browsers the checker imitates. Everything else is the Fetch standard,
 * which both follow. Each difference names its source: a measurement on a real browser (Chromium
 * 156 and Firefox ESR 153, by the differential suites in test/browser) or the browser's source.
 */

import type { Origin } from 'corsproof/spec';
import {
  asciiLowercase,
  CHROMIUM_MAX_AGE_LIMIT,
  chromiumMaxAge,
  type FetchSite,
  FIREFOX_MAX_AGE_LIMIT,
  fetchSite,
  firefoxMaxAge,
  isCorsUnsafeRequestHeaderByte,
  isSafelistedRequestHeader,
  type MaxAgeRule,
  parseSingleRange,
  WEBKIT_MAX_AGE_LIMIT,
  webkitMaxAge,
} from 'corsproof/spec';
import type { BrowserName } from './browser-names.js';

export { BROWSER_NAMES, type BrowserName } from './browser-names.js';

export interface BrowserProfile {
  readonly name: BrowserName;
  /** For messages: "Chromium", "Firefox", "WebKit". */
  readonly displayName: string;
  /** The version the profile was written against, and how it was verified. */
  readonly basis: string;
  /** https://fetch.spec.whatwg.org/#cors-safelisted-request-header, with the browser's extensions. */
  readonly isSafelistedRequestHeader: (name: string, value: string) => boolean;
  /** See `PreflightRules.authorizationCoveredByWildcard`. */
  readonly authorizationCoveredByWildcard: boolean;
  readonly maxAge: MaxAgeRule;
  readonly maxAgeLimit: number;
  /**
   * Whether a cached preflight is reused for a URL whose host is an IP address. Firefox ESR 153
   * never does (measured for 127.0.0.1, 127.0.0.2 and [::1]; host names such as localhost are
   * cached), so `maxAge` only applies to host names there.
   */
  readonly reusesPreflightsForIpHosts: boolean;
  /**
   * Whether the request's header list keeps every line of a repeated header (Firefox): each line
   * is judged on its own against the safelist, with no 1024-byte total, and only the first
   * Content-Type line is sent (other names go out joined by ", "). Chromium's request headers are a
   * map: the lines are joined and judged once, with the total.
   */
  readonly keepsHeaderLines: boolean;
  /**
   * Whether, once a request needed a preflight, every later cross-origin redirect hop is
   * preflighted too, even when a 303 made it a plain GET or the redirect removed the header that
   * needed it (Firefox). Chromium preflights a hop only for its own method and headers.
   */
  readonly preflightsEveryRedirect: boolean;
  /**
   * Whether a preflight after a redirect is a new request from the page: the page's origin in
   * `Origin` and in its CORS check, even once the request itself carries `Origin: null` (Firefox).
   * Chromium's preflight carries the redirected request's origin, `null` once tainted.
   */
  readonly preflightAfterRedirectFromPage: boolean;
  /**
   * What a 3xx with an empty `Location` is: a response (Chromium), a redirect to the same URL
   * (Firefox, as the standard parses it), or a network error (WebKit, measured).
   */
  readonly emptyLocation: 'response' | 'redirect' | 'network-error';
  /**
   * Whether repeated response headers are only combined (WebKit: two Location lines are one
   * location "a, b"; nothing is refused) rather than refused when their values differ (Chromium
   * and Firefox: several different Location, Content-Disposition or Content-Length lines are a
   * network error).
   */
  readonly combinesRepeatedResponseHeaders: boolean;
  /**
   * Whether a later hop's preflight still asks for the request headers a redirect removed
   * (WebKit: after a 302 turned a JSON POST into a GET, the next preflight carries
   * `Access-Control-Request-Headers: content-type`; after a cross-origin hop dropped Authorization,
   * it still asks for `authorization`).
   */
  readonly preflightKeepsRemovedHeaders: boolean;
  /**
   * Whether the request sent after a cross-origin redirect carries no Sec-Fetch-* headers, and a
   * preflight from a tainted (`null`) origin says `Sec-Fetch-Site: cross-site` (WebKit: its
   * `cleanHTTPRequestHeadersForAccessControl` removes them on such a redirect, and its preflight
   * compares the opaque origin with the URL's).
   */
  readonly dropsFetchMetadataAcrossOrigins: boolean;
  /**
   * Whether a DELETE redirected to another origin goes on as a GET, by 301, 302, 307 and 308 alike
   * (WebKit, measured; a same-origin redirect keeps DELETE, and PUT and PATCH keep their method).
   */
  readonly deleteBecomesGetAcrossOrigins: boolean;
  /**
   * Whether a public page's request to a private or loopback address meets Local Network Access
   * (Chromium asks the user first; Firefox 153 ships it behind `network.lna.*`). WebKit does not
   * ship it.
   */
  readonly localNetworkAccess: boolean;
  /** The request's Sec-Fetch-Site, from the page origin and the URLs visited so far. */
  readonly fetchSite: (page: Origin, urls: readonly URL[]) => FetchSite;
  readonly userAgent: string;
  readonly acceptLanguage: string;
  /**
   * Headers the browser adds to a request (not to preflights), e.g. Chromium's UA client hints;
   * `clientHintsAt` (outgoing.ts) says on which redirect hops.
   */
  readonly extraRequestHeaders: readonly (readonly [string, string])[];
  /**
   * Whether a preflight carries `Sec-Fetch-Mode: cors` even to a URL that is not potentially
   * trustworthy, where the other fetch metadata headers are left out (Chromium 156, measured: its
   * preflight sets the mode itself). Firefox sends no fetch metadata there.
   */
  readonly preflightAlwaysSendsFetchMode: boolean;
}

/** `1*DIGIT [ "." 1*DIGIT ]` (Chromium `IsSimilarToDoubleABNF`). */
const DECIMAL = /^[0-9]+(?:\.[0-9]+)?$/;
/** `1*DIGIT` (Chromium `IsSimilarToIntABNF`). */
const INTEGER = /^[0-9]+$/;
/** Chromium's `kWebEffectiveConnectionTypeMapping`, compared case-sensitively. */
const ECT_VALUES = new Set(['slow-2g', '2g', '3g', '4g']);

/**
 * Chromium's `IsCorsSafelistedHeader` (services/network/public/cpp/cors/cors.cc): the standard's
 * list plus `Intervention` (any value) and the legacy client hints, each with its value grammar.
 * (Its `sec-ch-*` entries do not matter here: a page can never set a `Sec-` header.)
 */
export function isChromiumSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (asciiLowercase(name)) {
    case 'intervention':
      return true;
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return DECIMAL.test(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return INTEGER.test(value);
    case 'ect':
      return ECT_VALUES.has(value);
    case 'save-data':
      return asciiLowercase(value) === 'on';
    case 'range':
      return isChromiumSimpleRange(value);
    default:
      return isSafelistedRequestHeader(name, value);
  }
}

/** 2^63 - 1, `std::numeric_limits<int64_t>::max()`. */
const INT64_MAX = 2n ** 63n - 1n;
/** 2^64 - 1, `std::numeric_limits<uint64_t>::max()`. */
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Chromium's Range rule in `IsCorsSafelistedHeader` (cors.cc): the standard's simple range
 * (`net::HttpUtil::ParseFetchSingleRange` with whitespace refused, no suffix range), except that a
 * number too large for an `int64_t` is saturated to its maximum and a range holding that maximum is
 * refused, so every number must be below 2^63 - 1. Measured on Chromium 156: `bytes=0-2^63-1`,
 * `bytes=2^63-` and 30-digit numbers are preflighted; `bytes=0-2^53+1` is not.
 */
export function isChromiumSimpleRange(value: string): boolean {
  const range = parseSingleRange(value);
  if (range === null || range[0] === null) return false;
  const m = /^bytes=([0-9]+)-([0-9]*)$/.exec(value);
  if (m === null) return false;
  return [m[1], m[2]].every((digits) => !digits || BigInt(digits) < INT64_MAX);
}

/**
 * Firefox's `nsContentUtils::IsCORSSafelistedRequestHeader` (dom/base/nsContentUtils.cpp), measured
 * on Firefox ESR 153. It differs from the standard in two ways:
 * - in Accept and Content-Type, a byte of 0x80 or more is CORS-unsafe (`IsCorsUnsafeRequestHeaderValue`
 *   tests the bytes as signed `char`s, so they fall below 0x20): `Accept: text/\u00e9` is preflighted;
 * - Content-Type is read by `NS_ParseRequestContentType`, not the standard's MIME type parser (see
 *   `firefoxRequestContentType`).
 *
 * Its Range numbers are `uint64_t` (`nsContentUtils::ParsedRange`), which is the shared rule: the
 * standard's, with numbers above 2^64 - 1 refused (`isSafelistedRequestHeader`).
 */
export function isFirefoxSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (asciiLowercase(name)) {
    case 'accept':
      return !hasNonAsciiByte(value) && isSafelistedRequestHeader(name, value);
    case 'content-type': {
      if (hasNonAsciiByte(value) || hasCorsUnsafeByte(value)) return false;
      const type = firefoxRequestContentType(value);
      return type !== null && SAFELISTED_CONTENT_TYPES.has(type);
    }
    default:
      return isSafelistedRequestHeader(name, value);
  }
}

const SAFELISTED_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

function hasNonAsciiByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return true;
  return false;
}

function hasCorsUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  }
  return false;
}

const HTTP_LWS = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * The lower-cased type Firefox's `net_ParseRequestContentType` (netwerk/base/nsURLHelper.cpp) reads
 * from a request's Content-Type, or null where it reads none. Ported from its strict
 * `net_ParseMediaType`; quoted strings are left out because `"` is CORS-unsafe, so a value holding
 * one never gets here. Where it differs from the standard's MIME type parser (measured on Firefox
 * ESR 153):
 * - any `,` means no type (`text/plain;a=b,c` is preflighted);
 * - the type ends at the first space, tab or `;`, and what follows is not checked up to the next `;`
 *   (`text/plain x;a=b` needs no preflight);
 * - its parameter loop stops one `;` short when the value ends in `;` after a parameter, and the
 *   strict check then sees the `;` as trailing garbage (`text/plain;;` and
 *   `text/plain;charset=utf-8;` are preflighted; `text/plain;` is not).
 */
export function firefoxRequestContentType(value: string): string | null {
  const length = value.length;
  if (value.includes(',')) return null;
  let type = 0;
  while (type < length && HTTP_LWS(value[type])) type++;
  let typeEnd = type;
  while (typeEnd < length && !HTTP_LWS(value[typeEnd]) && value[typeEnd] !== ';') typeEnd++;
  // (sic) a length later used as an offset from the start; the same when nothing leads the type.
  let consumed = typeEnd - type;
  const paramStart = value.indexOf(';', typeEnd);
  if (paramStart !== -1) {
    let paramFrom = paramStart + 1;
    do {
      const next = value.indexOf(';', paramFrom);
      const paramEnd = next === -1 ? length : next;
      consumed = paramEnd;
      paramFrom = paramEnd + 1;
    } while (paramFrom < length);
  }
  const typeText = value.slice(type, typeEnd);
  if (!typeText.includes('/')) return null;
  for (let i = consumed; i < length; i++) if (!HTTP_LWS(value[i])) return null;
  return asciiLowercase(typeText);
}

/**
 * WebKit's `isCrossOriginSafeRequestHeader` (HTTPParsers.cpp): the standard's list without client
 * hints, except for Range, which WebKit reads with its own `parseRange` (see `isWebKitSimpleRange`).
 */
export function isWebKitSafelistedRequestHeader(name: string, value: string): boolean {
  if (asciiLowercase(name) === 'range') return value.length <= 128 && isWebKitSimpleRange(value);
  return isSafelistedRequestHeader(name, value);
}

/** `[ "+" ] 1*DIGIT`, the integers WTF's `parseInteger` reads here (no space or tab gets this far). */
const WEBKIT_RANGE_INTEGER = /^\+?([0-9]+)$/;

/**
 * Whether WebKit takes a Range value as a simple range that needs no preflight: its `parseRange`
 * with `RangeAllowWhitespace::No` (HTTPParsers.cpp), which `isCrossOriginSafeRequestHeader` calls,
 * refusing a suffix range. Measured on WebKitGTK 2.50, where it differs from the shared rule (the
 * standard's "parse a single range header value", numbers up to 2^64 - 1) in two ways:
 * - the unit `bytes` is compared without regard to case (`BYTES=0-1` needs no preflight);
 * - each number may carry a `+` sign (`bytes=+0-1`, `bytes=0-+1` need none).
 * As in the shared rule, a space or tab anywhere, a second range, a start above the end or a number
 * above 2^64 - 1 (`bytes=18446744073709551616-`; 2^63 is taken) is refused.
 */
export function isWebKitSimpleRange(value: string): boolean {
  if (value.includes(' ') || value.includes('\t')) return false;
  if (asciiLowercase(value.slice(0, 6)) !== 'bytes=') return false;
  const spec = value.slice(6);
  const dash = spec.indexOf('-');
  // A missing '-' fails; a leading one is a suffix range, which is not safelisted.
  if (dash <= 0) return false;
  const start = parseWebKitRangeInteger(spec.slice(0, dash));
  if (start === null) return false;
  const endText = spec.slice(dash + 1);
  if (endText === '') return true;
  const end = parseWebKitRangeInteger(endText);
  return end !== null && end >= start;
}

function parseWebKitRangeInteger(text: string): bigint | null {
  const digits = WEBKIT_RANGE_INTEGER.exec(text)?.[1];
  if (digits === undefined) return null;
  const n = BigInt(digits);
  return n <= UINT64_MAX ? n : null;
}

/**
 * Firefox's Sec-Fetch-Site (SecFetch.cpp `IsSameSite`, measured on Firefox ESR 153): the standard's
 * value, except that a redirected request is same-site only if every URL it was redirected from is
 * https, so a redirect through plain http (loopback included) makes it cross-site.
 */
export function firefoxFetchSite(page: Origin, urls: readonly URL[]): FetchSite {
  const site = fetchSite(page, urls);
  if (site !== 'same-site') return site;
  for (let i = 0; i < urls.length - 1; i++) {
    if (urls[i]?.protocol !== 'https:') return 'cross-site';
  }
  return site;
}

export const CHROMIUM: BrowserProfile = Object.freeze<BrowserProfile>({
  name: 'chromium',
  displayName: 'Chromium',
  basis: 'Chromium 156 (measured by the differential suite against /usr/bin/chromium)',
  isSafelistedRequestHeader: isChromiumSafelistedRequestHeader,
  authorizationCoveredByWildcard: true,
  maxAge: chromiumMaxAge,
  maxAgeLimit: CHROMIUM_MAX_AGE_LIMIT,
  reusesPreflightsForIpHosts: true,
  keepsHeaderLines: false,
  preflightsEveryRedirect: false,
  preflightAfterRedirectFromPage: false,
  emptyLocation: 'response',
  combinesRepeatedResponseHeaders: false,
  preflightKeepsRemovedHeaders: false,
  dropsFetchMetadataAcrossOrigins: false,
  deleteBecomesGetAcrossOrigins: false,
  localNetworkAccess: true,
  fetchSite,
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  acceptLanguage: 'en-US,en;q=0.9',
  extraRequestHeaders: [
    ['sec-ch-ua', '"Not:A-Brand";v="8", "Chromium";v="156"'],
    ['sec-ch-ua-mobile', '?0'],
    ['sec-ch-ua-platform', '"Linux"'],
  ],
  preflightAlwaysSendsFetchMode: true,
});

export const FIREFOX: BrowserProfile = Object.freeze<BrowserProfile>({
  name: 'firefox',
  displayName: 'Firefox',
  basis:
    'Firefox ESR 153 (measured by the differential suite against /usr/bin/firefox-esr; the Max-Age limit from nsCORSListenerProxy.cpp)',
  isSafelistedRequestHeader: isFirefoxSafelistedRequestHeader,
  // `network.cors_preflight.authorization_covered_by_wildcard` defaults to true (measured), with a
  // console deprecation warning ("CORSAllowHeaderFromPreflightDeprecation", from the source).
  authorizationCoveredByWildcard: true,
  maxAge: firefoxMaxAge,
  maxAgeLimit: FIREFOX_MAX_AGE_LIMIT,
  // The rest measured on Firefox ESR 153 by test/browser/firefox-differential.test.ts.
  reusesPreflightsForIpHosts: false,
  keepsHeaderLines: true,
  preflightsEveryRedirect: true,
  preflightAfterRedirectFromPage: true,
  emptyLocation: 'redirect',
  combinesRepeatedResponseHeaders: false,
  preflightKeepsRemovedHeaders: false,
  dropsFetchMetadataAcrossOrigins: false,
  deleteBecomesGetAcrossOrigins: false,
  localNetworkAccess: true,
  fetchSite: firefoxFetchSite,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
  // Measured on 153: the q-values step down by 0.1 as in Chromium, no longer `en;q=0.5`.
  acceptLanguage: 'en-US,en;q=0.9',
  extraRequestHeaders: [],
  preflightAlwaysSendsFetchMode: false,
});

export const WEBKIT: BrowserProfile = Object.freeze<BrowserProfile>({
  name: 'webkit',
  displayName: 'WebKit',
  basis:
    'WebKitGTK 2.50, the engine of Safari (measured by the differential suite against MiniBrowser over WebKitWebDriver; the Max-Age limit from CrossOriginPreflightResultCache.cpp)',
  isSafelistedRequestHeader: isWebKitSafelistedRequestHeader,
  authorizationCoveredByWildcard: true,
  maxAge: webkitMaxAge,
  maxAgeLimit: WEBKIT_MAX_AGE_LIMIT,
  // The rest measured on WebKitGTK 2.50 by test/browser/webkit-differential.test.ts.
  reusesPreflightsForIpHosts: true,
  keepsHeaderLines: false,
  preflightsEveryRedirect: true,
  preflightAfterRedirectFromPage: false,
  emptyLocation: 'network-error',
  combinesRepeatedResponseHeaders: true,
  preflightKeepsRemovedHeaders: true,
  dropsFetchMetadataAcrossOrigins: true,
  deleteBecomesGetAcrossOrigins: true,
  localNetworkAccess: false,
  fetchSite,
  userAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
  // WebKitGTK sends its locale's language alone (measured with LANG=en_US.UTF-8).
  acceptLanguage: 'en-US',
  extraRequestHeaders: [],
  // `createAccessControlPreflightRequest` adds fetch metadata only for potentially trustworthy URLs.
  preflightAlwaysSendsFetchMode: false,
});

const PROFILES: Readonly<Record<BrowserName, BrowserProfile>> = Object.freeze({
  chromium: CHROMIUM,
  firefox: FIREFOX,
  webkit: WEBKIT,
});

/**
 * The profile for a browser name.
 *
 * @example
 * browserProfile('firefox').maxAge('100000') // { seconds: 86400, source: 'capped' }
 */
export function browserProfile(name: BrowserName): BrowserProfile {
  return PROFILES[name];
}

export function isBrowserName(value: string): value is BrowserName {
  return value === 'chromium' || value === 'firefox' || value === 'webkit';
}
