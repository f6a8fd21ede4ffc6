/**
 * Runs the targets of batches in the background: a fixed number of workers take the next pending
 * target, round-robin across batches (a batch of 10 000 does not starve one of 10), run it, and
 * commit its result in the transaction that marks it done (see `store/batches.ts`).
 *
 * Recovery: on start, targets left `running` by a crash go back to `pending` and every unfinished
 * batch is queued again, so it resumes where it stopped; targets already done are never re-run.
 */
import type { Safekeeping } from '../redaction/safekeeping.js';
import type { ClaimedTarget, Store } from '../store/index.js';
import type { BatchEvents } from './batch-events.js';
import { commitTarget, failedTarget, runTargetTask } from './batch-target.js';
import { type Clock, sleep } from './clock.js';
import { type Done, isRetryable, type Tasks } from './tasks.js';

/** Where jobs report what went wrong (a Fastify/pino logger fits). */
export interface JobLogger {
  error(details: object, message: string): void;
}

export interface BatchQueueOptions {
  readonly store: Store;
  readonly tasks: Tasks;
  readonly keeping: Safekeeping;
  readonly events: BatchEvents;
  readonly clock: Clock;
  /** Targets run at once, all batches together. Default 4. */
  readonly concurrency?: number;
  /** Wait before retrying a target that found the service busy. Default 1 000 ms. */
  readonly retryDelayMs?: number;
  readonly log?: JobLogger;
}

/**
 * Where batch targets wait to be run: in this process (`createBatchQueue`), or in Redis for a
 * fleet of instances and workers (`fleet/batch-queue.ts`).
 */
export interface BatchQueue {
  /** Recovers interrupted work and starts the workers; rejects when the store fails. */
  start(): Promise<void>;
  /**
   * Queues a newly created batch's targets. Queueing a target already queued does nothing.
   * Rejects with `QueueUnavailableError` when the queue cannot be reached; the stored batch is
   * then queued when the queue is back.
   */
  enqueue(id: string): Promise<void>;
  /** Stops taking targets and waits for (or hands back) those in flight. */
  stop(): Promise<void>;
  /** Batches with targets not yet taken (in a fleet: unfinished batches, as last counted). */
  readonly activeBatches: number;
  /** Resolves when no target is running and none is pending (for tests and shutdown). */
  idle(): Promise<void>;
  /** Whether a batch can be queued now (the in-process queue always can). */
  ready(): Promise<boolean>;
  /** Where targets wait, for messages: `this process`, `Redis at host:port`. */
  readonly backend: string;
}

export function createBatchQueue(options: BatchQueueOptions): BatchQueue {
  const { store, tasks, keeping, events, clock, log } = options;
  const concurrency = options.concurrency ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const active: string[] = [];
  let turn = 0;
  let running = 0;
  let starting = false;
  let started = false;
  let stopped = false;
  let claimFailed = false;
  const abort = new AbortController();
  const inflight = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];

  /**
   * Takes the next pending target, round-robin across batches. Workers claim concurrently, so the
   * turn moves before the store is asked, and a batch found empty is removed by its id.
   */
  async function claim(): Promise<ClaimedTarget | undefined> {
    while (active.length > 0) {
      turn %= active.length;
      const id = active[turn] as string;
      turn += 1;
      const claimed = await store.batches.claimNext(id);
      if (claimed !== undefined) return claimed;
      // Nothing pending is left in this batch (its last targets may still be running).
      const index = active.indexOf(id);
      if (index !== -1) {
        active.splice(index, 1);
        if (index < turn) turn -= 1;
      }
    }
    return undefined;
  }

  /** One worker: claims a target in the slot reserved for it, and runs it. */
  async function work(): Promise<void> {
    let target: ClaimedTarget | undefined;
    try {
      target = await claim();
    } catch (error) {
      // The batches stay queued; the next enqueue or start tries again rather than spinning on a
      // database that keeps failing.
      claimFailed = true;
      log?.error({ err: error }, 'could not take the next batch target');
      return;
    }
    if (target === undefined) return;
    try {
      await runTarget(target);
    } catch (error) {
      // The result was not committed: the target stays `running`, reset at the next start.
      log?.error(
        { err: error, batch: target.batchId, position: target.position },
        'could not store a batch result',
      );
    }
  }

  function pump(): void {
    // The slot is reserved before the store is asked (`running` counts workers still claiming),
    // so workers never exceed `concurrency` however the claims interleave.
    while (started && !stopped && !claimFailed && running < concurrency && active.length > 0) {
      running += 1;
      const job = work().finally(() => {
        running -= 1;
        inflight.delete(job);
        pump();
      });
      inflight.add(job);
    }
    if (running === 0 && active.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async function attempt(target: ClaimedTarget): Promise<Done<unknown> | undefined> {
    for (;;) {
      try {
        return await runTargetTask(tasks, keeping, target, abort.signal);
      } catch (error) {
        if (stopped) return undefined;
        if (!isRetryable(error)) throw error;
        await sleep(clock, retryDelayMs, abort.signal).catch(() => undefined);
        if (stopped) return undefined;
      }
    }
  }

  async function runTarget(target: ClaimedTarget): Promise<void> {
    let done: Done<unknown> | undefined;
    try {
      done = await attempt(target);
      // Stopped: leave the target `running`; the next start puts it back to `pending`.
      if (done === undefined) return;
    } catch (error) {
      done = failedTarget(target, error, log);
    }
    await commitTarget({ store, events, clock }, target, done);
  }

  return {
    async start() {
      if (starting) return;
      starting = true;
      // Recovery comes before any claim: a target claimed first would be reset under its worker.
      await store.batches.resetRunning();
      for (const id of await store.batches.unfinished()) if (!active.includes(id)) active.push(id);
      started = true;
      pump();
    },
    async enqueue(id) {
      if (!active.includes(id)) active.push(id);
      claimFailed = false;
      pump();
    },
    async stop() {
      stopped = true;
      abort.abort(new Error('corsproof: the service is stopping'));
      await Promise.allSettled([...inflight]);
    },
    get activeBatches() {
      return active.length;
    },
    idle() {
      if (running === 0 && active.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async ready() {
      return true;
    },
    backend: 'this process',
  };
}
