/**
 * Judging a leg's exchanges in both credentials modes. `check()` judges a request in the one mode
 * it was sent with; the auditor must also know whether the same response would pass the other
 * way (a reflected origin without `Access-Control-Allow-Credentials` is still readable without
 * credentials, and `true` there raises the severity). So the steps `check()` recorded are run
 * through the same spec functions again, once per mode. Pure: no I/O.
 */

import type { HeaderEntry } from 'corsproof/spec';
import {
  ACAO,
  ACRH,
  ACRM,
  checkPreflightResponse,
  corsCheck,
  getHeader,
  type HeaderList,
  isRedirectResponse,
} from 'corsproof/spec';
import type { BrowserProfile, Step } from '../check/index.js';

/** Whether a browser would let the leg through, per credentials mode. */
export interface Passes {
  /** With credentials "omit" (or "same-origin", the same thing cross-origin). */
  readonly omit: boolean;
  /** With credentials "include": exact origin and `Access-Control-Allow-Credentials: true`. */
  readonly include: boolean;
  /** It passes without credentials only because the deciding response said `*`. */
  readonly wildcard: boolean;
}

const NONE: Passes = Object.freeze({ omit: false, include: false, wildcard: false });

function requestHeader(headers: readonly HeaderEntry[], name: string): string | null {
  return getHeader(headers, name);
}

/** One step, re-judged; true when it passes in that mode. */
function stepPasses(step: Step, credentialsInclude: boolean, profile: BrowserProfile): boolean {
  if (step.outcome !== 'response') return false;
  const origin = requestHeader(step.request.headers, 'origin') ?? 'null';
  if (step.kind === 'preflight') {
    const method = requestHeader(step.request.headers, ACRM) ?? '';
    const names = requestHeader(step.request.headers, ACRH);
    const result = checkPreflightResponse(
      step.response,
      {
        method,
        unsafeHeaderNames: names === null || names === '' ? [] : names.split(','),
        origin,
        credentialsInclude,
      },
      {
        authorizationCoveredByWildcard: profile.authorizationCoveredByWildcard,
        maxAge: profile.maxAge,
      },
    );
    return result.ok;
  }
  // A hop the checker did not CORS-check (same-origin so far) passes in both modes.
  if (step.cors === 'not-applicable') return true;
  return corsCheck(step.response.headers, { origin, credentialsInclude }) === null;
}

/** The response that ends a chain: the last step, when it is a response and not a redirect. */
export function finalResponse(
  steps: readonly Step[],
): { readonly status: number; readonly headers: HeaderList } | null {
  const last = steps[steps.length - 1];
  if (last === undefined || last.outcome !== 'response' || last.kind !== 'request') return null;
  if (isRedirectResponse(last.response.status, last.response.headers)) return null;
  return last.response;
}

/**
 * Whether the response at the end of a request's chain (preflight, redirects and all) is
 * readable, per mode. A chain the checker stopped at a redirect (its CORS check failed there, in
 * the mode it was sent with) counts as unreadable in both modes: what lies behind was not fetched.
 *
 * @example
 * const result = await check({ url, origin, credentials: 'omit' });
 * readPasses(result.steps, CHROMIUM) // { omit: true, include: true, wildcard: false } with ACAC: true
 */
export function readPasses(steps: readonly Step[], profile: BrowserProfile): Passes {
  const final = finalResponse(steps);
  if (final === null) return NONE;
  const omit = steps.every((s) => stepPasses(s, false, profile));
  const include = steps.every((s) => stepPasses(s, true, profile));
  return { omit, include, wildcard: omit && getHeader(final.headers, ACAO) === '*' };
}

/**
 * Whether the first preflight of a leg is accepted, per mode (a preflight-only check has one).
 *
 * @example
 * const result = await check({ url, origin, method: 'PUT', preflightOnly: true });
 * preflightPasses(result.steps, CHROMIUM).omit // true when the server approves PUT for origin
 */
export function preflightPasses(steps: readonly Step[], profile: BrowserProfile): Passes {
  const step = steps.find((s) => s.kind === 'preflight');
  if (step === undefined || step.outcome !== 'response') return NONE;
  const omit = stepPasses(step, false, profile);
  const include = stepPasses(step, true, profile);
  return {
    omit,
    include,
    wildcard: omit && getHeader(step.response.headers, ACAO) === '*',
  };
}
