/**
 * Sites: public suffixes, registrable domains and "same site", for hosts as the URL parser
 * serializes them. https://html.spec.whatwg.org/multipage/browsers.html#sites and
 * https://url.spec.whatwg.org/#host-public-suffix
 * The Public Suffix List itself comes from tldts, with its private section (`github.io`), as
 * browsers use it.
 */
import { getDomain, getPublicSuffix } from 'tldts';
import type { Origin } from './origin.js';

const PSL = { allowPrivateDomains: true } as const;

/**
 * Whether a serialized host is a domain rather than an IP address: IPv6 comes in brackets, and a
 * host whose last label is a number is always IPv4 (https://url.spec.whatwg.org/#ends-in-a-number-checker).
 */
function isDomain(host: string): boolean {
  if (host === '' || host.charCodeAt(0) === 0x5b) return false;
  let end = host.length;
  if (host.charCodeAt(end - 1) === 0x2e) end--;
  const start = host.lastIndexOf('.', end - 1) + 1;
  if (start >= end) return true;
  for (let i = start; i < end; i++) {
    const c = host.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return true;
  }
  return false;
}

/**
 * https://url.spec.whatwg.org/#host-public-suffix
 *
 * @example
 * publicSuffix('app.example.co.uk') // 'co.uk'
 * publicSuffix('me.github.io')      // 'github.io'
 * publicSuffix('127.0.0.1')         // null
 */
export function publicSuffix(host: string): string | null {
  // 1. If host is not a domain, then return null.
  if (!isDomain(host)) return null;
  // 3. Let publicSuffix be the public suffix determined by running the Public Suffix List
  //    algorithm with host as domain.
  const suffix = getPublicSuffix(host, PSL);
  if (suffix === null || suffix === '') return null;
  // 2. Let trailingDot be "." if host ends with "."; otherwise the empty string.
  // 4-5. Return publicSuffix and trailingDot concatenated (tldts drops the dot, the standard keeps it).
  return host.charCodeAt(host.length - 1) === 0x2e ? `${suffix}.` : suffix;
}

/**
 * https://url.spec.whatwg.org/#host-registrable-domain: the public suffix and the label before it,
 * or null for an IP address or a host that is itself a public suffix.
 *
 * @example
 * registrableDomain('api.example.com') // 'example.com'
 * registrableDomain('a.b.github.io')   // 'b.github.io'
 * registrableDomain('github.io')       // null
 */
export function registrableDomain(host: string): string | null {
  // 1. If host's public suffix is null or host's public suffix equals host, then return null.
  if (!isDomain(host)) return null;
  // 3. Let registrableDomain be the registrable domain determined by running the Public Suffix
  //    List algorithm with host as domain (tldts gives null where step 1 does).
  const domain = getDomain(host, PSL);
  if (domain === null || domain === '') return null;
  // 2. Let trailingDot be "." if host ends with "."; otherwise the empty string.
  // 4-5. Return registrableDomain and trailingDot concatenated.
  return host.charCodeAt(host.length - 1) === 0x2e ? `${domain}.` : domain;
}

/**
 * Whether `host` is a public suffix (`com`, `co.uk`, `github.io`, `com.`): a name under which
 * anyone can register a site of their own.
 *
 * Departs from the list's default rule for `localhost`: the Public Suffix List algorithm makes any
 * unlisted top-level name a public suffix, but names under `localhost` are reserved for loopback
 * (RFC 6761 section 6.3, and browsers resolve them so: see `isLoopbackHost`), so nobody registers one.
 *
 * @example
 * isPublicSuffix('github.io')   // true
 * isPublicSuffix('example.com') // false
 * isPublicSuffix('localhost')   // false
 */
export function isPublicSuffix(host: string): boolean {
  if (host === 'localhost' || host === 'localhost.') return false;
  return publicSuffix(host) === host;
}

/**
 * https://html.spec.whatwg.org/multipage/browsers.html#same-site (schemeful): the same scheme, and
 * schemelessly same site (https://html.spec.whatwg.org/multipage/browsers.html#schemelessly-same-site).
 * Hosts under a private registry are sites of their own: `a.github.io` and `b.github.io` are not
 * same site.
 *
 * @example
 * isSameSite(originOfUrl('https://app.example.com'), originOfUrl('https://api.example.com')) // true
 * isSameSite(originOfUrl('https://app.example.com'), originOfUrl('http://app.example.com'))  // false
 */
export function isSameSite(a: Origin, b: Origin): boolean {
  // Same site: A and B are either both opaque origins, or both tuple origins with the same scheme,
  // and they are schemelessly same site.
  if (a.type === 'opaque' || b.type === 'opaque') {
    // Schemelessly same site, 1. If A and B are the same opaque origin, then return true.
    return a === b;
  }
  if (a.scheme !== b.scheme) return false;
  // 2. If A and B are both tuple origins:
  //    2.1. Let hostA be A's host, and let hostB be B's host.
  //    2.2. If hostA equals hostB and hostA's registrable domain is null, then return true.
  //    2.3. If hostA's registrable domain equals hostB's registrable domain and is non-null, then
  //         return true. (Equal hosts pass one of the two, so they need no lookup.)
  if (a.host === b.host) return true;
  const site = registrableDomain(a.host);
  // 3. Return false.
  return site !== null && site === registrableDomain(b.host);
}
