/**
 * Prometheus metrics of the service (prom-client), on a registry of its own so two services in
 * one process (tests) do not share counters: checks and audits by outcome, their latency, the
 * work waiting, and the SSRF guard's refusals at connect time (DNS answers and redirects the URL
 * check could not see; URLs refused up front are 400s and not counted here).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Executor } from '../jobs/executor.js';
import type { Tasks } from '../jobs/tasks.js';
import type { Store } from '../store/index.js';

export interface Metrics {
  readonly registry: Registry;
  /** `tasks`, counting and timing every check and audit. */
  instrument(tasks: Tasks): Tasks;
}

/** Whether a check's result is the guard refusing its connection. */
function refusedByGuard(result: unknown): boolean {
  const error = (result as { error?: { detail?: unknown } }).error;
  return typeof error?.detail === 'string' && error.detail.startsWith('CORSPROOF_TARGET_REFUSED');
}

export function createMetrics(options: { executor: Executor; store: Store }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'corsproof_process_' });
  const runs = new Counter({
    name: 'corsproof_runs_total',
    help: 'Checks and audits run (API, batches and monitors), by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'corsproof_run_duration_seconds',
    help: 'Time from a check or audit starting to its result, by kind.',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'corsproof_guard_refusals_total',
    help: 'Connections the SSRF guard refused while a check ran.',
    registers: [registry],
  });
  new Gauge({
    name: 'corsproof_queue_depth',
    help: 'Work waiting: checks and audits waiting for a slot, and unfinished batches.',
    labelNames: ['queue'] as const,
    registers: [registry],
    // prom-client awaits a collect() that returns a promise before it reads the gauge.
    async collect() {
      this.set({ queue: 'slots' }, options.executor.queued);
      this.set({ queue: 'batches' }, (await options.store.batches.unfinished()).length);
    },
  });
  new Gauge({
    name: 'corsproof_runs_in_flight',
    help: 'Checks and audits running now.',
    registers: [registry],
    collect() {
      this.set(options.executor.active);
    },
  });

  const timed = async <R extends { outcome: string; result: unknown }>(
    kind: 'check' | 'audit',
    run: () => Promise<R>,
  ): Promise<R> => {
    const end = latency.startTimer({ kind });
    try {
      const done = await run();
      runs.inc({ kind, outcome: done.outcome });
      if (kind === 'check' && refusedByGuard(done.result)) refusals.inc();
      return done;
    } finally {
      end();
    }
  };

  return {
    registry,
    instrument(tasks) {
      return {
        check: (input, signal) => timed('check', () => tasks.check(input, signal)),
        audit: (input, signal) => timed('audit', () => tasks.audit(input, signal)),
      };
    },
  };
}
