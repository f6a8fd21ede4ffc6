/**
 * Stands in for `tldts` in the edge build of corsproof (the `workerd`, `worker` and `browser`
 * export conditions, built by scripts/build-edge.mjs). tldts carries the Public Suffix List in
 * 47 KB gzipped, three times the rest of the library, and the library asks it one question only,
 * while validating a policy: whether the host of a subdomain wildcard allowed with credentials
 * (`https://*.example.com`) is a public suffix anyone can register under (`*.github.io`).
 *
 * So the edge build carries the list only when the Worker asks for it, with
 * `includePublicSuffixList()` (edge/include-public-suffix-list.edge.ts): then it answers from a
 * compact copy of tldts's list (public-suffix-trie.ts), exactly as tldts does. Without it, it still
 * answers for a single label (`*.com`: every top-level name is a public suffix, by the list's
 * default rule) and refuses any other question with an error that says how to answer it. It never
 * answers "not a public suffix" without the list: the edge build must never accept a policy the
 * Node build refuses (validate.edge.test.ts holds it to that).
 */

/** Thrown where the edge build would need the Public Suffix List and was not given it. */
export class PublicSuffixListAbsentError extends Error {
  override readonly name = 'PublicSuffixListAbsentError';
  /** The host whose public-suffix status was asked, as in the policy (`example.com`). */
  readonly host: string;

  constructor(host: string) {
    super(
      `corsproof: the subdomain wildcard on "${host}" with credentials: true needs the Public Suffix List to rule out a shared suffix such as github.io, and the edge build of corsproof (the workerd, worker and browser export conditions) carries the list only when asked. Fix: call includePublicSuffixList() from 'corsproof' before creating the middleware (36 KB gzipped); or list the exact origins you trust.`,
    );
    this.host = host;
  }
}

/** The list's answer for a lower-case domain without a trailing dot, once it is included. */
let lookup: ((domain: string) => string) | null = null;

/** Gives the edge build the list (through a function, so that without it no lookup is bundled). */
export function usePublicSuffixLookup(publicSuffixOf: (domain: string) => string): void {
  lookup = publicSuffixOf;
}

/** The public suffix of a lower-case domain, as tldts's `getPublicSuffix` gives it. */
function suffixOf(hostname: string): string {
  // tldts drops trailing dots before the lookup.
  const domain = hostname.replace(/\.+$/, '');
  if (!domain.includes('.')) return domain;
  if (lookup === null) throw new PublicSuffixListAbsentError(domain);
  return lookup(domain);
}

/** tldts's `getPublicSuffix`, for the domains site.ts asks about. */
export function getPublicSuffix(hostname: string): string {
  return suffixOf(hostname);
}

/** tldts's `getDomain`: the public suffix and the label before it, or null for a public suffix. */
export function getDomain(hostname: string): string | null {
  const domain = hostname.replace(/\.+$/, '');
  const suffix = suffixOf(domain);
  if (suffix === domain) return null;
  const rest = domain.slice(0, domain.length - suffix.length - 1);
  return `${rest.slice(rest.lastIndexOf('.') + 1)}.${suffix}`;
}
