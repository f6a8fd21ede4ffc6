/**
 * The checks a browser makes before a request (or a redirect hop) leaves: port blocking and mixed
 * content. Failing them makes fetch() reject without any CORS involved.
 */
import type { Origin } from '../spec/origin.js';

/** https://fetch.spec.whatwg.org/#bad-port */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/** The port an http(s) URL (or undici's connect options, shaped alike) connects to. */
export function portOf(target: { readonly protocol: string; readonly port: string }): number {
  if (target.port !== '') return Number(target.port);
  return target.protocol === 'https:' ? 443 : 80;
}

/** https://fetch.spec.whatwg.org/#port-blocking: an http(s) URL on a bad port is blocked. */
export function isBadPort(url: URL): boolean {
  return BAD_PORTS.has(portOf(url));
}

/** Loopback hosts: 127.0.0.0/8, [::1], `localhost` and `*.localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * https://w3c.github.io/webappsec-secure-contexts/#is-url-trustworthy, for http(s) URLs: https,
 * or a loopback host.
 */
export function isPotentiallyTrustworthy(url: URL): boolean {
  return url.protocol === 'https:' || isLoopbackHost(url.hostname);
}

/**
 * https://w3c.github.io/webappsec-mixed-content/: a page on https (a secure context) may not
 * fetch an http URL unless that URL is potentially trustworthy (a loopback address).
 */
export function isMixedContent(page: Origin, url: URL): boolean {
  return page.type === 'tuple' && page.scheme === 'https' && !isPotentiallyTrustworthy(url);
}

/**
 * Local Network Access (Chromium): a public page calling a loopback or private address needs the
 * user's permission, which no response header can grant. Judged from the URL (IP literals and
 * `localhost`), or from `address` when the name is pinned to one (`createCheckDispatcher`'s
 * `resolve`); a public name that DNS resolves to a private address is not detected.
 */
export function isLocalNetworkRequest(
  page: Origin,
  url: URL,
  address: string | null = null,
): boolean {
  if (page.type === 'opaque') return false;
  if (isLocalHost(page.host)) return false;
  if (address !== null) return isLocalHost(address.includes(':') ? `[${address}]` : address);
  return isLocalHost(url.hostname);
}

function isLocalHost(host: string): boolean {
  if (isLoopbackHost(host)) return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
    /^169\.254\./.test(h) ||
    /^f[cd][0-9a-f]{2}:/.test(h) ||
    /^fe[89ab][0-9a-f]:/.test(h)
  );
}
