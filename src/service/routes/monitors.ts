/** `POST`, `GET` and `DELETE /api/monitors`, and `GET /api/monitors/:id` with its history. */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { ApiError, notFound } from '../http/errors.js';
import { createSerial } from '../limits/serial.js';
import { encodeCursor, type MonitorRecord } from '../store/index.js';
import { hostFilter, idCursor, iso, isoOrNull, routeOptions } from './_route.js';
import { normalizeCheck } from './inputs.js';
import { MONITOR_ACTION_ROUTES, type MonitorListQuery } from './monitor-actions.schema.js';
import { MONITOR_ROUTES, type MonitorBody } from './monitors.schema.js';
import { DEFAULT_PAGE_SIZE, type IdParams } from './shared.schema.js';

/** Creating a monitor commits the service to checks forever: it costs more than one check. */
export const MONITOR_COST = 5;

/** Runs shown with a monitor (the store keeps a few more). */
const RUNS_SHOWN = 50;
/** Transitions shown with a monitor. */
const TRANSITIONS_SHOWN = 100;

/** A monitor as the API shows it. */
export function presentMonitor(monitor: MonitorRecord) {
  return {
    id: monitor.id,
    createdAt: iso(monitor.createdAt),
    input: monitor.input,
    notices: monitor.notices,
    intervalSeconds: monitor.intervalSeconds,
    nextRunAt: iso(monitor.nextRunAt),
    lastRunAt: isoOrNull(monitor.lastRunAt),
    status: monitor.lastOutcome ?? 'pending',
    paused: monitor.pausedAt !== null,
  };
}

export function registerMonitorRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const creating = createSerial();
  app.route<{ Body: MonitorBody }>({
    ...routeOptions(MONITOR_ROUTES.createMonitor),
    onRequest: ctx.limit(MONITOR_COST),
    async handler(request, reply) {
      const { intervalSeconds, ...body } = request.body;
      const { input, notices } = normalizeCheck(body, ctx.privateTargets);
      const kept = ctx.keeping.keep(input);
      const id = ctx.newId('mon');
      // Counted and created in turn, so two requests cannot both take the last place.
      await creating.run(async () => {
        if ((await ctx.store.monitors.count()) >= ctx.maxMonitors) {
          throw new ApiError(
            409,
            'limit-reached',
            `this server already runs ${ctx.maxMonitors} monitors, its maximum; delete one first`,
          );
        }
        const now = ctx.clock.now();
        await ctx.store.monitors.create({
          id,
          createdAt: now,
          input: kept.input,
          sealedInput: kept.sealedInput,
          notices,
          intervalSeconds,
          // The first run is due at once, so the history starts with a baseline.
          nextRunAt: now,
        });
      });
      ctx.monitors.poke();
      const monitor = await ctx.store.monitors.get(id);
      if (monitor === undefined) throw notFound('monitor', id);
      return reply
        .code(201)
        .header('location', `/api/monitors/${id}`)
        .send(presentMonitor(monitor));
    },
  });

  app.route<{ Querystring: MonitorListQuery }>({
    ...routeOptions(MONITOR_ACTION_ROUTES.listMonitors),
    async handler(request) {
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const before = idCursor(query.cursor);
      const host = hostFilter(query.host);
      const rows = await ctx.store.monitors.list({
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(host === undefined ? {} : { host }),
        ...(before === undefined ? {} : { before }),
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(presentMonitor),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
      };
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(MONITOR_ROUTES.getMonitor),
    async handler(request) {
      const monitor = await ctx.store.monitors.get(request.params.id);
      if (monitor === undefined) throw notFound('monitor', request.params.id);
      return {
        monitor: presentMonitor(monitor),
        transitions: (await ctx.store.monitors.transitions(monitor.id, TRANSITIONS_SHOWN)).map(
          (t) => ({ ...t, at: iso(t.at) }),
        ),
        runs: (await ctx.store.monitors.runs(monitor.id, RUNS_SHOWN)).map((r) => ({
          ...r,
          at: iso(r.at),
        })),
      };
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(MONITOR_ROUTES.deleteMonitor),
    async handler(request, reply) {
      if (!(await ctx.store.monitors.delete(request.params.id))) {
        throw notFound('monitor', request.params.id);
      }
      ctx.monitors.poke();
      return reply.code(204).send();
    },
  });
}
