/**
 * `tainted-origin-null`: the trusted origin's GET reaches its data only through a redirect to
 * another origin, after which the browser sends `Origin: null` (Fetch, "HTTP-redirect fetch" step
 * 11: a request whose origin differs from the current URL's and the location's gets a tainted
 * origin, serialized as "null"), and the endpoint there answers `Access-Control-Allow-Origin:
 * null`. That works for the trusted origin only because the endpoint trusts `null`, which any page
 * can send from a sandboxed iframe. https://fetch.spec.whatwg.org/#http-redirect-fetch Pure.
 */

import { ACAC, ACAO, getHeader } from 'corsproof/spec';
import { type Finding, makeFinding } from './findings.js';
import type { Leg } from './legs.js';

/**
 * The finding when the trusted origin's GET passed through a tainting redirect to an endpoint that
 * allows `null`; null otherwise (no redirect, no taint, or `*` at the end, which is wildcard-origin's).
 *
 * @example
 * taintedOriginNull('https://app.example.com', trustedGetLeg)
 * // { id: 'tainted-origin-null', message: 'The GET from https://app.example.com is redirected ...' }
 */
export function taintedOriginNull(trustedOrigin: string, get: Leg): Finding | null {
  const steps = get.result?.steps ?? [];
  const last = steps[steps.length - 1];
  if (last === undefined || last.outcome !== 'response' || get.final === null) return null;
  if (!get.summary.passes.omit && !get.summary.passes.include) return null;
  if (getHeader(get.final.headers, ACAO) !== 'null') return null;
  // The hop where the Origin became null: a redirected request that sent it.
  const tainted = steps.find(
    (s) => s.kind === 'request' && s.hop > 0 && getHeader(s.request.headers, 'origin') === 'null',
  );
  if (tainted === undefined || trustedOrigin === 'null') return null;
  const from = steps.find((s) => s.kind === 'request' && s.hop === tainted.hop - 1);
  const credentials = getHeader(get.final.headers, ACAC) === 'true' && get.summary.passes.include;
  const redirect =
    from !== undefined && from.outcome === 'response' ? ` (${from.response.status})` : '';
  return makeFinding('tainted-origin-null', {
    origin: 'null',
    message: `The GET from ${trustedOrigin} is redirected${redirect} from ${from?.request.url ?? get.evidence[0]?.request.url ?? ''} to ${tainted.request.url} on another origin, so the browser sends Origin: null there; that endpoint answers Access-Control-Allow-Origin: null${credentials ? ' with Access-Control-Allow-Credentials: true' : ''}, so any page can read it${credentials ? ' as the signed-in user' : ''} from a sandboxed iframe`,
    credentials,
    impact: 'read',
    evidence: get.evidence,
  });
}
