/**
 * Comparing what a case got from the live server with what the policy intends. Pure. Only what a
 * browser (or a shared cache) can tell apart counts: two refusals with different failure messages
 * conform, a refusal where the policy allows does not.
 */
import type { ConformCase } from './case.js';
import type { Outcome } from './outcome.js';

/** Stable ids of the ways a server can differ from its policy. */
export type DifferenceKind =
  /** The policy lets the page read the response; the live server's answer makes the browser block it. */
  | 'refused-but-policy-allows'
  /** The policy refuses; the live server lets the page read the response. */
  | 'allowed-but-policy-refuses'
  /** A header the policy exposes is hidden from script. */
  | 'exposed-header-hidden'
  /** Script can read a header the policy does not expose. */
  | 'header-exposed-beyond-policy'
  /** The response depends on Origin but its Vary does not say so: a shared cache can serve one origin's answer to another. */
  | 'vary-origin-missing'
  /** The browser caches the preflight for a different time than the policy's max-age gives. */
  | 'max-age-differs'
  /** No verdict: the live server did not answer (refused connection, timeout, malformed response). */
  | 'network-error'
  /** `check()` could give no verdict for the live server where it could for the intended one. */
  | 'inconclusive';

export interface ConformDifference {
  readonly kind: DifferenceKind;
  readonly case: ConformCase;
  /** What the policy intends, in a few words (`allowed`, `readable: x-total-count`). */
  readonly expected: string;
  /** What the live server did, in the same terms. */
  readonly actual: string;
  /** What went wrong, with the browser's own message where there is one. */
  readonly message: string;
  /** curl commands that send the live server the requests of this case. */
  readonly curl: readonly string[];
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

function verdictText(o: Outcome): string {
  return o.verdict === 'blocked' && o.code !== null ? `blocked (${o.code})` : o.verdict;
}

function verdictDifference(
  c: ConformCase,
  expected: Outcome,
  actual: Outcome,
): Omit<ConformDifference, 'case' | 'curl'> | null {
  if (actual.verdict === 'error') {
    return {
      kind: 'network-error',
      expected: verdictText(expected),
      actual: `error (${actual.code ?? 'network'})`,
      message: actual.message ?? 'no response',
    };
  }
  if (actual.verdict === expected.verdict) return null;
  if (actual.verdict === 'inconclusive') {
    return {
      kind: 'inconclusive',
      expected: verdictText(expected),
      actual: 'inconclusive',
      message: actual.message ?? 'no verdict',
    };
  }
  if (expected.verdict === 'allowed') {
    return {
      kind: 'refused-but-policy-allows',
      expected: 'allowed',
      actual: verdictText(actual),
      message: `the policy allows this request, but the browser would block it: ${actual.message ?? 'blocked'}`,
    };
  }
  if (actual.verdict === 'allowed') {
    const why =
      c.aspect === 'origin' || c.aspect === 'credentials'
        ? `the policy refuses ${c.origin}${c.credentials === 'include' ? ' with credentials' : ''}`
        : `the policy refuses this request (${expected.message ?? 'blocked'})`;
    return {
      kind: 'allowed-but-policy-refuses',
      expected: verdictText(expected),
      actual: 'allowed',
      message: `${why}, but the live server lets the page read the response`,
    };
  }
  return null;
}

/**
 * The differences between the intended outcome of a case and the live one; empty when it conforms.
 *
 * @example
 * compareOutcomes(c, intended, live).map((d) => d.kind) // ['allowed-but-policy-refuses']
 */
export function compareOutcomes(
  c: ConformCase,
  expected: Outcome,
  actual: Outcome,
): ConformDifference[] {
  const found: Omit<ConformDifference, 'case' | 'curl'>[] = [];
  const verdict = verdictDifference(c, expected, actual);
  if (verdict !== null) found.push(verdict);
  if (expected.readable !== null && actual.readable !== null) {
    const hidden = expected.readable.filter((n) => !actual.readable?.includes(n));
    const extra = actual.readable.filter((n) => !expected.readable?.includes(n));
    if (hidden.length > 0) {
      found.push({
        kind: 'exposed-header-hidden',
        expected: `readable: ${list(expected.readable)}`,
        actual: `readable: ${list(actual.readable)}`,
        message: `script cannot read ${list(hidden)}: the policy exposes ${hidden.length === 1 ? 'it' : 'them'}, but Access-Control-Expose-Headers on the live response does not`,
      });
    }
    if (extra.length > 0) {
      found.push({
        kind: 'header-exposed-beyond-policy',
        expected: `readable: ${list(expected.readable)}`,
        actual: `readable: ${list(actual.readable)}`,
        message: `script can read ${list(extra)}, which the policy does not expose`,
      });
    }
  }
  if (expected.varyOrigin === true && actual.varyOrigin === false) {
    found.push({
      kind: 'vary-origin-missing',
      expected: 'Vary: Origin',
      actual: 'no Origin in Vary',
      message:
        'the answer depends on the Origin header but Vary does not list Origin: a shared cache (CDN, proxy) can serve the answer meant for one origin to another (RFC 9110 section 12.5.5)',
    });
  }
  if (
    expected.preflightSeconds !== null &&
    actual.preflightSeconds !== null &&
    expected.preflightSeconds !== actual.preflightSeconds
  ) {
    found.push({
      kind: 'max-age-differs',
      expected: `preflight cached ${expected.preflightSeconds} s`,
      actual: `preflight cached ${actual.preflightSeconds} s`,
      message: `the browser would cache the preflight for ${actual.preflightSeconds} s instead of the ${expected.preflightSeconds} s the policy's maxAge gives (Access-Control-Max-Age)`,
    });
  }
  return found.map((d) => ({ ...d, case: c, curl: actual.curl }));
}
