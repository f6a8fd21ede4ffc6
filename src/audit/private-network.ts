/**
 * `private-network-target`: an untrusted public origin's Private Network Access preflight is
 * accepted with `Access-Control-Allow-Private-Network: true`. The header only matters for a target
 * on a private or local address (the WICG draft's address spaces); a target on a public IP literal
 * gets `info`, a name is taken at its word (an endpoint that answers the header expects private
 * clients). https://wicg.github.io/private-network-access/#cors-preflight Pure.
 */

import { BlockList, isIP } from 'node:net';
import { ACAO, ACAPN, getHeader, isLoopbackHost } from 'corsproof/spec';
import { type Finding, makeFinding } from './findings.js';
import type { Leg } from './legs.js';

/**
 * The private and local address blocks of the Private Network Access draft ("IP address space":
 * RFC 1918, link-local, loopback, IPv6 unique-local and link-local).
 * https://wicg.github.io/private-network-access/#ip-address-space-section
 */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Where the URL's host sits: a private or local address, a public one, or a name (unknown). */
export function addressSpaceOf(url: URL): 'non-public' | 'public' | 'name' {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family === 0) return isLoopbackHost(url.hostname) ? 'non-public' : 'name';
  return NON_PUBLIC.check(host, family === 4 ? 'ipv4' : 'ipv6') ? 'non-public' : 'public';
}

/**
 * The finding when an untrusted origin's private network preflight is accepted with
 * `Access-Control-Allow-Private-Network: true`; null otherwise. `*` counts: on a private address
 * it is exactly the data an intranet position was protecting.
 *
 * @example
 * privateNetworkTarget(new URL('http://192.168.1.1/api'), [{ origin: 'https://cp1.example', leg }])
 * // { id: 'private-network-target', severity: 'medium', ... }
 */
export function privateNetworkTarget(
  url: URL,
  legs: readonly { readonly origin: string; readonly leg: Leg }[],
): Finding | null {
  const open = legs.find(({ leg }) => {
    const head = leg.preflight;
    const passes = leg.summary.passes;
    return (
      head !== null && (passes.omit || passes.include) && getHeader(head.headers, ACAPN) === 'true'
    );
  });
  if (open === undefined) return null;
  const space = addressSpaceOf(url);
  const credentials = open.leg.summary.passes.include;
  const star = getHeader(open.leg.preflight?.headers ?? [], ACAO) === '*' ? ' (through *)' : '';
  const where =
    space === 'public'
      ? `; ${url.hostname} is a public address, where browsers send no such preflight, so the header grants nothing today`
      : space === 'non-public'
        ? `: ${url.hostname} is a private or local address, so a page on that public origin can reach it through any visitor's browser`
        : `: if ${url.hostname} resolves to a private or local address, a page on that public origin can reach it through any visitor's browser`;
  return makeFinding('private-network-target', {
    origin: open.origin,
    message: `A private network preflight (Access-Control-Request-Private-Network: true) from ${open.origin}, an origin the endpoint should not trust, is accepted${star} with Access-Control-Allow-Private-Network: true${credentials ? ' and credentials' : ''}${where}`,
    credentials,
    impact: 'send',
    evidence: open.leg.evidence,
    ...(space === 'public' ? { severity: 'info' as const, maxSeverity: 'info' as const } : {}),
  });
}
