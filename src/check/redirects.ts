/**
 * Following a redirect the way a browser does: https://fetch.spec.whatwg.org/#http-redirect-fetch.
 * Pure: given the redirect response and the request's state, it returns the next request's state
 * or the reason the browser gives up.
 */

import type { HeaderList } from 'corsproof/spec';
import {
  asciiLowercase,
  type HeaderEntry,
  isNonWildcardRequestHeaderName,
  isSameOrigin,
  type Origin,
  originOfUrl,
} from 'corsproof/spec';
import type { FailureDetail } from './failures/detail.js';

/** https://fetch.spec.whatwg.org/#request-body-header-name */
const REQUEST_BODY_HEADER_NAMES = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]);

/** The parts of the request a redirect can change. */
export interface RedirectState {
  readonly url: URL;
  readonly method: string;
  readonly headers: readonly HeaderEntry[];
  readonly body: string | null;
  /** Redirects followed so far. */
  readonly redirectCount: number;
  /** The request's tainted origin flag: its Origin is `null` from now on. */
  readonly tainted: boolean;
}

export interface RedirectInput {
  readonly state: RedirectState;
  readonly status: number;
  /** The page origin (the request's origin). */
  readonly origin: Origin;
  /** Whether the request's response tainting is "cors" (a cross-origin URL was involved). */
  readonly corsTainting: boolean;
  readonly maxRedirects: number;
  /** See `BrowserProfile.deleteBecomesGetAcrossOrigins`. */
  readonly deleteBecomesGetAcrossOrigins?: boolean;
}

export type RedirectOutcome =
  | {
      readonly ok: true;
      readonly next: RedirectState;
      /** Page-set headers removed on the way (Authorization on a cross-origin hop, body headers). */
      readonly removedHeaders: readonly string[];
      /** Whether this hop turned the method into GET and dropped the body. */
      readonly becameGet: boolean;
    }
  | { readonly ok: false; readonly detail: FailureDetail };

/**
 * The response's location URL (fetch.bs "location URL"): the Location value parsed against the
 * current URL, with the current fragment when it has none. Identical Location lines count once
 * (measured); different ones never get here, the transport refuses them as Chromium does
 * (ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION).
 */
export function locationOf(
  headers: HeaderList,
  base: URL,
  /** Every line counts, identical or not, joined by ", " into one value (WebKit, measured). */
  combined = false,
): { url: URL } | { error: string } {
  const lines: string[] = [];
  for (const [name, value] of headers) {
    if (asciiLowercase(name) === 'location') lines.push(value.trim());
  }
  const values = combined ? lines : [...new Set(lines)];
  const raw = values.join(', ');
  if (!combined && values.length !== 1) return { error: raw };
  try {
    const url = new URL(raw, base);
    if (url.hash === '' && base.hash !== '') url.hash = base.hash;
    return { url };
  } catch {
    return { error: raw };
  }
}

/** Schemes Chromium's network stack refuses to redirect to (ERR_UNSAFE_REDIRECT, measured). */
const UNSAFE_REDIRECT_SCHEMES = new Set(['data:', 'file:', 'about:', 'blob:', 'filesystem:']);

/**
 * The rest of HTTP-redirect fetch, once the location URL parsed (step 4, done by the caller:
 * Chromium rejects an unparseable Location before the CORS check) and the CORS check passed.
 */
export function followRedirect(input: RedirectInput, target: URL): RedirectOutcome {
  const { state } = input;
  // 5. If locationURL's scheme is not an HTTP(S) scheme, then return a network error. Chromium
  // refuses data:, file:, about:, blob: and filesystem: in its network stack, and reports other
  // schemes (ftp:, ws:, javascript:, mailto:) as CorsDisabledScheme (measured).
  if (UNSAFE_REDIRECT_SCHEMES.has(target.protocol)) {
    return { ok: false, detail: { code: 'UnsafeRedirect', location: target.href } };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { ok: false, detail: { code: 'CorsDisabledScheme', location: target.href } };
  }
  // 6-7. If request's redirect count is 20 (the limit), return a network error; else increase it.
  if (state.redirectCount >= input.maxRedirects) {
    return { ok: false, detail: { code: 'TooManyRedirects', limit: input.maxRedirects } };
  }
  const withCredentials = target.username !== '' || target.password !== '';
  const targetOrigin = originOfUrl(target);
  // 8. If request's mode is "cors", locationURL includes credentials, and request's origin is not
  // same origin with locationURL's origin, then return a network error.
  // 9. If request's response tainting is "cors" and locationURL includes credentials, then return
  // a network error.
  if (
    withCredentials &&
    (input.corsTainting || state.tainted || !isSameOrigin(input.origin, targetOrigin))
  ) {
    return { ok: false, detail: { code: 'RedirectContainsCredentials', location: target.href } };
  }

  let { method, body } = state;
  const removed: string[] = [];
  let headers = [...state.headers];
  const currentOrigin = originOfUrl(state.url);
  // 11. If status is 301 or 302 and method is `POST`, or status is 303 and method is not `GET` or
  // `HEAD`: method becomes `GET`, body null, and the request-body-header names are removed.
  // WebKit also turns a DELETE redirected to another origin into a GET, whatever the status.
  const becameGet =
    ((input.status === 301 || input.status === 302) && method === 'POST') ||
    (input.status === 303 && method !== 'GET' && method !== 'HEAD') ||
    (input.deleteBecomesGetAcrossOrigins === true &&
      method === 'DELETE' &&
      !isSameOrigin(currentOrigin, targetOrigin));
  if (becameGet) {
    method = 'GET';
    body = null;
    headers = headers.filter(([name]) => {
      const drop = REQUEST_BODY_HEADER_NAMES.has(asciiLowercase(name));
      if (drop) removed.push(asciiLowercase(name));
      return !drop;
    });
  }
  // 12. If request's current URL's origin is not same origin with locationURL's origin, delete the
  // CORS non-wildcard request-header names (Authorization). Chromium 156 does (measured).
  if (!isSameOrigin(currentOrigin, targetOrigin)) {
    headers = headers.filter(([name]) => {
      const drop = isNonWildcardRequestHeaderName(name);
      if (drop) removed.push(asciiLowercase(name));
      return !drop;
    });
  }
  // Tainted origin: if locationURL's origin is not same origin with the current URL's origin and
  // the request's origin is not same origin with the current URL's origin, set the flag. (WPT
  // cors-redirect.any.js: "cors to another cors" and "cors to same origin" send `Origin: null`.)
  const tainted =
    state.tainted ||
    (!isSameOrigin(targetOrigin, currentOrigin) && !isSameOrigin(input.origin, currentOrigin));

  return {
    ok: true,
    next: { url: target, method, headers, body, redirectCount: state.redirectCount + 1, tainted },
    removedHeaders: removed,
    becameGet,
  };
}
