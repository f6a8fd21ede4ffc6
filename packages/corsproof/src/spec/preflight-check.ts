/**
 * The validation a browser runs on the response to a CORS preflight, as a pure function of the
 * response (status and header list) and of the request it stands for.
 *
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch (steps 7 and 8). The order of the checks is
 * Chromium's (`preflight_controller.cc`, `preflight_result.cc`), which agrees with the standard and
 * decides which failure a developer sees when a response has several faults: redirect, CORS check,
 * status, list parsing (methods before headers), method, then headers in sorted order.
 */
import { type CorsCheckFailure, corsCheck } from './cors-check.js';
import { ACAH, ACAM, ACMA } from './header-names.js';
import { asciiLowercase } from './http-grammar.js';
import { parseTokenList } from './list-value.js';
import { isSafelistedMethod } from './methods.js';
import { isNonWildcardRequestHeaderName } from './request-headers.js';
import { getHeader, type HeaderList } from './response-headers.js';

/** https://fetch.spec.whatwg.org/#redirect-status */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** https://fetch.spec.whatwg.org/#ok-status */
export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/**
 * Whether a response is a redirect a browser acts on: a redirect status with a non-empty
 * `Location`. A 3xx without one is an ordinary response (its "location URL" is null, so HTTP fetch
 * returns it); Chromium 156 also returns a 3xx whose `Location` is empty (measured).
 */
export function isRedirectResponse(status: number, headers: HeaderList): boolean {
  if (!isRedirectStatus(status)) return false;
  const location = getHeader(headers, 'location');
  return location !== null && location !== '';
}

/** The CORS-check failures as Chromium names them when they happen on a preflight response. */
export type PreflightCorsFailure = `Preflight${CorsCheckFailure}`;

/** Why a preflight response was rejected, with the values the browser's message quotes. */
export type PreflightFailure =
  | { readonly code: 'PreflightDisallowedRedirect'; readonly status: number }
  | {
      readonly code: PreflightCorsFailure;
      /** The Access-Control-Allow-Origin value (lines joined by ", "), null when absent. */
      readonly allowOrigin: string | null;
      /** The Access-Control-Allow-Credentials value, null when absent. */
      readonly allowCredentials: string | null;
    }
  | { readonly code: 'PreflightInvalidStatus'; readonly status: number }
  | {
      readonly code:
        | 'InvalidAllowMethodsPreflightResponse'
        | 'InvalidAllowHeadersPreflightResponse';
      /** The whole header value. */
      readonly value: string;
      /** The first element that is not a token. */
      readonly element: string;
    }
  | {
      readonly code: 'MethodDisallowedByPreflightResponse';
      readonly method: string;
      readonly allowMethods: readonly string[];
      /** `*` was listed but does not count because the request has credentials. */
      readonly wildcardIgnored: boolean;
      /** A listed method differs from the request's only in case (`put` for `PUT`). */
      readonly caseMismatch: string | null;
    }
  | {
      readonly code: 'HeaderDisallowedByPreflightResponse';
      /** The first disallowed name, in sorted order: the one the browser names. */
      readonly header: string;
      /** Every disallowed name, sorted, for a fix that covers them all at once. */
      readonly disallowed: readonly string[];
      readonly allowHeaders: readonly string[];
      /** `*` was listed but does not count because the request has credentials. */
      readonly wildcardIgnored: boolean;
    };

export type PreflightFailureCode = PreflightFailure['code'];

/** What the preflight stands for: the actual request's method, unsafe headers and credentials. */
export interface PreflightCheckRequest {
  /** The actual request's method, normalized. */
  readonly method: string;
  /** The CORS-unsafe request-header names, lower-cased and sorted (the ACRH list). */
  readonly unsafeHeaderNames: readonly string[];
  /** The serialized request origin (`null` when tainted or opaque). */
  readonly origin: string;
  /** Whether the actual request's credentials mode is "include". */
  readonly credentialsInclude: boolean;
}

export interface PreflightResponseHead {
  readonly status: number;
  /** The header list as received, one entry per header line. */
  readonly headers: HeaderList;
}

/** How a preflight cache lifetime was arrived at. */
export type MaxAgeSource =
  /** No Access-Control-Max-Age: the default (5 s in the standard and both browsers). */
  | 'default'
  /** The header's value, within the browser's limit. */
  | 'header'
  /** The header's value exceeded the browser's limit. */
  | 'capped'
  /** The value did not parse; the browser used its default instead. */
  | 'invalid-default'
  /** The value did not parse; the browser does not cache the result at all. */
  | 'invalid-uncached'
  /** Zero or negative: not cached. */
  | 'not-cached';

export interface MaxAge {
  /** Seconds the browser keeps the preflight result; 0 means not cached. */
  readonly seconds: number;
  readonly source: MaxAgeSource;
}

/** A browser's rule for reading Access-Control-Max-Age (the combined value, null when absent). */
export type MaxAgeRule = (value: string | null) => MaxAge;

/** The default lifetime when no Access-Control-Max-Age is sent (fetch.bs step 7.9; both browsers). */
export const DEFAULT_MAX_AGE_SECONDS = 5;

/**
 * The standard's rule, with Chromium's limit: fetch.bs step 7.8-7.10. The header's grammar is
 * `delta-seconds`, so anything but ASCII digits (two header lines included) is failure, read as 5.
 */
export function specMaxAge(value: string | null, limit = 7200): MaxAge {
  if (value === null) return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'default' };
  if (!/^[0-9]+$/.test(value))
    return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'invalid-default' };
  const n = Number(value);
  if (n === 0) return { seconds: 0, source: 'not-cached' };
  return n > limit ? { seconds: limit, source: 'capped' } : { seconds: n, source: 'header' };
}

/** Chromium's limit on a preflight cache entry (`preflight_result.cc`, kMaxTimeout). */
export const CHROMIUM_MAX_AGE_LIMIT = 7200;

/**
 * Chromium's rule (`preflight_result.cc` ParseAccessControlMaxAge, measured on Chromium 156): the
 * value is read as a signed 64-bit decimal (`+10` is 10); unparseable values and overflow give the
 * 5 s default; zero and negative values (`-0` included) are not cached; the rest is capped at 7200.
 * Two header lines are combined with ", " and therefore unparseable.
 */
export const chromiumMaxAge: MaxAgeRule = (value) => {
  if (value === null) return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'default' };
  const m = /^([+-]?)([0-9]+)$/.exec(value);
  if (m === null) return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'invalid-default' };
  const digits = m[2] ?? '0';
  // Up to 15 digits a double is exact and far from the int64 limit: no BigInt needed.
  if (digits.length <= 15) {
    const n = Number(digits);
    if (m[1] === '-' || n === 0) return { seconds: 0, source: 'not-cached' };
    return n > CHROMIUM_MAX_AGE_LIMIT
      ? { seconds: CHROMIUM_MAX_AGE_LIMIT, source: 'capped' }
      : { seconds: n, source: 'header' };
  }
  const magnitude = BigInt(digits);
  const negative = m[1] === '-';
  // base::StringToInt64 fails on overflow, so the default applies (measured: 20 nines gives 5 s).
  const int64Limit = negative ? 2n ** 63n : 2n ** 63n - 1n;
  if (magnitude > int64Limit)
    return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'invalid-default' };
  if (negative || magnitude === 0n) return { seconds: 0, source: 'not-cached' };
  if (magnitude > BigInt(CHROMIUM_MAX_AGE_LIMIT)) {
    return { seconds: CHROMIUM_MAX_AGE_LIMIT, source: 'capped' };
  }
  return { seconds: Number(magnitude), source: 'header' };
};

/** Firefox's limit on a preflight cache entry (`nsCORSListenerProxy.cpp`). */
export const FIREFOX_MAX_AGE_LIMIT = 86400;

/**
 * Firefox's rule (`nsCORSListenerProxy.cpp` AddResultToCache, from its source; not measured here):
 * absent or empty gives 5 s; anything but ASCII digits means the result is not cached at all;
 * 0 is not cached; the rest is capped at 86400.
 */
export const firefoxMaxAge: MaxAgeRule = (value) => {
  if (value === null || value === '') {
    return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'default' };
  }
  if (!/^[0-9]+$/.test(value)) return { seconds: 0, source: 'invalid-uncached' };
  // Digits only, so the magnitude is compared without overflow by length first.
  const trimmed = value.replace(/^0+/, '');
  if (trimmed === '') return { seconds: 0, source: 'not-cached' };
  if (trimmed.length > 5 || Number(trimmed) > FIREFOX_MAX_AGE_LIMIT) {
    return { seconds: FIREFOX_MAX_AGE_LIMIT, source: 'capped' };
  }
  return { seconds: Number(trimmed), source: 'header' };
};

/** WebKit's limit on a preflight cache entry (`CrossOriginPreflightResultCache.cpp`, 600 s). */
export const WEBKIT_MAX_AGE_LIMIT = 600;

/**
 * WebKit's rule (`CrossOriginPreflightResultCache.cpp` parseAccessControlMaxAge, WebKitGTK 2.50):
 * the value is read as a signed 64-bit decimal (`+10` is 10); unparseable values (two header lines
 * combined with ", " included) and overflow give the 5 s default; zero and negative values expire
 * at once, so they are not cached; the rest is capped at 600.
 */
export const webkitMaxAge: MaxAgeRule = (value) => {
  if (value === null) return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'default' };
  const m = /^([+-]?)([0-9]+)$/.exec(value);
  if (m === null) return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'invalid-default' };
  const magnitude = BigInt(m[2] ?? '0');
  const negative = m[1] === '-';
  const int64Limit = negative ? 2n ** 63n : 2n ** 63n - 1n;
  if (magnitude > int64Limit)
    return { seconds: DEFAULT_MAX_AGE_SECONDS, source: 'invalid-default' };
  if (negative || magnitude === 0n) return { seconds: 0, source: 'not-cached' };
  if (magnitude > BigInt(WEBKIT_MAX_AGE_LIMIT)) {
    return { seconds: WEBKIT_MAX_AGE_LIMIT, source: 'capped' };
  }
  return { seconds: Number(magnitude), source: 'header' };
};

/** The browser-specific parts of preflight validation. */
export interface PreflightRules {
  /**
   * Whether `*` in Access-Control-Allow-Headers lets `Authorization` through when credentials are
   * not included. The standard says no (fetch.bs step 7.6: Authorization is a "CORS non-wildcard
   * request-header name"); Chromium 156 and Firefox 153 say yes (measured), and both announced they
   * will stop. Callers should warn when a verdict depends on it.
   */
  readonly authorizationCoveredByWildcard: boolean;
  readonly maxAge: MaxAgeRule;
}

/** The standard's rules, with Chromium's cache limit. */
export const SPEC_PREFLIGHT_RULES: PreflightRules = Object.freeze({
  authorizationCoveredByWildcard: false,
  maxAge: (value: string | null) => specMaxAge(value),
});

export type PreflightCheckResult =
  | {
      readonly ok: true;
      /** The parsed Access-Control-Allow-Methods list (empty when absent). */
      readonly allowMethods: readonly string[];
      /** The parsed Access-Control-Allow-Headers list (empty when absent). */
      readonly allowHeaders: readonly string[];
      readonly maxAge: MaxAge;
      /**
       * The preflight passed only because `*` covered `Authorization`, which the standard forbids
       * and the browsers announced they will stop allowing.
       */
      readonly authorizationByWildcard: boolean;
    }
  | { readonly ok: false; readonly failure: PreflightFailure };

/**
 * Validates a preflight response for the request it was sent for.
 *
 * @example
 * checkPreflightResponse(
 *   { status: 204, headers: [['Access-Control-Allow-Origin', 'https://app.example'],
 *                            ['Access-Control-Allow-Methods', 'PUT']] },
 *   { method: 'PUT', unsafeHeaderNames: [], origin: 'https://app.example', credentialsInclude: false },
 *   SPEC_PREFLIGHT_RULES,
 * ) // { ok: true, allowMethods: ['PUT'], allowHeaders: [], maxAge: { seconds: 5, source: 'default' }, ... }
 */
export function checkPreflightResponse(
  response: PreflightResponseHead,
  request: PreflightCheckRequest,
  rules: PreflightRules,
): PreflightCheckResult {
  const fail = (failure: PreflightFailure): PreflightCheckResult => ({ ok: false, failure });
  const { headers, status } = response;

  // 6. The preflight is fetched with "HTTP-network-or-cache fetch", which never follows redirects.
  // Chromium names a redirect before anything else, whatever the headers (measured on 156).
  if (isRedirectResponse(status, headers))
    return fail({ code: 'PreflightDisallowedRedirect', status });

  // 7. If a CORS check for request and response returns success and response's status is an ok
  // status... The CORS check uses the ACTUAL request's credentials mode, so a credentialed request
  // needs an exact origin and `Access-Control-Allow-Credentials: true` on the preflight too.
  const cors = corsCheck(headers, {
    origin: request.origin,
    credentialsInclude: request.credentialsInclude,
  });
  if (cors !== null) {
    return fail({
      code: `Preflight${cors}`,
      allowOrigin: getHeader(headers, 'access-control-allow-origin'),
      allowCredentials: getHeader(headers, 'access-control-allow-credentials'),
    });
  }
  // 8. Otherwise, return a network error. (Chromium reports the status only once the CORS check
  // passed: `CheckPreflightAccess`.)
  if (!isOkStatus(status)) return fail({ code: 'PreflightInvalidStatus', status });

  // 7.1-7.3. Extract the header list values of Access-Control-Allow-Methods and -Headers; if either
  // is failure (an element that is not a token), return a network error. Methods are parsed first.
  const methodsValue = getHeader(headers, ACAM);
  const methods = methodsValue === null ? null : parseTokenList(methodsValue);
  if (methods !== null && !methods.ok) {
    return fail({
      code: 'InvalidAllowMethodsPreflightResponse',
      value: methodsValue ?? '',
      element: methods.element ?? '',
    });
  }
  const headerNamesValue = getHeader(headers, ACAH);
  const headerNames = headerNamesValue === null ? null : parseTokenList(headerNamesValue);
  if (headerNames !== null && !headerNames.ok) {
    return fail({
      code: 'InvalidAllowHeadersPreflightResponse',
      value: headerNamesValue ?? '',
      element: headerNames.element ?? '',
    });
  }
  const allowMethods = methods?.ok ? methods.items : [];
  const allowHeaders = headerNames?.ok ? headerNames.items : [];

  // 7.4 (use-CORS-preflight flag) only concerns XMLHttpRequest upload listeners: not modelled.
  // 7.5. If request's method is not in methods, is not a CORS-safelisted method, and request's
  // credentials mode is "include" or methods does not contain `*`, return a network error.
  // Methods compare byte-for-byte: `put` does not allow `PUT`.
  const methodListed = allowMethods.includes(request.method);
  const methodStar = allowMethods.includes('*');
  if (
    !methodListed &&
    !isSafelistedMethod(request.method) &&
    (request.credentialsInclude || !methodStar)
  ) {
    const upper = request.method.toUpperCase();
    return fail({
      code: 'MethodDisallowedByPreflightResponse',
      method: request.method,
      allowMethods,
      wildcardIgnored: methodStar && request.credentialsInclude,
      caseMismatch:
        allowMethods.find((m) => m !== request.method && m.toUpperCase() === upper) ?? null,
    });
  }

  // 7.6-7.7. Every unsafe name must be listed (case-insensitively), unless headerNames contains `*`
  // and credentials are not included. Authorization (a "CORS non-wildcard request-header name") is
  // never covered by `*` per the standard; `rules.authorizationCoveredByWildcard` models the
  // browsers, which still let it through. Chromium walks the names in sorted order and names the
  // first one missing, so the standard's "Authorization first" (7.6 before 7.7) is not observable.
  const listed = new Set(allowHeaders.map(asciiLowercase));
  const headerStar = listed.has('*') && !request.credentialsInclude;
  const disallowed: string[] = [];
  let authorizationByWildcard = false;
  for (const name of request.unsafeHeaderNames) {
    const lower = asciiLowercase(name);
    if (listed.has(lower)) continue;
    if (headerStar) {
      if (!isNonWildcardRequestHeaderName(lower)) continue;
      if (rules.authorizationCoveredByWildcard) {
        authorizationByWildcard = true;
        continue;
      }
    }
    disallowed.push(lower);
  }
  const first = disallowed[0];
  if (first !== undefined) {
    return fail({
      code: 'HeaderDisallowedByPreflightResponse',
      header: first,
      disallowed,
      allowHeaders,
      wildcardIgnored: listed.has('*') && request.credentialsInclude,
    });
  }

  // 7.8-7.10. Max-age: the browser's own parse and limit.
  const maxAge = rules.maxAge(getHeader(headers, ACMA));
  return { ok: true, allowMethods, allowHeaders, maxAge, authorizationByWildcard };
}
