/**
 * The `onDecision` option, checked: what validation needs of the decision log, apart from the log
 * itself (decision-log.ts), which the edge build carries only when a Worker includes it.
 */
import type { DecisionListener, DecisionLogOptions } from './options.js';

/** The validated form. */
export interface DecisionLog {
  readonly listener: DecisionListener;
  readonly allowed: number;
  readonly refused: number;
  readonly notCors: number;
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

/** Validates `onDecision`; the problem, when there is one, is a sentence for `CorsConfigError`. */
export function normalizeDecisionLog(
  value: unknown,
): { ok: true; log: DecisionLog | null } | { ok: false; reason: string } {
  if (value === undefined) return { ok: true, log: null };
  if (typeof value === 'function') {
    return {
      ok: true,
      log: { listener: value as DecisionListener, allowed: 1, refused: 1, notCors: 0 },
    };
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as DecisionLogOptions).listener !== 'function'
  ) {
    return { ok: false, reason: 'onDecision must be a function, or { listener, sample }' };
  }
  const { listener, sample } = value as DecisionLogOptions;
  if (sample === undefined)
    return { ok: true, log: { listener, allowed: 1, refused: 1, notCors: 0 } };
  if (isRate(sample))
    return { ok: true, log: { listener, allowed: sample, refused: sample, notCors: 0 } };
  if (typeof sample === 'object' && sample !== null) {
    const { allowed = 1, refused = 1, notCors = 0 } = sample;
    if (isRate(allowed) && isRate(refused) && isRate(notCors)) {
      return { ok: true, log: { listener, allowed, refused, notCors } };
    }
  }
  return {
    ok: false,
    reason:
      'onDecision.sample must be a number from 0 to 1, or { allowed, refused, notCors } of such numbers',
  };
}
