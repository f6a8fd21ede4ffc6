/** `GET /api/health` and `GET /api/openapi.json`. */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { buildOpenApi } from '../http/openapi.js';
import { routeOptions } from './_route.js';
import { META_ROUTES } from './meta.schema.js';

export function registerMetaRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const document = buildOpenApi({ version: ctx.version });

  app.route({
    ...routeOptions(META_ROUTES.health),
    async handler(_request, reply) {
      if (!ctx.store.ping()) {
        throw new ApiError(503, 'busy', 'the database does not answer');
      }
      reply.header('cache-control', 'no-store');
      return {
        status: 'ok',
        version: ctx.version,
        uptimeSeconds: Math.floor((ctx.clock.now() - ctx.startedAt) / 1000),
        checksInFlight: ctx.executor.active,
        activeBatches: ctx.batches.activeBatches,
        monitors: ctx.store.monitors.count(),
      };
    },
  });

  app.route({
    ...routeOptions(META_ROUTES.openapi),
    async handler() {
      return document;
    },
  });
}
