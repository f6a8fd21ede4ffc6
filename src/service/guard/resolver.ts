/**
 * Resolve a target host name once and validate every address it resolves to. The dispatcher connects
 * only to the list this returns, so what was validated is what is connected to (no DNS rebinding
 * between a check and a connect).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, isIPv6 } from 'node:net';
import { classifyAddress } from './address-policy.js';
import { classifyHostname } from './hostname-policy.js';
import { refuseAddress, refuseHostname, refuseNoAddresses, type TargetRefusal } from './refusal.js';
import type { TargetUrlOptions } from './target-url.js';

/** One answer of a lookup, as `dns.promises.lookup` gives it. */
export interface LookupAddress {
  readonly address: string;
  readonly family: number;
}

/**
 * The resolver's view of DNS: the signature of `dns.promises.lookup(host, { all: true, verbatim: true })`,
 * so tests can inject answers and the service can plug in a caching or DoH resolver.
 */
export type LookupFunction = (
  hostname: string,
  options: { all: true; verbatim: true },
) => Promise<readonly LookupAddress[]>;

/** Options of `resolveHostname`. */
export interface ResolveOptions extends TargetUrlOptions {
  /** Defaults to `dns.promises.lookup` (getaddrinfo: `/etc/hosts`, then DNS). */
  readonly lookup?: LookupFunction;
}

/** An address that passed the policy, with its family as `net.isIP` reads it. */
export interface ValidatedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** A host name resolved to a non-empty list of validated addresses, in resolver order. */
export interface ResolvedHost {
  readonly ok: true;
  readonly hostname: string;
  readonly addresses: readonly ValidatedAddress[];
}

/** A refused host name. */
export interface RefusedHost extends TargetRefusal {
  readonly ok: false;
}

export type ResolveResult = ResolvedHost | RefusedHost;

const defaultLookup: LookupFunction = (hostname, options) => dnsLookup(hostname, options);

/**
 * Resolve `hostname` once (all A and AAAA records) and validate EVERY address: one refused address
 * refuses the whole name. Filtering the bad ones out instead would not be safe: a connection falls
 * back from one address to the next (Happy Eyeballs, RFC 8305, and Node's `autoSelectFamily`), so an
 * attacker who publishes `[public, 127.0.0.1]` and makes the public one fail steers the socket to
 * loopback; and a public site has no reason to publish private addresses, so such a name is either
 * an attack or a split-horizon mistake the user should hear about.
 *
 * Local names (`localhost`, `*.internal`, single labels, ...; see `classifyHostname`) are refused
 * before any query. An IP literal (`10.0.0.1`, `::1`, `[::1]`) is classified without a query.
 * With `allowPrivateTargets`, both rules are off but every answer must still be an IP address.
 *
 * Lookup failures (`ENOTFOUND`, timeouts) reject: they are network errors, not refusals.
 *
 * @example
 * ```ts
 * const result = await resolveHostname('api.example.com');
 * if (result.ok) connectTo(result.addresses[0].address);
 * else console.log(result.code, result.reason);
 * ```
 */
export async function resolveHostname(
  hostname: string,
  options: ResolveOptions = {},
): Promise<ResolveResult> {
  const allowPrivate = options.allowPrivateTargets === true;

  const literal =
    hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(literal) !== 0) return validateAnswers(hostname, [literal], allowPrivate, false);

  if (!allowPrivate) {
    const verdict = classifyHostname(hostname);
    if (!verdict.allowed) return { ok: false, ...refuseHostname(verdict) };
  }

  const answers = await (options.lookup ?? defaultLookup)(hostname, { all: true, verbatim: true });
  return validateAnswers(
    hostname,
    answers.map((answer) => answer.address),
    allowPrivate,
    true,
  );
}

function validateAnswers(
  hostname: string,
  answers: readonly string[],
  allowPrivate: boolean,
  resolved: boolean,
): ResolveResult {
  const addresses: ValidatedAddress[] = [];
  const seen = new Set<string>();
  for (const answer of answers) {
    const verdict = classifyAddress(answer);
    // With private targets allowed, only a reply that is not an address at all is refused.
    if (!verdict.allowed && !(allowPrivate && verdict.family !== null)) {
      return { ok: false, ...refuseAddress(verdict, resolved ? hostname : undefined) };
    }
    if (seen.has(answer)) continue;
    seen.add(answer);
    addresses.push({ address: answer, family: isIPv6(answer) ? 6 : 4 });
  }
  if (addresses.length === 0) {
    return { ok: false, ...refuseNoAddresses(hostname) };
  }
  return { ok: true, hostname, addresses };
}
