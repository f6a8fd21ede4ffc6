/**
 * Host names that can only name something local to the service, refused before any DNS query.
 *
 * Addresses are checked after resolution anyway (see `resolver.ts`); this is defence in depth for
 * names whose answer depends on the service's own resolver (`/etc/hosts`, search domains, cloud DNS)
 * and gives a clearer message than the address they happen to resolve to.
 */

/** A host name the service may resolve. */
export interface AllowedHostname {
  readonly allowed: true;
  /** Lower case, without a trailing dot. */
  readonly hostname: string;
}

/** A host name the service refuses, and the rule that refuses it. */
export interface RefusedHostname {
  readonly allowed: false;
  readonly hostname: string;
  /** Stable kebab-case id of the rule, e.g. `localhost`, `single-label`, `internal`. */
  readonly rule: string;
  /** Why the name is local, for the refusal message. */
  readonly why: string;
}

export type HostnameVerdict = AllowedHostname | RefusedHostname;

/** Reserved or de-facto private suffixes; a name equal to one or ending in `.` + one is refused. */
const LOCAL_SUFFIXES: ReadonlyArray<readonly [suffix: string, why: string]> = [
  // RFC 6761 §6.3: resolvers should answer loopback for localhost and every name under it.
  ['localhost', 'localhost names the service itself (RFC 6761 §6.3)'],
  // ICANN reserved .internal for private use (2024); GCP serves metadata.google.internal and AWS
  // names hosts *.ec2.internal there.
  ['internal', '.internal is reserved for private networks, cloud metadata among them'],
  // Multicast DNS (RFC 6762), also Kubernetes' cluster.local.
  ['local', '.local names hosts on the local link or in the cluster (RFC 6762)'],
  ['home.arpa', '.home.arpa names hosts in a home network (RFC 8375)'],
  // /etc/hosts conventionally maps localhost.localdomain to loopback.
  ['localdomain', '.localdomain is the conventional local domain of /etc/hosts'],
  // RFC 6762 Appendix G: top-level names in private use, never delegated in the public DNS.
  ['intranet', '.intranet is a private-use top-level name (RFC 6762 Appendix G)'],
  ['private', '.private is a private-use top-level name (RFC 6762 Appendix G)'],
  ['corp', '.corp is a private-use top-level name (RFC 6762 Appendix G)'],
  ['home', '.home is a private-use top-level name (RFC 6762 Appendix G)'],
  ['lan', '.lan is a private-use top-level name (RFC 6762 Appendix G)'],
];

/**
 * Classify a host name (not an IP literal; see `classifyAddress` for those).
 *
 * Refused:
 * - `localhost` and `*.localhost`;
 * - names under `.internal` (`metadata.google.internal`), `.local`, `.home.arpa`, `.localdomain`
 *   and the private-use names of RFC 6762 Appendix G (`.intranet`, `.private`, `.corp`, `.home`,
 *   `.lan`): none of them is delegated in the public DNS, so no public target lives there;
 * - single-label names (`metadata`, `kubernetes`): the resolver completes them with the service's
 *   search domains, so they name hosts of the service's own network (GCE serves its metadata on
 *   `http://metadata/`).
 *
 * Matching is case-insensitive and ignores one trailing dot (`localhost.` is `localhost`).
 *
 * @example
 * ```ts
 * classifyHostname('api.example.com'); // { allowed: true, hostname: 'api.example.com' }
 * classifyHostname('metadata.google.internal').allowed; // false
 * ```
 */
export function classifyHostname(name: string): HostnameVerdict {
  const hostname = name.toLowerCase().replace(/\.$/, '');
  if (hostname === '') {
    return { allowed: false, hostname, rule: 'empty', why: 'the host name is empty' };
  }
  for (const [suffix, why] of LOCAL_SUFFIXES) {
    if (hostname === suffix || hostname.endsWith(`.${suffix}`)) {
      return { allowed: false, hostname, rule: suffix.replace('.', '-'), why };
    }
  }
  if (!hostname.includes('.')) {
    return {
      allowed: false,
      hostname,
      rule: 'single-label',
      why: "a single-label name is completed with the service's DNS search domains, so it names a host of the service's own network",
    };
  }
  return { allowed: true, hostname };
}
