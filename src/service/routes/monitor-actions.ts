/** `PATCH /api/monitors/:id`, and `POST /api/monitors/:id/pause`, `/resume` and `/run`. */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { ApiError, notFound } from '../http/errors.js';
import type { MonitorRecord } from '../store/index.js';
import { routeOptions } from './_route.js';
import { CHECK_COST } from './checks.js';
import { normalizeCheck } from './inputs.js';
import { MONITOR_ACTION_ROUTES, type MonitorChangeBody } from './monitor-actions.schema.js';
import { presentMonitor } from './monitors.js';
import type { IdParams } from './shared.schema.js';

export function registerMonitorActionRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const existing = async (id: string): Promise<MonitorRecord> => {
    const monitor = await ctx.store.monitors.get(id);
    if (monitor === undefined) throw notFound('monitor', id);
    return monitor;
  };
  const answer = async (id: string) => {
    ctx.monitors.poke();
    return presentMonitor(await existing(id));
  };

  app.route<{ Params: IdParams; Body: MonitorChangeBody }>({
    ...routeOptions(MONITOR_ACTION_ROUTES.updateMonitor),
    async handler(request) {
      const { id } = request.params;
      await existing(id);
      const { check, intervalSeconds } = request.body;
      const normalized =
        check === undefined ? undefined : normalizeCheck(check, ctx.privateTargets, 'check');
      const kept = normalized === undefined ? undefined : ctx.keeping.keep(normalized.input);
      await ctx.store.monitors.update(id, {
        ...(normalized === undefined || kept === undefined
          ? {}
          : {
              input: {
                input: kept.input,
                sealedInput: kept.sealedInput,
                notices: normalized.notices,
              },
            }),
        ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
        // What it checks (or how often) changed: the history goes on from a run of the new form.
        nextRunAt: ctx.clock.now(),
      });
      return await answer(id);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(MONITOR_ACTION_ROUTES.pauseMonitor),
    async handler(request) {
      const monitor = await existing(request.params.id);
      if (monitor.pausedAt === null)
        await ctx.store.monitors.setPaused(monitor.id, ctx.clock.now());
      return await answer(monitor.id);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(MONITOR_ACTION_ROUTES.resumeMonitor),
    async handler(request) {
      const monitor = await existing(request.params.id);
      if (monitor.pausedAt !== null) {
        await ctx.store.monitors.setPaused(monitor.id, null, ctx.clock.now());
      }
      return await answer(monitor.id);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(MONITOR_ACTION_ROUTES.runMonitor),
    onRequest: ctx.limit(CHECK_COST),
    async handler(request, reply) {
      const monitor = await existing(request.params.id);
      if (monitor.pausedAt !== null) {
        throw new ApiError(409, 'conflict', 'this monitor is paused; resume it to run it');
      }
      await ctx.store.monitors.update(monitor.id, { nextRunAt: ctx.clock.now() });
      return reply.code(202).send(await answer(monitor.id));
    },
  });
}
