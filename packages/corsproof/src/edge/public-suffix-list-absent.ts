/**
 * Stands in for `tldts` in the edge build of corsproof (the `workerd`, `worker` and `browser`
 * export conditions, built by scripts/build-edge.mjs). tldts carries the Public Suffix List as a
 * 124 KB trie, eight times the rest of the library; the library asks it one question only, while
 * validating a policy: whether the host of a subdomain wildcard allowed with credentials
 * (`https://*.example.com`) is a public suffix anyone can register under (`*.github.io`).
 *
 * Without the list that question has no safe answer, so the edge build refuses the policy, with an
 * error that says how to keep the pattern. It never answers "not a public suffix": the edge build
 * must never accept a policy the Node build refuses (validate.edge.test.ts runs the validation
 * tables through this module to hold it to that).
 */

/** The probe label the validator puts in front of the host it asks about. */
const PROBE = 'corsproof-probe.';

/** Thrown wherever the library would need the Public Suffix List in its edge build. */
export class PublicSuffixListAbsentError extends Error {
  override readonly name = 'PublicSuffixListAbsentError';
  /** The host whose public-suffix status was asked, as in the policy (`example.com`). */
  readonly host: string;

  constructor(host: string) {
    super(
      `corsproof: the subdomain wildcard on "${host}" with credentials: true needs the Public Suffix List to rule out a shared suffix such as github.io, and the edge build of corsproof (the workerd, worker and browser export conditions) leaves the list out to stay small. Fix: list the exact origins you trust; or check this policy with the full list where it runs on Node (a test or build step calling compilePolicy() from 'corsproof' without the next option), then set dangerouslyAllowPublicSuffixWildcards: true in the policy the Worker uses.`,
    );
    this.host = host;
  }
}

function absent(hostname: string): never {
  throw new PublicSuffixListAbsentError(
    hostname.startsWith(PROBE) ? hostname.slice(PROBE.length) : hostname,
  );
}

/** tldts's `getPublicSuffix`, which the edge build cannot answer. */
export function getPublicSuffix(hostname: string): never {
  return absent(hostname);
}

/** tldts's `getDomain`, which the edge build cannot answer either. */
export function getDomain(hostname: string): never {
  return absent(hostname);
}
