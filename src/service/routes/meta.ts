/** `GET /api/health`, `GET /api/openapi.json`, the `/healthz` and `/readyz` probes and `/metrics`. */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { buildOpenApi } from '../http/openapi.js';
import { routeOptions } from './_route.js';
import { META_ROUTES } from './meta.schema.js';

/** What each failing readiness check means, for the 503's message. */
const NOT_READY: Readonly<Record<string, string>> = {
  store: 'the database does not answer',
  workers: 'the batch and monitor workers are not running',
  queue: 'the batch queue (Redis) does not answer',
};

export function registerMetaRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const document = buildOpenApi({ version: ctx.version });

  app.route({
    ...routeOptions(META_ROUTES.health),
    async handler(_request, reply) {
      if (!(await ctx.store.ping())) {
        throw new ApiError(503, 'busy', 'the database does not answer');
      }
      reply.header('cache-control', 'no-store');
      return {
        status: 'ok',
        version: ctx.version,
        uptimeSeconds: Math.floor((ctx.clock.now() - ctx.startedAt) / 1000),
        checksInFlight: ctx.executor.active,
        activeBatches: ctx.batches.activeBatches,
        monitors: await ctx.store.monitors.count(),
      };
    },
  });

  app.route({
    ...routeOptions(META_ROUTES.liveness),
    async handler(_request, reply) {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  });

  app.route({
    ...routeOptions(META_ROUTES.readiness),
    async handler(_request, reply) {
      const checks: Record<string, boolean> = {
        store: await ctx.store.ping(),
        workers: ctx.workersRunning(),
        ...(ctx.sharedQueue ? { queue: await ctx.batches.ready() } : {}),
      };
      const ready = Object.values(checks).every(Boolean);
      const failing = Object.entries(checks)
        .filter(([, holds]) => !holds)
        .map(([name]) => NOT_READY[name] ?? name);
      return reply
        .code(ready ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({
          status: ready ? 'ok' : 'unavailable',
          checks,
          ...(ready ? {} : { message: `corsproof: not ready: ${failing.join('; ')}` }),
        });
    },
  });

  app.route({
    ...routeOptions(META_ROUTES.metrics),
    async handler(_request, reply) {
      const registry = ctx.metrics.registry;
      return reply
        .header('cache-control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics());
    },
  });

  app.route({
    ...routeOptions(META_ROUTES.openapi),
    async handler() {
      return document;
    },
  });
}
