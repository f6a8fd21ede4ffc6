/**
 * `explain`: a decision in words, for logs, debug output and the checker's fix suggestions.
 */
import type { CorsPolicy } from './compile.js';
import type { Decision, Refusal } from './decision.js';
import type { CorsRequest } from './options.js';

export interface Explanation {
  readonly decision: Decision;
  /** `allowed` for accepted preflights and allowed requests. */
  readonly verdict: 'allowed' | 'refused' | 'not-cors';
  /** One sentence saying what happened and why. */
  readonly summary: string;
  /** What to change in the policy if the refusal was not intended; absent when allowed. */
  readonly fix?: string;
}

function describeRefusal(reason: Refusal, preflight: boolean): { why: string; fix: string } {
  const what = preflight ? 'preflight refused' : 'response left without CORS headers';
  const d = JSON.stringify(reason.detail);
  switch (reason.code) {
    case 'origin-not-allowed':
      return {
        why: `${what}: the origin ${d} is not in origins`,
        fix: `add ${d} to origins if that site should call this API`,
      };
    case 'origin-null':
      return {
        why: `${what}: the origin is "null" (a sandboxed iframe, a data: URL or a redirected request), which corsproof never allows`,
        fix: 'call the API from a page with a real origin, without cross-origin redirects on the way',
      };
    case 'origin-invalid':
      return {
        why: `${what}: the Origin header ${d} is not an origin as browsers send it`,
        fix: 'send one origin, serialized as a browser does (lower case, no path, no default port)',
      };
    case 'method-invalid':
      return {
        why: `${what}: Access-Control-Request-Method ${d} is not a method a browser can send`,
        fix: 'send a valid method token',
      };
    case 'method-not-allowed':
      return {
        why: `${what}: the method ${d} is not in methods (methods are case-sensitive: "patch" is not "PATCH")`,
        fix: `add ${d} to methods`,
      };
    case 'headers-invalid':
      return {
        why: `${what}: Access-Control-Request-Headers has ${d}, which is not a header name`,
        fix: 'send a comma-separated list of header names',
      };
    case 'headers-too-large':
      return {
        why: `${what}: Access-Control-Request-Headers is larger than any browser sends (${reason.detail})`,
        fix: 'send fewer custom headers',
      };
    case 'headers-not-allowed':
      return {
        why: `${what}: the request header ${d} is not in requestHeaders`,
        fix: `add ${d} to requestHeaders`,
      };
  }
}

/** Puts a decision into words. */
export function explainDecision(decision: Decision): Explanation {
  switch (decision.kind) {
    case 'not-cors':
      return {
        decision,
        verdict: 'not-cors',
        summary: 'not a CORS request (no Origin header): passed to the app unchanged',
      };
    case 'preflight-accepted':
      return {
        decision,
        verdict: 'allowed',
        summary: `preflight accepted with status ${decision.status}: ${decision.headers.map(([n, v]) => `${n}: ${v}`).join('; ')}`,
      };
    case 'actual-allowed':
      return {
        decision,
        verdict: 'allowed',
        summary: `CORS request allowed: ${decision.headers.map(([n, v]) => `${n}: ${v}`).join('; ')}`,
      };
    case 'preflight-refused':
    case 'actual-refused': {
      const { why, fix } = describeRefusal(decision.reason, decision.kind === 'preflight-refused');
      return { decision, verdict: 'refused', summary: why, fix };
    }
  }
}

/**
 * Decides `request` under `policy` and says why, in words.
 *
 * @example
 * const e = await explain(policy, { method: 'OPTIONS', origin: 'https://evil.example', requestMethod: 'PUT' });
 * e.summary // 'preflight refused: the origin "https://evil.example" is not in origins'
 */
export function explain(
  policy: CorsPolicy,
  request: CorsRequest,
): Explanation | Promise<Explanation> {
  const decision = policy.decide(request);
  return decision instanceof Promise ? decision.then(explainDecision) : explainDecision(decision);
}
