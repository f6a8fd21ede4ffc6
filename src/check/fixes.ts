/**
 * The vocabulary of fixes: the policy a request needs, the fix a server must make, and the fix
 * that is not about headers. A fix carries the needed policy as data, never configuration text:
 * the layers above render it for each server with the generators (src/generate/fix-snippets.ts),
 * so one source writes both `corsproof generate` and every fix. The policy allows exactly the
 * page origin, method and headers of the request checked: never a "reflect every origin" shortcut.
 */
import type { Fix, NeededPolicy } from './result.js';

export type { NeededPolicy } from './result.js';

/**
 * A header to change on the server, with the policy that makes the whole request pass; for a
 * credentialed request with a tainted origin, the one advice that is safe instead (and no policy).
 */
export function serverFix(
  policy: NeededPolicy,
  summary: string,
  where: Fix['where'],
  header: Fix['header'],
): Fix {
  const taintedWithCredentials = policy.origin === '*' && policy.credentials;
  return {
    summary: taintedWithCredentials ? TAINTED_WITH_CREDENTIALS : summary,
    where,
    header,
    policy: taintedWithCredentials ? null : policy,
  };
}

/** A fix that is not about a CORS header, so no server configuration helps. */
export function plainFix(summary: string, where: Fix['where']): Fix {
  return { summary, where, header: null, policy: null };
}

/** What to do when the origin is tainted and `*` is the only answer (empty otherwise). */
export function taintedOriginFix(policy: NeededPolicy): string {
  return policy.origin === '*'
    ? ' The request reaches this URL through a cross-origin redirect, so its origin is `null`: call the final URL directly (best), or answer `Access-Control-Allow-Origin: *` (never trust `null`, which any sandboxed page can send).'
    : '';
}

const TAINTED_WITH_CREDENTIALS =
  'This credentialed request reaches the URL through a cross-origin redirect, so its origin is `null`, and no safe answer exists (`*` is refused with credentials, and trusting `null` lets any sandboxed page in). Call the final URL directly from the page.';

/** The items as a header list value, or `fallback` when there are none. */
export function listValue(items: readonly string[], fallback: string): string {
  return items.length > 0 ? items.join(', ') : fallback;
}
