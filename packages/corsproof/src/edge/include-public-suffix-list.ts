/**
 * `includePublicSuffixList()` as the Node build has it: that build always has the list (tldts), so
 * there is nothing to include. The edge build has edge/include-public-suffix-list.edge.ts instead.
 */

/**
 * Makes the edge build of corsproof (the `workerd`, `worker` and `browser` export conditions) carry
 * the Public Suffix List, so that it judges a subdomain wildcard allowed with credentials
 * (`https://*.example.com`) as the Node build does: refused when the host is a public suffix
 * (`*.github.io`, `*.co.uk`), accepted otherwise. Without it the edge build refuses every such
 * wildcard except on a single label (`*.com`, refused as the Node build refuses it) with a
 * `PublicSuffixListAbsentError`. The list costs a Worker 36 KB gzipped; a Worker whose policies
 * have no credentialed wildcard needs none of it. Does nothing in the Node build, which always
 * has the list.
 *
 * @example
 * import { includePublicSuffixList } from 'corsproof';
 * import { withCors } from 'corsproof/fetch';
 *
 * includePublicSuffixList();
 * export default {
 *   fetch: withCors({ origins: ['https://*.example.com'], credentials: true }, handler),
 * };
 */
export function includePublicSuffixList(): void {}
