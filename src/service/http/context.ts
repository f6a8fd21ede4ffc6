/** What the route modules share: the store, the work, the clock and the service's settings. */

import type { AuthMode } from '../auth/hook.js';
import type { PrivateTargets } from '../guard/target-policy.js';
import type { BatchEvents } from '../jobs/batch-events.js';
import type { BatchQueue } from '../jobs/batch-queue.js';
import type { Clock } from '../jobs/clock.js';
import type { Executor } from '../jobs/executor.js';
import type { MonitorScheduler } from '../jobs/monitor-scheduler.js';
import type { Tasks } from '../jobs/tasks.js';
import type { BatchCaps } from '../limits/batch-caps.js';
import type { ClientLimit } from '../limits/client-limit.js';
import type { Safekeeping } from '../redaction/safekeeping.js';
import type { IdFactory } from '../store/ids.js';
import type { Store } from '../store/index.js';
import type { Metrics } from './metrics.js';

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
  /** Caps on unfinished batches, per client and in all. */
  readonly batchCaps: BatchCaps;
  /** Most monitors the service holds. */
  readonly maxMonitors: number;
  /** Prometheus metrics of this service. */
  readonly metrics: Metrics;
  /** Whether the batch queue and the monitor scheduler are running. */
  workersRunning(): boolean;
  /** Whether batches queue in a backend shared by a fleet (then `/readyz` reports it too). */
  readonly sharedQueue: boolean;
  /** Whether the API asks for tokens. */
  readonly auth: AuthMode;
  readonly version: string;
  /** `clock.now()` at start-up. */
  readonly startedAt: number;
}
