/**
 * Runs the targets of batches in the background: a fixed number of workers take the next pending
 * target, round-robin across batches (a batch of 10 000 does not starve one of 10), run it, and
 * commit its result in the transaction that marks it done (see `store/batches.ts`).
 *
 * Recovery: on start, targets left `running` by a crash go back to `pending` and every unfinished
 * batch is queued again, so it resumes where it stopped; targets already done are never re-run.
 */
import type { Safekeeping } from '../redaction/safekeeping.js';
import type { AuditInput, CheckInput } from '../routes/inputs.js';
import type { ClaimedTarget, Store } from '../store/index.js';
import type { BatchEvents } from './batch-events.js';
import { type Clock, sleep } from './clock.js';
import { type Done, failureOf, isRetryable, type TaskFailure, type Tasks } from './tasks.js';

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
  /** Recovers interrupted work and starts the workers. */
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
  let started = false;
  let stopped = false;
  const abort = new AbortController();
  const inflight = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];

  function claim(): ClaimedTarget | undefined {
    while (active.length > 0) {
      turn %= active.length;
      const id = active[turn] as string;
      const claimed = store.batches.claimNext(id);
      if (claimed !== undefined) {
        turn += 1;
        return claimed;
      }
      // Nothing pending is left in this batch (its last targets may still be running).
      active.splice(turn, 1);
    }
    return undefined;
  }

  function pump(): void {
    while (started && !stopped && running < concurrency) {
      let target: ClaimedTarget | undefined;
      try {
        target = claim();
      } catch (error) {
        // A database failure here must not become an unhandled rejection of the worker that
        // called pump(); the batch stays queued and the next enqueue or start tries again.
        log?.error({ err: error }, 'could not take the next batch target');
        break;
      }
      if (target === undefined) break;
      running += 1;
      const job = runTarget(target).finally(() => {
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
    const input = keeping.restore(target.input, target.sealedInput);
    for (;;) {
      try {
        return target.kind === 'check'
          ? await tasks.check(input as CheckInput, abort.signal)
          : await tasks.audit(input as AuditInput, abort.signal);
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
      const failure: TaskFailure = failureOf(error);
      if (failure.error.code === 'INTERNAL') {
        log?.error(
          { err: error, batch: target.batchId, position: target.position },
          'batch target failed',
        );
      }
      done = { outcome: 'error', result: failure };
    }
    const completed = store.batches.complete(
      target.batchId,
      target.position,
      done.outcome,
      done.result,
      clock.now(),
    );
    if (completed === undefined) return;
    events.publish(target.batchId, {
      type: 'result',
      target: completed.target,
      progress: completed.progress,
    });
    if (completed.status === 'done') {
      events.publish(target.batchId, { type: 'done', progress: completed.progress });
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      store.batches.resetRunning();
      for (const id of store.batches.unfinished()) active.push(id);
      pump();
    },
    enqueue(id) {
      if (!active.includes(id)) active.push(id);
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
  };
}
