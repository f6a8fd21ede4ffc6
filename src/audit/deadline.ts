/**
 * The whole audit's deadline. Each exchange has its own timeout, but an audit sends about sixty
 * of them, eight at a time, in phases that wait on each other: a target that answers each one just
 * before its timeout (a byte a second) would hold the run for many timeouts. The deadline aborts
 * the run's one signal, which cancels every exchange in flight and stops the pool from sending
 * more; `audit()` then reports the run as timed out instead of rejecting.
 */

/** The reason the run's signal aborts with when the deadline passes. */
export class AuditDeadlineError extends Error {
  readonly code = 'CORSPROOF_DEADLINE';

  constructor(readonly ms: number) {
    super(
      `The audit ran past its deadline of ${ms} ms (deadlineMs, --deadline); the requests in flight were cancelled and the rest were not sent. Raise the deadline or make the target answer faster.`,
    );
    this.name = 'AuditDeadlineError';
  }
}

export interface RunDeadline {
  /** Aborts at the deadline, or when the caller's signal aborts (with the caller's reason). */
  readonly signal: AbortSignal;
  /** The deadline error, once the deadline has passed (and the caller had not aborted first). */
  readonly hit: AuditDeadlineError | null;
  /** Stops the timer and lets go of the caller's signal. */
  clear(): void;
}

/**
 * Starts the deadline. One timer and one listener on the caller's signal per run, however many
 * exchanges the run sends (they all watch the returned signal through one listener).
 *
 * @example
 * const deadline = startDeadline(60_000, options.signal);
 * try { await work(deadline.signal); } finally { deadline.clear(); }
 */
export function startDeadline(ms: number, caller?: AbortSignal): RunDeadline {
  const controller = new AbortController();
  let hit: AuditDeadlineError | null = null;
  const timer = setTimeout(() => {
    hit = new AuditDeadlineError(ms);
    controller.abort(hit);
  }, ms);
  const onAbort = () => {
    clearTimeout(timer);
    controller.abort(caller?.reason);
  };
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get hit() {
      return hit;
    },
    clear() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
