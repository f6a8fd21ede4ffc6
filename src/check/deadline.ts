/**
 * The limits on how long a check may take. `timeoutMs` bounds each exchange; the deadline bounds
 * the whole check, which sends up to 42 exchanges (a preflight and a request on each of 21 hops),
 * so that a target that answers each one just in time (a byte a second) cannot hold a check for
 * 42 timeouts. Both end as a `TIMEOUT` network error whose message names the limit that was hit.
 *
 * The deadline is a point in time (`performance.now()`), not a timer: each exchange arms its one
 * timer for whichever comes first, its own timeout or the deadline, so a check pays nothing extra.
 */

/** The whole check's default deadline, in per-exchange timeouts. */
export const DEADLINE_TIMEOUTS = 3;

/** The longest deadline accepted, in milliseconds (one hour). */
export const MAX_DEADLINE_MS = 3_600_000;

/** When a run must be over, and how it was set (for the message). */
export interface Deadline {
  /** `performance.now()` at which the run is over. */
  readonly at: number;
  /** The deadline as set, in milliseconds from the start. */
  readonly ms: number;
  /** `performance.now()` when it was set: the run's start, where its first exchange starts. */
  readonly setAt: number;
}

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): Deadline {
  const now = performance.now();
  return { at: now + ms, ms, setAt: now };
}

/** The default deadline for a per-exchange timeout. */
export function defaultDeadlineMs(timeoutMs: number): number {
  return Math.min(MAX_DEADLINE_MS, timeoutMs * DEADLINE_TIMEOUTS);
}

/** The error an exchange fails with when its own timeout fires (`TIMEOUT`). */
export function exchangeTimeoutError(timeoutMs: number): Error {
  return codedError(
    'CORSPROOF_TIMEOUT',
    `No complete response within the per-request timeout of ${timeoutMs} ms (timeoutMs, --timeout).`,
  );
}

/** The error an exchange fails with when the whole check's deadline passes (`TIMEOUT`). */
export function checkDeadlineError(deadline: Deadline): Error {
  return codedError(
    'CORSPROOF_DEADLINE',
    `The check ran past its deadline of ${deadline.ms} ms (deadlineMs, --deadline) before a complete response arrived; the request in flight was cancelled.`,
  );
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
