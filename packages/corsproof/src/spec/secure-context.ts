/**
 * Secure Contexts: which origins and URLs a browser treats as potentially trustworthy, and the
 * loopback hosts among them (for which `http:` is as good as `https:`: nothing between the page and
 * the server can read or change the traffic). https://w3c.github.io/webappsec-secure-contexts/
 */
import { type Origin, originOfUrl } from './origin.js';

/**
 * Whether `host` names this machine's loopback, by steps 4 and 5 of "is origin potentially
 * trustworthy?": an IPv4 address in 127.0.0.0/8, the IPv6 address `::1` (and not the IPv4-mapped
 * `::ffff:127.0.0.1`, which is outside ::1/128), `localhost`, or a name ending in `.localhost`, a
 * trailing dot allowed (browsers resolve those names to loopback themselves: "let localhost be
 * localhost", which Chromium and Firefox follow).
 *
 * `host` is taken as the URL parser serializes it (`URL.hostname`, an origin's host): lower case,
 * IPv4 in dotted decimal, IPv6 compressed in brackets. Any other spelling (`LOCALHOST`, `127.1`,
 * `::1`) is not a serialized host and gets false; bring outside text to that form with `parseHost`.
 * Runs per redirect hop, so it reads characters and allocates nothing.
 *
 * @example
 * isLoopbackHost('127.0.0.2')     // true
 * isLoopbackHost('app.localhost') // true
 * isLoopbackHost('[::1]')         // true
 * isLoopbackHost('10.0.0.1')      // false
 */
export function isLoopbackHost(host: string): boolean {
  // 4. If origin's host matches one of the CIDR notations 127.0.0.0/8 or ::1/128, return
  //    "Potentially Trustworthy". The serializer writes ::1 as `[::1]` and nothing else.
  if (host === '[::1]') return true;
  if (host.startsWith('127.')) return isDottedDecimalTail(host, 4);
  // 5. If the user agent conforms to the name resolution rules in [let-localhost-be-localhost] and
  //    origin's host is "localhost" or "localhost.", or ends with ".localhost" or ".localhost.",
  //    return "Potentially Trustworthy".
  return (
    host === 'localhost' ||
    host === 'localhost.' ||
    host.endsWith('.localhost') ||
    host.endsWith('.localhost.')
  );
}

/**
 * Whether `host` from `start` on is the last three parts of an IPv4 address as the URL standard's
 * IPv4 serializer writes them: decimal numbers from 0 to 255 without leading zeros, joined by dots.
 */
function isDottedDecimalTail(host: string, start: number): boolean {
  let parts = 0;
  let i = start;
  for (;;) {
    const first = i;
    let value = 0;
    for (; i < host.length; i++) {
      const c = host.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
    }
    const digits = i - first;
    if (digits === 0 || digits > 3 || value > 255) return false;
    if (digits > 1 && host.charCodeAt(first) === 0x30) return false;
    parts++;
    if (i === host.length) return parts === 3;
    if (parts === 3 || host.charCodeAt(i) !== 0x2e) return false;
    i++;
  }
}

/**
 * https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy
 * Steps 7 and 8 (schemes the user agent considers authenticated, origins configured as trustworthy)
 * are user-agent settings; the browsers imitated here have none that apply to web origins.
 *
 * @example
 * isPotentiallyTrustworthyOrigin(originOfUrl('http://localhost:3000')) // true
 * isPotentiallyTrustworthyOrigin(originOfUrl('http://app.example'))    // false
 */
export function isPotentiallyTrustworthyOrigin(origin: Origin): boolean {
  // 1. If origin is an opaque origin, return "Not Trustworthy".
  if (origin.type === 'opaque') return false;
  // 2. Assert: origin is a tuple origin.
  // 3. If origin's scheme is either "https" or "wss", return "Potentially Trustworthy".
  if (origin.scheme === 'https' || origin.scheme === 'wss') return true;
  // 4-5. Loopback addresses and localhost names.
  if (isLoopbackHost(origin.host)) return true;
  // 6. If origin's scheme is "file", return "Potentially Trustworthy".
  if (origin.scheme === 'file') return true;
  // 9. Return "Not Trustworthy".
  return false;
}

/**
 * https://w3c.github.io/webappsec-secure-contexts/#is-url-trustworthy
 * The checker asks it of every URL a request visits, so an http(s) URL is answered from its
 * scheme and host without building its origin.
 *
 * @example
 * isPotentiallyTrustworthyUrl(new URL('http://127.0.0.1:8080/')) // true
 * isPotentiallyTrustworthyUrl(new URL('http://api.example/'))    // false
 */
export function isPotentiallyTrustworthyUrl(url: URL): boolean {
  const scheme = url.protocol;
  // Steps 1 and 2 concern about: and data: URLs only, so an http(s) or ws(s) URL goes straight to
  // step 3, and its origin is its scheme, host and port: the origin's steps 3-5 read them here.
  if (scheme === 'https:' || scheme === 'wss:') return true;
  if (scheme === 'http:' || scheme === 'ws:') return isLoopbackHost(url.hostname);
  // 1. If url is "about:blank" or "about:srcdoc", return "Potentially Trustworthy" (a URL
  //    matches about:blank whatever its query and fragment:
  //    https://html.spec.whatwg.org/multipage/urls-and-fetching.html#matches-about:blank).
  if (scheme === 'about:') return url.pathname === 'blank' || url.pathname === 'srcdoc';
  // 2. If url's scheme is "data", return "Potentially Trustworthy".
  if (scheme === 'data:') return true;
  // 3. Return the result of executing "is origin potentially trustworthy?" on url's origin. The URL
  //    standard leaves a file: URL's origin to the implementation; browsers give it the file
  //    scheme, which the origin's step 6 trusts.
  if (scheme === 'file:') return true;
  return isPotentiallyTrustworthyOrigin(originOfUrl(url));
}
