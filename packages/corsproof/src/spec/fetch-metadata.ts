/**
 * Fetch Metadata: the `Sec-Fetch-Site` value a browser sends, from the request's origin and the
 * URLs it has visited. https://w3c.github.io/webappsec-fetch-metadata/
 */
import { isSameOrigin, type Origin, originOfUrl } from './origin.js';
import { isSameSite } from './site.js';

/**
 * https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header, without `none`: that one
 * is for navigations the user started, and fetch() never is one.
 */
export type FetchSite = 'same-origin' | 'same-site' | 'cross-site';

/**
 * https://w3c.github.io/webappsec-fetch-metadata/#abstract-opdef-set-site, for a request from
 * `origin` whose URL list is `urls`: the weakest relation between the origin and any URL the
 * request has visited, so a redirect through another site makes it cross-site. (Step 1 asserts the
 * current URL is potentially trustworthy; whether the header is sent at all is the caller's call.)
 *
 * @example
 * fetchSite(originOfUrl('https://app.example.com'), [new URL('https://api.example.com/')])
 * // 'same-site'
 */
export function fetchSite(origin: Origin, urls: readonly URL[]): FetchSite {
  // 3. Set header's value to same-origin.
  let site: FetchSite = 'same-origin';
  // 4. (A navigation the user started gets none: never a fetch() call.)
  // 5. For each url of r's url list:
  for (const url of urls) {
    const target = originOfUrl(url);
    // 5.1. If url is same origin with r's origin, continue.
    if (isSameOrigin(origin, target)) continue;
    // 5.2. Set header's value to cross-site.
    // 5.3. If r's origin is not same site with url's origin, then break.
    if (!isSameSite(origin, target)) return 'cross-site';
    // 5.4. Set header's value to same-site.
    site = 'same-site';
  }
  return site;
}
