/**
 * A global cap on checks in flight: a counting semaphore with a bounded queue. When the queue is
 * full the service answers 503 at once instead of piling up work. Pure: no timers; a caller bounds
 * the wait with an `AbortSignal` (`AbortSignal.timeout(ms)`).
 */

/** Options of `createConcurrencyLimiter`. */
export interface ConcurrencyLimiterOptions {
  /** Checks that may run at once. A positive integer. */
  readonly maxConcurrent: number;
  /** Checks that may wait for a slot; one more is refused with `ServiceBusyError`. Zero or more. */
  readonly maxQueued: number;
}

/** Gives the slot back. Calling it again does nothing. */
export type Release = () => void;

/** A semaphore with a bounded queue. */
export interface ConcurrencyLimiter {
  /**
   * Wait for a slot. Rejects with `ServiceBusyError` when every slot is taken and the queue is full,
   * and with `signal.reason` when `signal` aborts while waiting (the place in the queue is given up).
   */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** Run `task` in a slot, releasing it however the task ends. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Slots in use. */
  readonly active: number;
  /** Callers waiting. */
  readonly queued: number;
}

/** Every slot is taken and the queue is full: answer 503 with a `Retry-After`. */
export class ServiceBusyError extends Error {
  readonly code = 'CORSPROOF_BUSY';

  constructor(maxConcurrent: number, maxQueued: number) {
    super(
      `corsproof: the service is busy (${maxConcurrent} checks running, ${maxQueued} waiting); try again in a few seconds`,
    );
    this.name = 'ServiceBusyError';
  }
}

interface Waiter {
  grant: (release: Release) => void;
}

/**
 * A counting semaphore with a FIFO queue of at most `maxQueued` waiters.
 *
 * @example
 * ```ts
 * const checks = createConcurrencyLimiter({ maxConcurrent: 16, maxQueued: 64 });
 * const report = await checks.run(() => check(target), AbortSignal.timeout(5_000));
 * ```
 */
export function createConcurrencyLimiter(options: ConcurrencyLimiterOptions): ConcurrencyLimiter {
  const { maxConcurrent, maxQueued } = options;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(
      `corsproof: maxConcurrent must be a positive integer, got ${maxConcurrent}`,
    );
  }
  if (!Number.isInteger(maxQueued) || maxQueued < 0) {
    throw new RangeError(`corsproof: maxQueued must be a non-negative integer, got ${maxQueued}`);
  }
  let active = 0;
  const queue: Waiter[] = [];

  function releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = queue.shift();
      if (next) next.grant(releaser());
      else active -= 1;
    };
  }

  function acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (active < maxConcurrent) {
      active += 1;
      return Promise.resolve(releaser());
    }
    if (queue.length >= maxQueued) {
      return Promise.reject(new ServiceBusyError(maxConcurrent, maxQueued));
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index !== -1) queue.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    acquire,
    async run(task, signal) {
      const release = await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
  };
}
