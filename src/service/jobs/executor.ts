/**
 * The global cap on outbound work: every check and audit, whether asked for over HTTP or run by a
 * batch or a monitor, takes a slot of one concurrency limiter and runs under a deadline. A request
 * over HTTP that finds the queue full gets a 503 at once; background jobs wait and retry.
 */
import { type ConcurrencyLimiter, createConcurrencyLimiter } from '../limits/concurrency-limit.js';

/** Options of `createExecutor`. */
export interface ExecutorOptions {
  /** Tasks running at once, all kinds together. Default 16. */
  readonly maxConcurrent?: number;
  /** Tasks waiting for a slot; one more is refused with `ServiceBusyError`. Default 64. */
  readonly maxQueued?: number;
}

/** Runs tasks in slots. */
export interface Executor {
  /**
   * Runs `task` in a slot. Its signal aborts at `deadlineMs` (counted from when the slot is
   * granted) or when `signal` aborts. Rejects with `ServiceBusyError` when the queue is full.
   */
  run<T>(
    task: (signal: AbortSignal) => Promise<T>,
    options: { readonly deadlineMs: number; readonly signal?: AbortSignal },
  ): Promise<T>;
  /** Tasks running. */
  readonly active: number;
  /** Tasks waiting. */
  readonly queued: number;
}

/** The error a task's signal aborts with at its deadline. */
export class DeadlineError extends Error {
  readonly code = 'CORSPROOF_DEADLINE';

  constructor(ms: number) {
    super(`corsproof: no result within ${Math.round(ms / 1000)} s; the target is too slow`);
    this.name = 'DeadlineError';
  }
}

export function createExecutor(options: ExecutorOptions = {}): Executor {
  const limiter: ConcurrencyLimiter = createConcurrencyLimiter({
    maxConcurrent: options.maxConcurrent ?? 16,
    maxQueued: options.maxQueued ?? 64,
  });
  return {
    async run(task, { deadlineMs, signal }) {
      const release = await limiter.acquire(signal);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new DeadlineError(deadlineMs)), deadlineMs);
      timer.unref();
      const combined =
        signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, signal]);
      try {
        return await task(combined);
      } finally {
        clearTimeout(timer);
        release();
      }
    },
    get active() {
      return limiter.active;
    },
    get queued() {
      return limiter.queued;
    },
  };
}
