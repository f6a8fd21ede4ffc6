/**
 * The checks a browser makes before a request (or a redirect hop) leaves: port blocking and mixed
 * content. Failing them makes fetch() reject without any CORS involved. The facts they rest on
 * (bad ports, potentially trustworthy URLs, loopback hosts) are the standards', in spec/.
 */

import type { Origin } from 'corsproof/spec';
import { isLoopbackHost, isPotentiallyTrustworthyUrl, parseHost } from 'corsproof/spec';

/** The port an http(s) URL (or undici's connect options, shaped alike) connects to. */
export function portOf(target: { readonly protocol: string; readonly port: string }): number {
  if (target.port !== '') return Number(target.port);
  return target.protocol === 'https:' ? 443 : 80;
}

/**
 * https://w3c.github.io/webappsec-mixed-content/: a page on https (a secure context) may not
 * fetch an http URL unless that URL is potentially trustworthy (a loopback address).
 */
export function isMixedContent(page: Origin, url: URL): boolean {
  return page.type === 'tuple' && page.scheme === 'https' && !isPotentiallyTrustworthyUrl(url);
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
  if (address !== null) return isLocalHost(parseHost(address) ?? '');
  return isLocalHost(url.hostname);
}

/** Whether a serialized host is loopback or in a private or link-local range. */
function isLocalHost(host: string): boolean {
  if (isLoopbackHost(host)) return true;
  const h = host.replace(/^\[|\]$/g, '');
  return (
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(h) ||
    /^169\.254\./.test(h) ||
    /^f[cd][0-9a-f]{2}:/.test(h) ||
    /^fe[89ab][0-9a-f]:/.test(h)
  );
}
