/**
 * An oracle written from the Fetch standard's text, independent of corsproof: it imports nothing
 * from the library and shares none of its code. It answers what a browser does with a server's
 * answer (the CORS check, the preflight's method and header checks), and what a cache needs from
 * `Vary`. Small on purpose: each function is one algorithm of the standard, its steps numbered.
 *
 * https://fetch.spec.whatwg.org/ (the CORS protocol, section 3.2, and the fetch algorithms, 4)
 */

export type Headers = readonly (readonly [string, string])[];
export type Credentials = 'omit' | 'same-origin' | 'include';

const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * https://fetch.spec.whatwg.org/#concept-header-list-get: the values of every header named
 * `name` (byte-case-insensitively), joined by ", "; null when there is none.
 */
export function getHeader(headers: Headers, name: string): string | null {
  const values = headers.filter(([n]) => lower(n) === lower(name)).map(([, v]) => v);
  return values.length === 0 ? null : values.join(', ');
}

/**
 * https://fetch.spec.whatwg.org/#concept-header-extract-mime-type's sibling, "extracting header
 * list values": split on commas, trim HTTP whitespace, and fail when an item is not a token.
 * (The standard parses by the header's ABNF; for the two lists here that is `#token` or `*`.)
 */
export function extractList(headers: Headers, name: string): string[] | 'failure' | null {
  const value = getHeader(headers, name);
  if (value === null) return null;
  const items: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (item === '') continue;
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(item)) return 'failure';
    items.push(item);
  }
  return items;
}

/**
 * https://fetch.spec.whatwg.org/#concept-cors-check
 * `origin` is the request's serialized origin as the browser sent it.
 */
export function corsCheck(headers: Headers, origin: string, credentials: Credentials): boolean {
  // 1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's header list.
  const allowOrigin = getHeader(headers, 'Access-Control-Allow-Origin');
  // 2. If origin is null, then return failure.
  if (allowOrigin === null) return false;
  // 3. If request's credentials mode is not "include" and origin is `*`, then return success.
  if (credentials !== 'include' && allowOrigin === '*') return true;
  // 4. If the result of byte-serializing a request origin with request is not origin, then
  //    return failure.
  if (origin !== allowOrigin) return false;
  // 5. If request's credentials mode is not "include", then return success.
  if (credentials !== 'include') return true;
  // 6. Let credentials be the result of getting `Access-Control-Allow-Credentials`.
  // 7. If credentials is `true`, then return success.
  // 8. Return failure.
  return getHeader(headers, 'Access-Control-Allow-Credentials') === 'true';
}

/** https://fetch.spec.whatwg.org/#cors-safelisted-method */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/** https://fetch.spec.whatwg.org/#ok-status */
export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

export interface PreflightAsk {
  readonly origin: string;
  readonly credentials: Credentials;
  /** The request's method, as the browser normalized it. */
  readonly method: string;
  /** The CORS-unsafe request-header names, lower-case (what Access-Control-Request-Headers lists). */
  readonly unsafeHeaderNames: readonly string[];
  /** Whether the request carries `Authorization` (a CORS non-wildcard request-header name). */
  readonly authorization: boolean;
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch, steps 7 and on: whether the browser goes
 * on to send the request after this answer to its preflight.
 */
export function preflightPasses(status: number, headers: Headers, ask: PreflightAsk): boolean {
  // 7. If a CORS check for request and response returns success and response's status is an ok
  //    status, then:
  if (!corsCheck(headers, ask.origin, ask.credentials) || !isOkStatus(status)) return false;
  //  1. Let methods be the result of extracting header list values given
  //     `Access-Control-Allow-Methods` and response's header list.
  //  2. Let headerNames be the result of extracting header list values given
  //     `Access-Control-Allow-Headers` and response's header list.
  //  3. If either methods or headerNames is failure, return a network error.
  const extractedMethods = extractList(headers, 'Access-Control-Allow-Methods');
  const headerNames = extractList(headers, 'Access-Control-Allow-Headers') ?? [];
  if (extractedMethods === 'failure' || headerNames === 'failure') return false;
  let methods = extractedMethods ?? [];
  //  4. If methods is null and request's use-CORS-preflight flag is set, then set methods to a
  //     new list containing request's method. (The flag is unset here: the preflight is due to
  //     the method or the headers.)
  if (extractedMethods === null) methods = [];
  //  5. If request's method is not in methods, request's method is not a CORS-safelisted method,
  //     and request's credentials mode is "include" or methods does not contain `*`, then return
  //     a network error.
  if (
    !methods.includes(ask.method) &&
    !isSafelistedMethod(ask.method) &&
    (ask.credentials === 'include' || !methods.includes('*'))
  ) {
    return false;
  }
  const names = headerNames.map(lower);
  //  6. If one of request's header list's names is a CORS non-wildcard request-header name and is
  //     not a byte-case-insensitive match for an item in headerNames, then return a network error.
  if (ask.authorization && !names.includes('authorization')) return false;
  //  7. For each unsafeName of the CORS-unsafe request-header names with request's header list:
  //     if unsafeName is not a byte-case-insensitive match for an item in headerNames and
  //     request's credentials mode is "include" or headerNames does not contain `*`, return a
  //     network error.
  for (const unsafe of ask.unsafeHeaderNames) {
    if (!names.includes(lower(unsafe)) && (ask.credentials === 'include' || !names.includes('*'))) {
      return false;
    }
  }
  return true;
}

/**
 * RFC 9111 section 4.1 (the cache side of Vary, which the Fetch standard's CORS protocol section
 * 3.2.5 relies on): a stored response may answer another request only when every header its
 * `Vary` names matches. So when two requests that differ only in header `name` get different
 * answers, each answer's Vary must name `name` (or be `*`). The names that must be there.
 */
export function varyMustName(
  answerA: { readonly status: number; readonly headers: Headers },
  answerB: { readonly status: number; readonly headers: Headers },
  differingHeader: string,
): boolean {
  return canonicalAnswer(answerA) !== canonicalAnswer(answerB) ? differingHeader !== '' : false;
}

/** Whether `vary` (a Vary value, or null) names `name` or is `*`. */
export function varyNames(vary: string | null, name: string): boolean {
  if (vary === null) return false;
  return vary
    .split(',')
    .map((v) => lower(v.trim()))
    .some((v) => v === '*' || v === lower(name));
}

/** An answer without its Vary, in a form two answers can be compared by. */
function canonicalAnswer(answer: { readonly status: number; readonly headers: Headers }): string {
  const lines = answer.headers
    .filter(([n]) => lower(n) !== 'vary')
    .map(([n, v]) => `${lower(n)}:${v}`)
    .sort();
  return `${answer.status}\n${lines.join('\n')}`;
}
