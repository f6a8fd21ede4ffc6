/**
 * The service: a Fastify server with the API under `/api` (CORS by corsproof's adapter, when
 * origins are configured), the built page at `/`, and the background jobs (batches, monitors)
 * that resume interrupted work at start-up. The caller owns the store and the runner and closes
 * them after `app.close()`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type AuthMode, installAuth } from '../auth/hook.js';
import type { PrivateTargets } from '../guard/target-policy.js';
import { createBatchEvents } from '../jobs/batch-events.js';
import { type BatchQueue, createBatchQueue } from '../jobs/batch-queue.js';
import { type Clock, systemClock } from '../jobs/clock.js';
import { createExecutor } from '../jobs/executor.js';
import { createFleetJobs, type FleetJobs, type FleetOptions } from '../jobs/fleet/fleet.js';
import { createMonitorScheduler, type MonitorScheduler } from '../jobs/monitor-scheduler.js';
import type { Runner } from '../jobs/runner.js';
import { createTasks } from '../jobs/tasks.js';
import { createWebhookTransport } from '../jobs/webhook-transport.js';
import { createWebhookSender, type WebhookSend } from '../jobs/webhooks.js';
import {
  createBatchCaps,
  DEFAULT_MAX_ACTIVE_BATCHES,
  DEFAULT_MAX_ACTIVE_BATCHES_PER_CLIENT,
} from '../limits/batch-caps.js';
import { createClientLimit } from '../limits/client-limit.js';
import type { RateLimiterOptions } from '../limits/rate-limit.js';
import { createSafekeeping } from '../redaction/safekeeping.js';
import { registerAuditLogRoutes } from '../routes/audit-log.js';
import { registerAuditRoutes } from '../routes/audits.js';
import { registerBatchEventRoutes } from '../routes/batch-events.js';
import { registerBatchRoutes } from '../routes/batches.js';
import { registerCheckRoutes } from '../routes/checks.js';
import { registerMetaRoutes } from '../routes/meta.js';
import { registerMonitorActionRoutes } from '../routes/monitor-actions.js';
import { registerMonitorRoutes } from '../routes/monitors.js';
import { registerRerunRoutes } from '../routes/reruns.js';
import { registerTokenRoutes } from '../routes/tokens.js';
import { registerWebhookRoutes } from '../routes/webhooks.js';
import { createIdFactory } from '../store/ids.js';
import type { Store } from '../store/index.js';
import type { ServiceContext } from './context.js';
import { registerApiCors } from './cors.js';
import { installErrorHandlers } from './errors.js';
import { installHostGuard } from './host-guard.js';
import { createMetrics } from './metrics.js';
import { AJV_OPTIONS } from './route-spec.js';
import { installSecurityHeaders } from './security-headers.js';
import { registerStatic } from './static.js';

/** Limits of the service; every one has a default. */
export interface ServiceLimits {
  /** Per-client token bucket. Default 60 tokens, 1 per second (a check costs 1, an audit 10). */
  readonly rate?: RateLimiterOptions;
  /** Checks and audits in flight at once, all sources together. Default 16. */
  readonly maxConcurrent?: number;
  /** Waiting for a slot before the API answers 503. Default 64. */
  readonly maxQueued?: number;
  /** Batch targets run at once. Default 4. */
  readonly batchConcurrency?: number;
  /** Monitors run at once. Default 4. */
  readonly monitorConcurrency?: number;
  /** Monitors the service holds. Default 500. */
  readonly maxMonitors?: number;
  /** Unfinished batches one client may have. Default 3. */
  readonly maxActiveBatchesPerClient?: number;
  /** Unfinished batches the service holds, all clients together. Default 20. */
  readonly maxActiveBatches?: number;
}

/** Options of `createService`. */
export interface ServiceOptions {
  readonly store: Store;
  readonly runner: Runner;
  /** Which targets the API accepts; must match the runner's. Default `public`. */
  readonly privateTargets?: PrivateTargets;
  /** The built page's folder (`dist/web`); null or a missing folder serves the "not built" page. */
  readonly webRoot?: string | null;
  /** Origins of other front ends allowed to call the API (CORS, no credentials). Default none. */
  readonly corsOrigins?: readonly string[];
  /**
   * `tokens` (default): every API route but health and the OpenAPI document needs a Bearer token
   * (`auth/`). `off`: anyone may do anything; the CLI allows it only on loopback or with --demo.
   */
  readonly auth?: AuthMode;
  /**
   * Host names the server answers to (DNS-rebinding defence); undefined accepts any. The CLI sets
   * the loopback names when it listens on loopback.
   */
  readonly allowedHostnames?: readonly string[];
  readonly clock?: Clock;
  readonly limits?: ServiceLimits;
  readonly logger?: FastifyServerOptions['logger'];
  /** Start the batch queue and the monitor scheduler (after recovering interrupted work). Default true. */
  readonly startJobs?: boolean;
  /** How webhooks are sent. Default: a POST through the SSRF guard of `privateTargets`. */
  readonly webhookSend?: WebhookSend;
  /** Webhook retries: attempts per delivery (default 5) and the first wait (default 10 s). */
  readonly webhookRetry?: { readonly maxAttempts?: number; readonly baseDelayMs?: number };
  /** For the health answer and the OpenAPI document. */
  readonly version?: string;
  /**
   * One of a fleet sharing the store and a Redis: batch targets queued in Redis and run by any
   * worker, their events over Redis, monitors and webhooks shared. Default: everything in this
   * process. The caller closes `fleet.redis` after `app.close()`.
   */
  readonly fleet?: FleetOptions;
}

/** A built service. */
export interface Service {
  readonly app: FastifyInstance;
  readonly batches: BatchQueue;
  readonly monitors: MonitorScheduler;
}

/**
 * Builds the service (not listening yet: call `app.listen`, or use `app.inject` in tests).
 * `app.close()` stops the jobs; targets in flight are finished by the next start.
 *
 * @example
 * ```ts
 * const store = openSqliteStore('./corsproof.db');
 * const runner = createRunner({ privateTargets: 'public' });
 * const { app } = await createService({ store, runner });
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 * ```
 */
export async function createService(options: ServiceOptions): Promise<Service> {
  const { store, runner } = options;
  const clock = options.clock ?? systemClock;
  const limits = options.limits ?? {};
  const app = Fastify({
    logger: options.logger ?? false,
    ajv: { customOptions: { ...AJV_OPTIONS, keywords: [...AJV_OPTIONS.keywords] } },
    // Only the API's own URLs; `/api/checks/` is `/api/checks`.
    routerOptions: { ignoreTrailingSlash: true },
  });

  const executor = createExecutor({
    ...(limits.maxConcurrent === undefined ? {} : { maxConcurrent: limits.maxConcurrent }),
    ...(limits.maxQueued === undefined ? {} : { maxQueued: limits.maxQueued }),
  });
  const keeping = createSafekeeping(store.secrets, store.redactionKey);
  const metrics = createMetrics({ executor, store });
  const tasks = metrics.instrument(createTasks(runner, executor, keeping));
  const log = app.log;
  const concurrency =
    limits.batchConcurrency === undefined ? {} : { concurrency: limits.batchConcurrency };
  const fleet: FleetJobs | undefined =
    options.fleet === undefined
      ? undefined
      : createFleetJobs(options.fleet, { store, tasks, keeping, clock, log, ...concurrency });
  const events = fleet?.events ?? createBatchEvents();
  const batches =
    fleet?.batches ??
    createBatchQueue({ store, tasks, keeping, events, clock, log, ...concurrency });
  const newId = createIdFactory(() => clock.now());
  const webhooks = createWebhookSender({
    store,
    secrets: store.secrets,
    clock,
    newId,
    send: options.webhookSend ?? createWebhookTransport(options.privateTargets ?? 'public'),
    log,
    ...options.webhookRetry,
    ...(fleet === undefined
      ? {}
      : { takeOver: { afterMs: fleet.leaseMs, claim: (id: string) => fleet.claimDelivery(id) } }),
  });
  const monitors = createMonitorScheduler({
    store,
    tasks,
    keeping,
    clock,
    log,
    onTransition: (monitor, transition) => webhooks.notify(monitor, transition),
    ...(fleet === undefined ? {} : { leaseMs: fleet.leaseMs }),
    ...(limits.monitorConcurrency === undefined ? {} : { concurrency: limits.monitorConcurrency }),
  });
  const ctx: ServiceContext = {
    store,
    tasks,
    keeping,
    executor,
    clock,
    newId,
    privateTargets: options.privateTargets ?? 'public',
    batches,
    monitors,
    events,
    limit: createClientLimit(limits.rate),
    batchCaps: createBatchCaps({
      perClient: limits.maxActiveBatchesPerClient ?? DEFAULT_MAX_ACTIVE_BATCHES_PER_CLIENT,
      total: limits.maxActiveBatches ?? DEFAULT_MAX_ACTIVE_BATCHES,
      isActive: async (id) => ((await store.batches.get(id))?.status ?? 'done') !== 'done',
      activeCount: async () => (await store.batches.unfinished()).length,
    }),
    maxMonitors: limits.maxMonitors ?? 500,
    auth: options.auth ?? 'tokens',
    metrics,
    workersRunning: () => workersRunning,
    sharedQueue: fleet !== undefined,
    version: options.version ?? '0.0.0',
    startedAt: clock.now(),
  };

  installErrorHandlers(app);
  await installSecurityHeaders(app);
  if (options.allowedHostnames !== undefined) installHostGuard(app, options.allowedHostnames);

  await app.register(async (api) => {
    await registerApiCors(api, options.corsOrigins ?? []);
    installAuth(api, { mode: ctx.auth, store, clock, newId: ctx.newId });
    registerMetaRoutes(api, ctx);
    registerCheckRoutes(api, ctx);
    registerAuditRoutes(api, ctx);
    registerBatchRoutes(api, ctx);
    registerBatchEventRoutes(api, ctx);
    registerMonitorRoutes(api, ctx);
    registerMonitorActionRoutes(api, ctx);
    registerRerunRoutes(api, ctx);
    registerWebhookRoutes(api, ctx);
    registerTokenRoutes(api, ctx);
    registerAuditLogRoutes(api, ctx);
  });
  await registerStatic(app, { root: options.webRoot ?? null });

  let workersRunning = false;
  app.addHook('onClose', async () => {
    workersRunning = false;
    webhooks.stop();
    await Promise.all([batches.stop(), monitors.stop()]);
    await fleet?.close();
  });

  if (options.startJobs !== false) {
    // An API-only instance of a fleet queues batches; the workers run them, monitors included.
    const runsHere = fleet === undefined || fleet.work;
    try {
      await Promise.all([
        batches.start(),
        ...(runsHere ? [monitors.start(), webhooks.start()] : []),
      ]);
    } catch (error) {
      // Recovery read the store and failed: a service that cannot resume its work does not start.
      await app.close();
      throw error;
    }
    workersRunning = true;
  }
  return { app, batches, monitors };
}
