/**
 * The batch queue of a fleet, on BullMQ: every target of a batch is one job in Redis, run by
 * whichever worker process takes it, its result committed in the shared store.
 *
 * - Queueing is idempotent: a job's id is its batch id and position, so queueing a batch again
 *   (a retried request, the reconciliation after Redis comes back) adds nothing already queued;
 *   a job queued again after it ran finds its target done and does nothing.
 * - Exactly one result per target: a job claims its target (`claimTarget`, which also takes a
 *   target left `running` by a dead worker) and commits through `complete`, which stores a result
 *   only while the target is `running`. A worker killed mid-job stops renewing its lock; BullMQ's
 *   stalled-job check gives the job to another worker, which runs the target again.
 * - Fairness: a job's priority is its position in its batch, so the workers take the first
 *   targets of every batch before the later ones of any (a batch of 50 000 does not starve one
 *   of 10).
 * - Politeness: before it claims its target, a job takes a turn from the per-host limit; over the
 *   limit it goes back to the delayed set until its turn (`moveToDelayed` + `DelayedError`),
 *   neither failed nor holding a worker.
 */
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Safekeeping } from '../../redaction/safekeeping.js';
import type { ClaimedTarget, Store } from '../../store/index.js';
import type { BatchEvents } from '../batch-events.js';
import type { BatchQueue, JobLogger } from '../batch-queue.js';
import { announceTarget, commitTarget, failedTarget, runTargetTask } from '../batch-target.js';
import type { Clock, TimerHandle } from '../clock.js';
import { QueueUnavailableError } from '../queue-unavailable.js';
import { type Done, failureOf, isRetryable, type Tasks } from '../tasks.js';
import { type HostLimit, rateKeyOf } from './host-limit.js';
import { type FleetRedis, withTimeout } from './redis.js';

const QUEUE_NAME = 'batch-targets';
/** Targets read from the store and added to Redis per round trip. */
const ENQUEUE_CHUNK = 1_000;
/** BullMQ's highest priority number (2^21). */
const LOWEST_PRIORITY = 2_097_152;
/** A job whose store call failed (the database is away) is tried again this often, backing off. */
const JOB_ATTEMPTS = 8;
const JOB_BACKOFF_MS = 1_000;
/** After a failed reconciliation (Redis or the database away), the next try. */
const RECONCILE_RETRY_MS = 5_000;

/** What a job carries: where its target is, and the host its turn is counted under. */
export interface TargetJobData {
  readonly batch: string;
  readonly position: number;
  readonly host: string;
}

export interface FleetBatchQueueOptions {
  readonly store: Store;
  readonly tasks: Tasks;
  readonly keeping: Safekeeping;
  readonly events: BatchEvents;
  readonly clock: Clock;
  readonly redis: FleetRedis;
  /** Run targets in this process. False for an API-only instance (`serve --no-worker`). */
  readonly work: boolean;
  /**
   * Queue the targets of unfinished batches again at start and whenever Redis comes back (what
   * an API instance does, so that a batch stored while Redis was away still runs). Default true.
   */
  readonly reconcile?: boolean;
  /** Targets this process runs at once. Default 4. */
  readonly concurrency?: number;
  /** The per-host limit; none when undefined. */
  readonly hostLimit?: HostLimit;
  /** Wait before retrying a target that found this process busy. Default 1 000 ms. */
  readonly retryDelayMs?: number;
  /**
   * How long a job stays with a worker that stopped renewing its lock before another worker
   * takes it (BullMQ's lock duration). Default 30 000 ms.
   */
  readonly stallTimeoutMs?: number;
  /** At stop, how long targets in flight may finish before they are handed back. Default 10 000 ms. */
  readonly stopGraceMs?: number;
  readonly log?: JobLogger;
}

/** A job id: the batch id and the target's position (BullMQ refuses `:` and whole numbers). */
export function targetJobId(batchId: string, position: number): string {
  return `${batchId}.${position}`;
}

export function createFleetBatchQueue(options: FleetBatchQueueOptions): BatchQueue {
  const { store, tasks, keeping, events, clock, redis, log } = options;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const handBack = new AbortController();
  const backend = `Redis at ${redis.where}`;
  const queue = new Queue<TargetJobData>(QUEUE_NAME, {
    connection: redis.commands,
    prefix: redis.prefix,
    defaultJobOptions: {
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
      // The store keeps the results (and the log the failures); Redis keeps only what is still
      // to run, so that queueing a batch again re-creates the jobs that failed.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  queue.on('error', (error) => log?.error({ err: error }, 'batch queue error'));
  let worker: Worker<TargetJobData> | undefined;
  let started = false;
  let stopped = false;
  let active = 0;
  let activeCountedAt = 0;

  async function countActive(): Promise<void> {
    activeCountedAt = clock.now();
    active = (await store.batches.unfinished()).length;
  }

  async function add(jobs: Parameters<typeof queue.addBulk>[0]): Promise<void> {
    try {
      await queue.addBulk(jobs);
    } catch (error) {
      throw new QueueUnavailableError(backend, error);
    }
  }

  async function enqueue(id: string): Promise<void> {
    const batch = await store.batches.get(id);
    if (batch === undefined || batch.status === 'done') return;
    let after: number | undefined;
    for (;;) {
      const page = await store.batches.listTargets(id, {
        ...(after === undefined ? {} : { after }),
        limit: ENQUEUE_CHUNK,
      });
      const jobs = page
        .filter((target) => target.state !== 'done')
        .map((target) => ({
          name: batch.kind,
          data: { batch: id, position: target.position, host: rateKeyOf(target.input.url) },
          opts: {
            jobId: targetJobId(id, target.position),
            priority: Math.min(target.position + 1, LOWEST_PRIORITY),
          },
        }));
      if (jobs.length > 0) await add(jobs);
      const last = page.at(-1);
      if (page.length < ENQUEUE_CHUNK || last === undefined) break;
      after = last.position;
    }
  }

  let reconciling: Promise<void> | undefined;
  let retry: TimerHandle | undefined;
  /** Queues every unfinished batch again; what is already queued is left as it is. */
  function reconcile(): void {
    if (reconciling !== undefined || stopped || options.reconcile === false) return;
    if (retry !== undefined) clock.clearTimeout(retry);
    retry = undefined;
    reconciling = (async () => {
      for (const id of await store.batches.unfinished()) await enqueue(id);
      await countActive();
    })()
      .catch((error: unknown) => {
        log?.error({ err: error }, 'could not queue the unfinished batches again');
        reconcileSoon();
      })
      .finally(() => {
        reconciling = undefined;
      });
  }

  /** Redis or the database failed: try again in a while (Redis coming back also runs it). */
  function reconcileSoon(): void {
    if (retry !== undefined || stopped || options.reconcile === false) return;
    retry = clock.setTimeout(() => {
      retry = undefined;
      reconcile();
    }, RECONCILE_RETRY_MS);
  }

  /** Sends the job back to wait `ms`, without failing it or counting an attempt. */
  async function later(job: Job<TargetJobData>, token: string | undefined, ms: number) {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }

  /**
   * A job that ran again for a target already done (its worker died after committing): the
   * result is stored, but its event may never have been published, so publish it now.
   */
  async function announceAgain(batchId: string, position: number): Promise<void> {
    const [target] = await store.batches.listTargets(batchId, { after: position - 1, limit: 1 });
    const batch = await store.batches.get(batchId);
    if (target === undefined || target.position !== position || batch === undefined) return;
    if (target.state !== 'done') return;
    announceTarget(events, batchId, { target, progress: batch.progress, status: batch.status });
  }

  async function runJob(
    job: Job<TargetJobData>,
    token: string | undefined,
    cancelled: AbortSignal | undefined,
  ): Promise<void> {
    const { batch, position, host } = job.data;
    if (options.hostLimit !== undefined) {
      const waitMs = await options.hostLimit.take(host);
      if (waitMs > 0) return later(job, token, waitMs);
    }
    const target = await store.batches.claimTarget(batch, position);
    if (target === undefined) return announceAgain(batch, position);
    const signal =
      cancelled === undefined ? handBack.signal : AbortSignal.any([handBack.signal, cancelled]);
    let done: Done<unknown>;
    try {
      done = await runTargetTask(tasks, keeping, target, signal);
    } catch (error) {
      // Stopping: the target stays `running` and its job goes back to the queue for another
      // worker, which claims it again.
      if (signal.aborted) return later(job, token, 0);
      if (isRetryable(error)) return later(job, token, retryDelayMs);
      done = failedTarget(target, error, log);
    }
    await commitTarget({ store, events, clock }, target, done);
  }

  /**
   * A job out of attempts (the store kept failing): its target gets an error result, so that
   * its batch can finish. When even that fails, the target stays unfinished and is queued again
   * by the next reconciliation.
   */
  async function giveUp(job: Job<TargetJobData>, error: Error): Promise<void> {
    const { batch, position } = job.data;
    const target: ClaimedTarget | undefined = await store.batches.claimTarget(batch, position);
    if (target === undefined) return;
    log?.error({ err: error, batch, position }, 'batch target failed after every attempt');
    await commitTarget({ store, events, clock }, target, {
      outcome: 'error',
      result: failureOf(error),
    });
  }

  /** Jobs in this process, for a stop that waits for them. */
  const running = new Set<Promise<void>>();
  function track(
    job: Job<TargetJobData>,
    token: string | undefined,
    cancelled: AbortSignal | undefined,
  ): Promise<void> {
    const run = runJob(job, token, cancelled);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    running.add(settled);
    settled.finally(() => running.delete(settled));
    return run;
  }

  function startWorker(): void {
    const made = new Worker<TargetJobData>(QUEUE_NAME, track, {
      connection: redis.patient('worker'),
      prefix: redis.prefix,
      concurrency: options.concurrency ?? 4,
      autorun: false,
      lockDuration: stallTimeoutMs,
      stalledInterval: Math.max(1_000, Math.floor(stallTimeoutMs / 2)),
      // A target that kills its worker again and again (out of memory) is not retried forever.
      maxStalledCount: 5,
    });
    // Without a listener, an 'error' event (Redis gone) would throw and end the process.
    made.on('error', (error) => log?.error({ err: error }, 'batch worker error'));
    made.on('failed', (job, error) => {
      if (job === undefined || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      giveUp(job, error).catch((cause: unknown) =>
        log?.error({ err: cause, job: job.id }, 'could not record a failed batch target'),
      );
    });
    made.run().catch((error: unknown) => log?.error({ err: error }, 'batch worker stopped'));
    worker = made;
  }

  return {
    async start() {
      if (started) return;
      started = true;
      if (options.work) startWorker();
      if (options.reconcile !== false) {
        reconcile();
        redis.commands.on('ready', reconcile);
      }
    },
    async enqueue(id) {
      try {
        await enqueue(id);
      } catch (error) {
        // The batch is stored: the reconciliation queues it once Redis answers again.
        reconcileSoon();
        throw error;
      }
      active += 1;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      redis.commands.off('ready', reconcile);
      if (retry !== undefined) clock.clearTimeout(retry);
      // The worker takes no new job; those in flight may finish within the grace period, then
      // are handed back. With Redis away none of this can reach it: the jobs it holds go to
      // other workers once their locks lapse.
      const closing = worker?.close() ?? Promise.resolve();
      const grace = setTimeout(
        () => handBack.abort(new Error('corsproof: the worker is stopping')),
        stopGraceMs,
      );
      grace.unref();
      await withTimeout(Promise.allSettled([...running]), stopGraceMs + 5_000);
      clearTimeout(grace);
      // Closing waits for Redis: not long when it is away.
      const patience = redis.commands.status === 'ready' ? 2_000 : 100;
      if (
        (await withTimeout(
          closing.then(() => true),
          patience,
        )) !== true
      ) {
        log?.error({ redis: redis.where }, 'the batch worker did not close in time');
      }
      await withTimeout(reconciling ?? Promise.resolve(), patience);
      await withTimeout(queue.close(), patience);
    },
    get activeBatches() {
      // A figure for the health answer, counted in the store at most every 5 s.
      if (clock.now() - activeCountedAt > 5_000) {
        countActive().catch(() => undefined);
      }
      return active;
    },
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    ready() {
      return redis.ping();
    },
    backend,
  };
}
