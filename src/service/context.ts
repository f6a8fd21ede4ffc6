/** What the route modules share: the store, the work, the clock and the service's settings. */
import type { ClientLimit } from './client-limits.js';
import type { Clock } from './clock.js';
import type { Executor } from './executor.js';
import type { IdFactory } from './ids.js';
import type { BatchEvents } from './jobs/batch-events.js';
import type { BatchQueue } from './jobs/batch-queue.js';
import type { MonitorScheduler } from './jobs/monitor-scheduler.js';
import type { Safekeeping } from './safekeeping.js';
import type { Store } from './store/index.js';
import type { PrivateTargets } from './target-policy.js';
import type { Tasks } from './tasks.js';

export interface ServiceContext {
  readonly store: Store;
  readonly tasks: Tasks;
  readonly keeping: Safekeeping;
  readonly executor: Executor;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly privateTargets: PrivateTargets;
  readonly batches: BatchQueue;
  readonly monitors: MonitorScheduler;
  readonly events: BatchEvents;
  /** Per-client rate limit hooks. */
  readonly limit: ClientLimit;
  /** Most monitors the service holds. */
  readonly maxMonitors: number;
  readonly version: string;
  /** `clock.now()` at start-up. */
  readonly startedAt: number;
}
