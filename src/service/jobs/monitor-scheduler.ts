/**
 * Runs monitors when they are due. The schedule lives in the database (`next_run_at`), so a
 * restart loses nothing: on start the scheduler clears the marks of runs cut short, runs what is
 * due, then sleeps until the next `next_run_at` (at most `maxSleepMs`, so a clock change or a
 * monitor created by another process is noticed). Creating a monitor pokes it awake.
 *
 * Several schedulers may share one store (a fleet): `claimDue` marks a monitor running in one
 * atomic statement, so each run happens once across the fleet, and marks left by a dead instance
 * expire after a lease (`leaseMs`) instead of being cleared at start-up.
 *
 * A run whose outcome differs from the previous run's is a transition, recorded with the CORS
 * headers that changed between the two runs.
 */
import type { CheckResult } from '../../check/index.js';
import type { Safekeeping } from '../redaction/safekeeping.js';
import type { Outcome } from '../routes/shared.schema.js';
import type { DueMonitor, Store, Transition } from '../store/index.js';
import type { JobLogger } from './batch-queue.js';
import type { Clock, TimerHandle } from './clock.js';
import { corsHeaders, diffHeaders, EMPTY_SNAPSHOT } from './header-diff.js';
import { failureOf, isRetryable, type TaskFailure, type Tasks } from './tasks.js';

export interface MonitorSchedulerOptions {
  readonly store: Store;
  readonly tasks: Tasks;
  readonly keeping: Safekeeping;
  readonly clock: Clock;
  /** Monitors run at once. Default 4. */
  readonly concurrency?: number;
  /** Longest sleep between two looks at the schedule. Default 60 000 ms. */
  readonly maxSleepMs?: number;
  /** Delay before retrying a run that found the service busy. Default 5 000 ms. */
  readonly retryDelayMs?: number;
  readonly log?: JobLogger;
  /**
   * Run as one of several schedulers sharing the store (a fleet): other instances' running marks
   * are live, so start-up does not clear them; instead, marks older than `leaseMs` (their instance
   * died mid-run) are cleared as the schedule goes. Undefined: the only scheduler, which clears
   * every mark at start.
   */
  readonly leaseMs?: number;
  /** Called after a run that changed a monitor's outcome (not after its first run). */
  readonly onTransition?: (
    monitor: { id: string; url: string; origin: string },
    transition: Transition,
  ) => void | Promise<void>;
}

export interface MonitorScheduler {
  /** Clears interrupted runs and starts the schedule; rejects when the store fails. */
  start(): Promise<void>;
  /** Re-reads the schedule (after a monitor is created or deleted). */
  poke(): void;
  /**
   * Runs every monitor due now, `concurrency` at a time, and resolves with how many ran. The timer
   * calls it; tests may too.
   */
  runDue(): Promise<number>;
  /** Stops the timer and waits for runs in flight (abandoned runs are due again at the next start). */
  stop(): Promise<void>;
}

/**
 * The next run after one scheduled at `scheduledAt`: one interval later, or one interval from now
 * when the service was down for longer (missed runs are not made up in a burst).
 */
export function nextRunAfter(scheduledAt: number, intervalSeconds: number, now: number): number {
  const next = scheduledAt + intervalSeconds * 1000;
  return next > now ? next : now + intervalSeconds * 1000;
}

export function createMonitorScheduler(options: MonitorSchedulerOptions): MonitorScheduler {
  const { store, tasks, keeping, clock, log } = options;
  const concurrency = options.concurrency ?? 4;
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const abort = new AbortController();
  let timer: TimerHandle | undefined;
  let starting = false;
  let started = false;
  let stopped = false;
  let ticking: Promise<void> | undefined;
  let sweptAt = Number.NEGATIVE_INFINITY;
  /** Bumped by every arm(): only the latest one sets the timer, so two never both do. */
  let arming = 0;
  /** Runs in flight and places reserved by a claim still asking the store. */
  let busy = 0;
  const inflight = new Set<Promise<void>>();

  function arm(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (!started || stopped) return;
    const generation = ++arming;
    store.monitors.nextDueAt().then(
      (next) => setTimer(generation, next),
      (error: unknown) => {
        log?.error({ err: error }, 'could not read the monitor schedule');
        setTimer(generation, undefined);
      },
    );
  }

  function setTimer(generation: number, next: number | undefined): void {
    // A later arm() supersedes this one; a tick that began meanwhile re-arms when it ends.
    if (generation !== arming || ticking !== undefined || !started || stopped) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    const delay =
      next === undefined ? maxSleepMs : Math.min(Math.max(0, next - clock.now()), maxSleepMs);
    timer = clock.setTimeout(() => {
      timer = undefined;
      tick();
    }, delay);
  }

  function tick(): void {
    if (ticking !== undefined || stopped) return;
    ticking = runDue()
      .then(
        () => undefined,
        (error: unknown) => log?.error({ err: error }, 'monitor schedule failed'),
      )
      .finally(() => {
        ticking = undefined;
        arm();
      });
  }

  async function runOne(monitor: DueMonitor): Promise<void> {
    const ranAt = clock.now();
    let outcome: Outcome;
    let result: CheckResult | TaskFailure;
    try {
      const done = await tasks.check(
        keeping.restore(monitor.input, monitor.sealedInput),
        abort.signal,
      );
      outcome = done.outcome;
      result = done.result;
    } catch (error) {
      if (stopped) {
        await store.monitors.release(monitor.id);
        return;
      }
      if (isRetryable(error)) {
        await store.monitors.release(monitor.id, clock.now() + retryDelayMs);
        return;
      }
      const failure = failureOf(error);
      if (failure.error.code === 'INTERNAL') {
        log?.error({ err: error, monitor: monitor.id }, 'monitor run failed');
      }
      outcome = 'error';
      result = failure;
    }
    const headers = 'steps' in result ? corsHeaders(result) : EMPTY_SNAPSHOT;
    const changed = outcome !== monitor.lastOutcome;
    const transition: Transition | undefined = changed
      ? {
          at: ranAt,
          from: monitor.lastOutcome,
          to: outcome,
          changes: diffHeaders(monitor.lastHeaders, headers),
          result,
        }
      : undefined;
    const recorded = await store.monitors.finishRun(monitor.id, {
      ranAt,
      outcome,
      verdict: result.verdict,
      headers,
      nextRunAt: nextRunAfter(monitor.nextRunAt, monitor.intervalSeconds, clock.now()),
      ...(transition === undefined ? {} : { transition }),
    });
    if (recorded && transition !== undefined && transition.from !== null) {
      await options.onTransition?.(
        { id: monitor.id, url: monitor.input.url, origin: monitor.input.origin },
        transition,
      );
    }
  }

  /** In a fleet: frees the monitors of instances that died mid-run, a few times per lease. */
  async function sweepExpired(): Promise<void> {
    const leaseMs = options.leaseMs;
    if (leaseMs === undefined || clock.now() - sweptAt < leaseMs / 5) return;
    sweptAt = clock.now();
    await store.monitors.resetRunning(clock.now() - leaseMs);
  }

  async function runDue(): Promise<number> {
    let ran = 0;
    await sweepExpired();
    while (!stopped) {
      // The places are reserved before the store is asked, so runs never exceed `concurrency`
      // even when runDue() is called while a tick runs.
      const free = concurrency - busy;
      if (free <= 0) break;
      busy += free;
      let due: DueMonitor[] = [];
      try {
        due = await store.monitors.claimDue(clock.now(), free);
      } finally {
        busy -= free - due.length;
      }
      if (due.length === 0) break;
      const runs = due.map((monitor) => {
        const run = runOne(monitor)
          .catch((error: unknown) => {
            // The mark stays; the next start (or a fleet's lease) makes the monitor due again.
            log?.error({ err: error, monitor: monitor.id }, 'could not record a monitor run');
          })
          .finally(() => {
            busy -= 1;
            inflight.delete(run);
          });
        inflight.add(run);
        return run;
      });
      await Promise.all(runs);
      ran += due.length;
    }
    return ran;
  }

  return {
    async start() {
      if (starting) return;
      starting = true;
      // Marks are cleared before anything is claimed: a claim first would lose its mark. In a
      // fleet the marks may be other instances' live runs: only expired ones are cleared.
      if (options.leaseMs === undefined) await store.monitors.resetRunning();
      started = true;
      tick();
    },
    poke() {
      // While a tick runs, it re-arms when it ends; re-arming now could start a second one.
      if (ticking === undefined) arm();
    },
    runDue,
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      abort.abort(new Error('corsproof: the service is stopping'));
      await Promise.allSettled([...inflight]);
    },
  };
}
