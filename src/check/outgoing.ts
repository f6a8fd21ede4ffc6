/**
 * The requests a browser puts on the wire: the preflight and the request itself, with the headers
 * the browser adds (measured on Chromium 156: `Accept`, `Origin`, `User-Agent`, the `Sec-Fetch-*`
 * trio, `Referer`, `Accept-Language`, and on CORS requests the `Sec-CH-UA*` client hints).
 * `Sec-Fetch-*` and client hints go only to potentially trustworthy URLs (https, loopback).
 * `Accept-Encoding` is left out on purpose: bodies stay readable and curl reproduces it as is.
 */
import type { FetchSite, HeaderEntry, Origin } from 'corsproof/spec';
import { asciiLowercase } from 'corsproof/spec';
import type { BrowserProfile } from './profiles.js';
import type { SentRequest } from './result.js';

/**
 * https://w3c.github.io/webappsec-fetch-metadata/#abstract-opdef-append-the-fetch-metadata-headers-for-a-request
 * step 1: nothing for a URL that is not potentially trustworthy (a plain-http public host), and so
 * do both browsers (Chromium's SetFetchMetadataHeaders, Firefox's SecFetch::AddSecFetchHeader;
 * measured on both, test/browser), except that a Chromium preflight always carries its mode (see
 * `BrowserProfile.preflightAlwaysSendsFetchMode`). Mode before site in a preflight, site first in
 * a request: the order Chromium 156 writes them in.
 */
function pushFetchMetadata(
  headers: HeaderEntry[],
  trustworthy: boolean,
  site: FetchSite,
  preflightOf: BrowserProfile | null,
): void {
  if (preflightOf !== null) {
    if (trustworthy || preflightOf.preflightAlwaysSendsFetchMode) {
      headers.push(['Sec-Fetch-Mode', 'cors']);
    }
    if (trustworthy) headers.push(['Sec-Fetch-Site', site], ['Sec-Fetch-Dest', 'empty']);
    return;
  }
  if (!trustworthy) return;
  headers.push(['Sec-Fetch-Site', site], ['Sec-Fetch-Mode', 'cors'], ['Sec-Fetch-Dest', 'empty']);
}

/**
 * The Referer a page sends under the default policy, strict-origin-when-cross-origin: its origin
 * and `/` (the page URL itself is unknown to the checker), nothing from an opaque origin or when
 * an https page calls an http URL.
 */
export function referrerFor(page: Origin, url: URL): string | null {
  if (page.type === 'opaque') return null;
  if (page.scheme === 'https' && url.protocol === 'http:') return null;
  const port = page.port === null ? '' : `:${page.port}`;
  return `${page.scheme}://${page.host}${port}/`;
}

export interface PreflightRequestInput {
  readonly url: URL;
  /** Whether `url` is potentially trustworthy (spec/secure-context.ts), worked out once per hop. */
  readonly trustworthy: boolean;
  /** The actual request's method. */
  readonly method: string;
  /** CORS-unsafe request-header names, lower-cased and sorted. */
  readonly unsafeHeaderNames: readonly string[];
  /** The serialized request origin (`null` once tainted). */
  readonly origin: string;
  readonly site: FetchSite;
  readonly referrer: string | null;
  readonly profile: BrowserProfile;
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch steps 1-5: an OPTIONS request with
 * `Accept: *\/*`, Access-Control-Request-Method, Access-Control-Request-Headers (omitted when empty),
 * and never any credentials, page-set headers or cookies. Header order as Chromium 156 sends them.
 */
export function preflightRequest(input: PreflightRequestInput): SentRequest {
  const headers: HeaderEntry[] = [
    // 2. Append (`Accept`, `*/*`) to preflight's header list.
    ['Accept', '*/*'],
    // 3. Append (`Access-Control-Request-Method`, request's method).
    ['Access-Control-Request-Method', input.method],
  ];
  // 4-5. If the CORS-unsafe request-header names are not empty, append them joined by "," (no space).
  if (input.unsafeHeaderNames.length > 0) {
    headers.push(['Access-Control-Request-Headers', input.unsafeHeaderNames.join(',')]);
  }
  headers.push(['Origin', input.origin], ['User-Agent', input.profile.userAgent]);
  pushFetchMetadata(headers, input.trustworthy, input.site, input.profile);
  if (input.referrer !== null) headers.push(['Referer', input.referrer]);
  headers.push(['Accept-Language', input.profile.acceptLanguage]);
  return { method: 'OPTIONS', url: input.url.href, headers, body: null };
}

export interface ActualRequestInput {
  readonly url: URL;
  /** Whether `url` is potentially trustworthy (spec/secure-context.ts), worked out once per hop. */
  readonly trustworthy: boolean;
  readonly method: string;
  /** The page-set headers the browser keeps. */
  readonly headers: readonly HeaderEntry[];
  readonly body: string | null;
  /** The serialized request origin, or null when no Origin header goes out (same-origin GET). */
  readonly origin: string | null;
  readonly site: FetchSite;
  readonly referrer: string | null;
  /** The Cookie value to send when the credentials flag is set, else null. */
  readonly cookie: string | null;
  /** Whether the profile's client hints go out (`clientHintsAt` decides, along the redirects). */
  readonly clientHints: boolean;
  /** Leave out Sec-Fetch-* (see `BrowserProfile.dropsFetchMetadataAcrossOrigins`). */
  readonly withoutFetchMetadata?: boolean;
  readonly profile: BrowserProfile;
}

/** The request itself: the page's headers plus what the browser adds. */
export function actualRequest(input: ActualRequestInput): SentRequest {
  const has = (name: string) => input.headers.some(([n]) => asciiLowercase(n) === name);
  const headers: HeaderEntry[] = [...input.headers];
  if (!has('accept')) headers.push(['Accept', '*/*']);
  if (input.origin !== null) headers.push(['Origin', input.origin]);
  headers.push(['User-Agent', input.profile.userAgent]);
  if (input.clientHints) {
    for (const hint of input.profile.extraRequestHeaders) headers.push([hint[0], hint[1]]);
  }
  if (!input.withoutFetchMetadata) pushFetchMetadata(headers, input.trustworthy, input.site, null);
  if (input.referrer !== null) headers.push(['Referer', input.referrer]);
  if (!has('accept-language')) headers.push(['Accept-Language', input.profile.acceptLanguage]);
  if (input.cookie !== null) headers.push(['Cookie', input.cookie]);
  return { method: input.method, url: input.url.href, headers, body: input.body };
}

/**
 * Whether Chromium's user-agent client hints go out on a hop (measured on Chromium 156, test/browser
 * "untrusted host" cases). The page adds them when the first URL is potentially trustworthy. A
 * redirect followed in place drops them when it leaves a trustworthy URL for one that is not
 * (MaybeRemoveSecHeaders) and never adds them back; a redirect that restarts the request (a new
 * preflight, the move from same-origin to CORS, or a CORS request whose method the redirect
 * changed: CorsURLLoader::FollowRedirect) starts again from the page's headers.
 *
 * `first`, `from` and `to` say whether the first URL, the URL the redirect leaves (null on the
 * first hop) and this hop's URL are potentially trustworthy.
 */
export function clientHintsAt(
  previous: boolean,
  hop: {
    readonly first: boolean;
    readonly from: boolean | null;
    readonly to: boolean;
    readonly restart: boolean;
  },
): boolean {
  if (hop.from === null || hop.restart) return hop.first;
  return previous && !(hop.from && !hop.to);
}
