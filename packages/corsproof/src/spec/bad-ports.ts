/**
 * Port blocking: the ports a browser never fetches from, because a page could otherwise make it
 * talk SMTP, IRC, X11... to a server that trusts the browser's network position.
 * https://fetch.spec.whatwg.org/#port-blocking
 */

/**
 * https://fetch.spec.whatwg.org/#bad-port
 * Port 0 joined the list in 2025 (whatwg/fetch#1847); undici 7's own copy does not have it yet.
 */
const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/**
 * https://fetch.spec.whatwg.org/#bad-port: whether `port` is on the standard's list.
 *
 * @example
 * isBadPort(6000) // true (X11)
 * isBadPort(8080) // false
 */
export function isBadPort(port: number): boolean {
  return BAD_PORTS.has(port);
}

/**
 * https://fetch.spec.whatwg.org/#block-bad-port ("should request be blocked due to a bad port?"),
 * asked of the URL the request is about to fetch (its current URL). Runs once per redirect hop.
 *
 * @example
 * isBlockedByBadPort(new URL('http://example.com:25/')) // true
 * isBlockedByBadPort(new URL('https://example.com/'))   // false
 */
export function isBlockedByBadPort(url: URL): boolean {
  // 1. Let url be request's current URL.
  // 2. If url's scheme is an HTTP(S) scheme and url's port is a bad port, then return blocked.
  //    A URL on its scheme's default port has a null port (`url.port` is ''), never a bad one.
  const port = url.port;
  if (port === '') return false;
  const scheme = url.protocol;
  if (scheme !== 'http:' && scheme !== 'https:') return false;
  return BAD_PORTS.has(Number(port));
  // 3. Return allowed.
}
