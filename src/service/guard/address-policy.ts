/**
 * Which IP addresses the check service may connect to: globally routable unicast only.
 *
 * The tables follow the IANA special-purpose address registries (RFC 6890):
 * https://www.iana.org/assignments/iana-ipv4-special-registry and
 * https://www.iana.org/assignments/iana-ipv6-special-registry, plus the IANA IPv6 Address Space
 * registry, in which only 2000::/3 is allocated as global unicast. We keep our own tables rather
 * than trust `ipaddr.js` alone (its names are not our policy, and a library update may move a
 * range), then also refuse whatever `ipaddr.js` does not call `unicast`: an address passes only if
 * both agree.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A special-purpose range, as named in the refusal message. */
export interface AddressRange {
  /** Stable kebab-case id, e.g. `private-use`, `link-local`, `ipv4-mapped`. */
  readonly id: string;
  /** The range in CIDR notation, e.g. `10.0.0.0/8`; empty for `not-an-ip-address`. */
  readonly cidr: string;
  /** Where the range is defined, e.g. `RFC 1918`. */
  readonly reference: string;
}

/** An address the service may connect to. */
export interface AllowedAddress {
  readonly allowed: true;
  /** The address as given (the form a socket will connect to). */
  readonly address: string;
  readonly family: 4 | 6;
}

/** An address the service must not connect to, and the range that rules it out. */
export interface RefusedAddress {
  readonly allowed: false;
  readonly address: string;
  /** `null` when the input is not an IP address at all. */
  readonly family: 4 | 6 | null;
  /** The range that refused it; for a wrapped IPv4 address, the range of the embedded address. */
  readonly range: AddressRange;
  /** For IPv4-mapped and NAT64 addresses: the embedded IPv4 address and the wrapper range. */
  readonly embedded?: { readonly address: string; readonly via: AddressRange };
}

export type AddressVerdict = AllowedAddress | RefusedAddress;

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** What to do with an address inside a range: refuse it, or unwrap the IPv4 address it carries. */
type Handling = 'refuse' | 'unwrap';

interface Rule<A> extends AddressRange {
  readonly handling: Handling;
  readonly network: [A, number];
}

function rules<A extends IPv4 | IPv6>(
  parse: (cidr: string) => [A, number],
  entries: ReadonlyArray<
    readonly [id: string, cidr: string, reference: string, handling?: Handling]
  >,
): readonly Rule<A>[] {
  // Parsed once at load, so classifying an address is a short list of bit comparisons.
  return entries.map(([id, cidr, reference, handling = 'refuse']) => ({
    id,
    cidr,
    reference,
    handling,
    network: parse(cidr),
  }));
}

/**
 * IPv4, most specific first (the first match names the range). Everything here is refused: the
 * registry marks each block as not globally reachable, or as unfit as a destination.
 */
const IPV4_RULES = rules(
  (cidr) => ipaddr.IPv4.parseCIDR(cidr),
  [
    // "This network": Linux connects 0.0.0.0 to the local host (axios GHSA-42h9-826w-cgv3).
    ['this-network', '0.0.0.0/8', 'RFC 791 §3.2, RFC 1122 §3.2.1.3'],
    ['private-use', '10.0.0.0/8', 'RFC 1918'],
    // Carrier-grade NAT; also where Alibaba Cloud puts its metadata service (100.100.100.200).
    ['shared-address-space', '100.64.0.0/10', 'RFC 6598'],
    ['loopback', '127.0.0.0/8', 'RFC 1122 §3.2.1.3'],
    // Cloud metadata services (AWS, GCP, Azure: 169.254.169.254) live here.
    ['link-local', '169.254.0.0/16', 'RFC 3927'],
    ['private-use', '172.16.0.0/12', 'RFC 1918'],
    // Includes Oracle Cloud's metadata service, 192.0.0.192.
    ['ietf-protocol-assignments', '192.0.0.0/24', 'RFC 6890 §2.2.2'],
    ['documentation', '192.0.2.0/24', 'RFC 5737'],
    ['6to4-relay-anycast', '192.88.99.0/24', 'RFC 7526'],
    ['private-use', '192.168.0.0/16', 'RFC 1918'],
    ['benchmarking', '198.18.0.0/15', 'RFC 2544'],
    ['documentation', '198.51.100.0/24', 'RFC 5737'],
    ['documentation', '203.0.113.0/24', 'RFC 5737'],
    ['multicast', '224.0.0.0/4', 'RFC 5771'],
    ['limited-broadcast', '255.255.255.255/32', 'RFC 919, RFC 8190'],
    ['reserved', '240.0.0.0/4', 'RFC 1112 §4'],
  ],
);

/** IPv6, most specific first. */
const IPV6_RULES = rules(
  (cidr) => ipaddr.IPv6.parseCIDR(cidr),
  [
    ['unspecified', '::/128', 'RFC 4291 §2.5.2'],
    ['loopback', '::1/128', 'RFC 4291 §2.5.3'],
    // The socket reaches the embedded IPv4 address, so that address decides (the hex form
    // ::ffff:a9fe:a9fe is 169.254.169.254: intrafind/ihub-apps#1593).
    ['ipv4-mapped', '::ffff:0:0/96', 'RFC 4291 §2.5.5.2', 'unwrap'],
    // Deprecated, and some stacks route it to the embedded IPv4 address: refused whatever it embeds.
    ['ipv4-compatible', '::/96', 'RFC 4291 §2.5.5.1'],
    // NAT64 well-known prefix: DNS64 networks synthesize 64:ff9b::a.b.c.d for IPv4-only names, so
    // refusing the prefix would break the service on an IPv6-only host. The translator reaches the
    // embedded IPv4 address, so we re-check that address; RFC 6052 §3.1 forbids non-global ones here,
    // but we do not rely on the translator enforcing it.
    ['nat64', '64:ff9b::/96', 'RFC 6052', 'unwrap'],
    // Local-use NAT64 prefix: where the IPv4 address sits depends on a prefix length we cannot know
    // (RFC 6052 §2.2), so it cannot be re-checked; refused outright.
    ['nat64-local-use', '64:ff9b:1::/48', 'RFC 8215'],
    ['discard-only', '100::/64', 'RFC 6666'],
    // Teredo tunnels to an IPv4 address obfuscated in the low bits; refused outright.
    ['teredo', '2001::/32', 'RFC 4380'],
    ['ietf-protocol-assignments', '2001::/23', 'RFC 2928'],
    ['documentation', '2001:db8::/32', 'RFC 3849'],
    // 6to4 embeds an IPv4 address (2002:a9fe:a9fe:: is 169.254.169.254); relays are deprecated
    // (RFC 7526), so refused outright rather than unwrapped.
    ['6to4', '2002::/16', 'RFC 3056'],
    ['documentation', '3fff::/20', 'RFC 9637'],
    ['segment-routing', '5f00::/16', 'RFC 9602'],
    // Unique local; AWS serves its metadata on fd00:ec2::254.
    ['unique-local', 'fc00::/7', 'RFC 4193'],
    ['link-local', 'fe80::/10', 'RFC 4291 §2.5.6'],
    ['site-local', 'fec0::/10', 'RFC 3879'],
    ['multicast', 'ff00::/8', 'RFC 4291 §2.7'],
  ],
);

/** https://www.iana.org/assignments/ipv6-address-space: only 2000::/3 is global unicast. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

const NOT_GLOBAL_UNICAST: AddressRange = {
  id: 'not-global-unicast',
  cidr: '2000::/3',
  reference: 'RFC 4291 §2.4, IANA IPv6 Address Space',
};

const SCOPED: AddressRange = { id: 'scoped-address', cidr: '', reference: 'RFC 4007 §11' };

const NOT_AN_IP: AddressRange = { id: 'not-an-ip-address', cidr: '', reference: '' };

/**
 * Classify an IP address: allowed only when it is globally routable unicast.
 *
 * Takes the strict textual forms `net.isIP` accepts (dotted-decimal IPv4, RFC 4291 IPv6); anything
 * else, including the `0177.0.0.1` forms a WHATWG URL parser would canonicalize first, is refused as
 * `not-an-ip-address`, so a caller can never smuggle a form we read differently from the OS.
 * IPv6 addresses with a zone (`fe80::1%eth0`) are refused: a zone only means something on-link.
 *
 * @example
 * ```ts
 * classifyAddress('93.184.216.34'); // { allowed: true, address: '93.184.216.34', family: 4 }
 * classifyAddress('::ffff:a9fe:a9fe').allowed; // false: IPv4-mapped 169.254.169.254, link-local
 * ```
 */
export function classifyAddress(ip: string): AddressVerdict {
  const version = isIP(ip);
  if (version !== 4 && version !== 6)
    return { allowed: false, address: ip, family: null, range: NOT_AN_IP };
  if (ip.includes('%')) return { allowed: false, address: ip, family: 6, range: SCOPED };
  try {
    return version === 4
      ? classifyIPv4(ip, ipaddr.IPv4.parse(ip))
      : classifyIPv6(ip, ipaddr.IPv6.parse(ip));
  } catch {
    // Node and ipaddr.js disagree on the syntax: fail closed.
    return { allowed: false, address: ip, family: version, range: NOT_AN_IP };
  }
}

function classifyIPv4(address: string, ip: IPv4): AddressVerdict {
  const rule = IPV4_RULES.find((r) => ip.match(r.network));
  if (rule) return { allowed: false, address, family: 4, range: rangeOf(rule) };
  const range = ip.range();
  if (range !== 'unicast') return { allowed: false, address, family: 4, range: ipaddrRange(range) };
  return { allowed: true, address, family: 4 };
}

function classifyIPv6(address: string, ip: IPv6): AddressVerdict {
  const rule = IPV6_RULES.find((r) => ip.match(r.network));
  if (rule?.handling === 'unwrap') {
    // The last 32 bits are the IPv4 address, for mapped addresses and for the /96 NAT64 prefix.
    const inner = new ipaddr.IPv4(ip.toByteArray().slice(12));
    const verdict = classifyIPv4(inner.toString(), inner);
    if (verdict.allowed) return { allowed: true, address, family: 6 };
    return {
      allowed: false,
      address,
      family: 6,
      range: verdict.range,
      embedded: { address: verdict.address, via: rangeOf(rule) },
    };
  }
  if (rule) return { allowed: false, address, family: 6, range: rangeOf(rule) };
  if (!ip.match(IPV6_GLOBAL_UNICAST)) {
    return { allowed: false, address, family: 6, range: NOT_GLOBAL_UNICAST };
  }
  const range = ip.range();
  if (range !== 'unicast') return { allowed: false, address, family: 6, range: ipaddrRange(range) };
  return { allowed: true, address, family: 6 };
}

function rangeOf(rule: AddressRange): AddressRange {
  return { id: rule.id, cidr: rule.cidr, reference: rule.reference };
}

/** A range our tables allow but ipaddr.js does not call unicast (e.g. AS112, AMT anycast). */
function ipaddrRange(name: string): AddressRange {
  return { id: name, cidr: '', reference: 'as ipaddr.js classifies it' };
}

/**
 * A short phrase for a refusal message, e.g.
 * `"::ffff:7f00:1" (IPv4-mapped 127.0.0.1) is in 127.0.0.0/8, loopback (RFC 1122 §3.2.1.3)`.
 */
export function describeRefusedAddress(verdict: RefusedAddress): string {
  const { range, embedded } = verdict;
  const subject = embedded
    ? `${JSON.stringify(verdict.address)} (${embedded.via.id} ${embedded.address})`
    : JSON.stringify(verdict.address);
  if (range === NOT_AN_IP) return `${subject} is not an IP address`;
  if (range === SCOPED) return `${subject} has a zone index, which only names an on-link address`;
  if (range === NOT_GLOBAL_UNICAST) {
    return `${subject} is outside ${range.cidr}, the only global unicast block (${range.reference})`;
  }
  if (range.cidr === '')
    return `${subject} is in the special-purpose range "${range.id}" (${range.reference})`;
  return `${subject} is in ${range.cidr}, ${range.id} (${range.reference})`;
}
