/**
 * The URL-level gate of the SSRF guard: what can be decided from the URL alone, before any DNS query.
 * Run on the submitted URL and again on every redirect `Location`, since a redirect can change the
 * scheme, the port and the host.
 */
import { isIPv4 } from 'node:net';
import { isBadPort } from 'corsproof/spec';
import { classifyAddress } from './address-policy.js';
import { classifyHostname } from './hostname-policy.js';
import {
  refuseAddress,
  refuseBadPort,
  refuseCredentials,
  refuseHostname,
  refuseInvalidUrl,
  refuseScheme,
  type TargetRefusal,
} from './refusal.js';

/** Options shared by every check of the guard. */
export interface TargetUrlOptions {
  /**
   * Let IP-literal hosts in private and special-purpose ranges and local names (`localhost`,
   * `*.internal`, ...) through, for `corsproof serve --allow-private-targets` on a developer's machine.
   * Scheme, credential and port rules still apply. Default `false`.
   */
  readonly allowPrivateTargets?: boolean;
}

/** The target host: an IP literal, already classified, or a name still to resolve. */
export type TargetHost =
  | { readonly kind: 'ip'; readonly address: string; readonly family: 4 | 6 }
  | { readonly kind: 'name'; readonly hostname: string };

/** An accepted target URL. */
export interface AcceptedTargetUrl {
  readonly ok: true;
  /** The parsed URL: canonical host (`0x7f.1` became `127.0.0.1`), punycode for IDN. */
  readonly url: URL;
  readonly host: TargetHost;
  /** The effective port: the URL's, or the scheme's default. */
  readonly port: number;
}

/** A refused target URL. */
export interface RefusedTargetUrl extends TargetRefusal {
  readonly ok: false;
}

export type TargetUrlResult = AcceptedTargetUrl | RefusedTargetUrl;

const DEFAULT_PORT: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/**
 * Validate a target URL for the check service: WHATWG-parse it, allow only `http:`/`https:`, no
 * userinfo, no Fetch bad port; classify an IP-literal host at once and refuse local names
 * (`classifyHostname`). Resolving a name and checking its addresses is `resolveHostname`'s job.
 *
 * The WHATWG parser is the one browsers use, and it canonicalizes the IPv4 spellings that other
 * parsers read differently (`0177.0.0.1`, `2130706433`, `0x7f.1`, `127.1` all become `127.0.0.1`),
 * so the host we classify is the host a socket would reach.
 *
 * @example
 * ```ts
 * const result = validateTargetUrl('http://0x7f.1/');
 * if (!result.ok) console.log(result.code); // 'NON_PUBLIC_ADDRESS'
 * ```
 */
export function validateTargetUrl(input: string, options: TargetUrlOptions = {}): TargetUrlResult {
  // 1. Parse as a browser would.
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refused(refuseInvalidUrl(input));
  }

  // 2. CORS only exists for HTTP(S) fetches; anything else (file:, gopher:, ftp:) is SSRF bait.
  const defaultPort = DEFAULT_PORT[url.protocol];
  if (defaultPort === undefined) {
    return refused(refuseScheme(url.protocol));
  }

  // 3. https://fetch.spec.whatwg.org/#dom-request (step "If parsedURL includes credentials, then
  //    throw a TypeError"): a browser never sends such a request, and we do not forward credentials.
  if (url.username !== '' || url.password !== '') {
    return refused(refuseCredentials(url));
  }

  // 4. https://fetch.spec.whatwg.org/#block-bad-port
  const port = url.port === '' ? defaultPort : Number(url.port);
  if (isBadPort(port)) {
    return refused(refuseBadPort(port));
  }

  // 5. An IP literal is classified now: no lookup hook will ever see it.
  const host = targetHost(url.hostname);
  if (!options.allowPrivateTargets) {
    if (host.kind === 'ip') {
      const verdict = classifyAddress(host.address);
      if (!verdict.allowed) return refused(refuseAddress(verdict));
    } else {
      const verdict = classifyHostname(host.hostname);
      if (!verdict.allowed) return refused(refuseHostname(verdict));
    }
  }
  return { ok: true, url, host, port };
}

/** Split a WHATWG-canonical host into an IP literal or a name. */
function targetHost(hostname: string): TargetHost {
  // The URL serializer brackets IPv6 and writes IPv4 as four decimal parts, so these two tests
  // recognize every IP literal the parser accepted.
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    return { kind: 'ip', address: hostname.slice(1, -1), family: 6 };
  }
  if (isIPv4(hostname)) return { kind: 'ip', address: hostname, family: 4 };
  return { kind: 'name', hostname };
}

function refused(refusal: TargetRefusal): RefusedTargetUrl {
  return { ok: false, ...refusal };
}
