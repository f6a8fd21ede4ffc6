/**
 * What changes when the service runs as one of a fleet: batch targets wait in Redis (BullMQ) and
 * run in any worker, their events travel over Redis, and work that another instance may own
 * (monitor runs, webhook deliveries) is taken over only once its owner is clearly gone, never
 * reset wholesale at start-up.
 */
import type { Safekeeping } from '../../redaction/safekeeping.js';
import type { Store } from '../../store/index.js';
import type { BatchQueue, JobLogger } from '../batch-queue.js';
import type { Clock } from '../clock.js';
import type { Tasks } from '../tasks.js';
import { createFleetBatchEvents, type FleetBatchEvents } from './batch-events.js';
import { createFleetBatchQueue } from './batch-queue.js';
import { createHostLimit, DEFAULT_HOST_RATE, type HostRate } from './host-limit.js';
import type { FleetRedis } from './redis.js';

/**
 * How long a monitor's running mark holds before another instance may run it again: longer than
 * any run (a check's deadline is at most 60 s), so only a dead instance's marks expire.
 */
export const DEFAULT_MONITOR_LEASE_MS = 5 * 60_000;

export interface FleetOptions {
  readonly redis: FleetRedis;
  /**
   * Run batch targets, monitors and webhook deliveries in this process. False for an API-only
   * instance (`serve --no-worker`). Default true.
   */
  readonly work?: boolean;
  /**
   * Queue the targets of unfinished batches again at start and when Redis comes back (API
   * instances; a `worker` process leaves it to them). Default true.
   */
  readonly reconcile?: boolean;
  /** Batch targets started per host by all workers together; null for no limit. Default 10/s. */
  readonly hostRate?: HostRate | null;
  /** How soon the job of a worker that died is run by another. Default 30 000 ms. */
  readonly stallTimeoutMs?: number;
  /** How long a monitor run or a webhook delivery is left to its owner. Default 5 minutes. */
  readonly leaseMs?: number;
}

/** The batch queue and events of a fleet, and how to close their connections. */
export interface FleetJobs {
  readonly events: FleetBatchEvents;
  readonly batches: BatchQueue;
  readonly work: boolean;
  readonly leaseMs: number;
  /** Whether Redis answers (for `/readyz`). */
  ready(): Promise<boolean>;
  /**
   * Takes over a webhook delivery another instance left: true for the one instance that gets it
   * (a key in Redis, set if absent, that lasts one lease).
   */
  claimDelivery(id: string): Promise<boolean>;
  /** Closes the events' connection; the caller closes `redis` after the jobs stopped. */
  close(): Promise<void>;
}

export function createFleetJobs(
  fleet: FleetOptions,
  deps: {
    readonly store: Store;
    readonly tasks: Tasks;
    readonly keeping: Safekeeping;
    readonly clock: Clock;
    readonly concurrency?: number;
    readonly log?: JobLogger;
  },
): FleetJobs {
  const { redis } = fleet;
  const work = fleet.work ?? true;
  const leaseMs = fleet.leaseMs ?? DEFAULT_MONITOR_LEASE_MS;
  const events = createFleetBatchEvents(redis, deps.log);
  const hostRate = fleet.hostRate === undefined ? DEFAULT_HOST_RATE : fleet.hostRate;
  const batches = createFleetBatchQueue({
    ...deps,
    events,
    redis,
    work,
    ...(fleet.reconcile === undefined ? {} : { reconcile: fleet.reconcile }),
    ...(fleet.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: fleet.stallTimeoutMs }),
    ...(hostRate === null || !work
      ? {}
      : { hostLimit: createHostLimit(redis.patient('host-limit'), redis.prefix, hostRate) }),
  });
  return {
    events,
    batches,
    work,
    leaseMs,
    ready: () => redis.ping(),
    async claimDelivery(id) {
      const key = `${redis.prefix}:webhook-claim:${id}`;
      return (await redis.commands.set(key, '1', 'PX', leaseMs, 'NX')) === 'OK';
    },
    close: () => events.close(),
  };
}
