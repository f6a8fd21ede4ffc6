/** `POST /api/audits` and `GET /api/audits/:id`. */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import type { AuditRecord } from '../store/index.js';
import {
  apiErrorOf,
  historyPage,
  hostFilter,
  idCursor,
  iso,
  routeOptions,
  sinceFilter,
} from './_route.js';
import { AUDIT_ROUTES, type AuditBody, type AuditListQuery } from './audits.schema.js';
import { type AuditInput, type Notice, normalizeAudit } from './inputs.js';
import { DEFAULT_PAGE_SIZE, type IdParams } from './shared.schema.js';

/** An audit sends a probe per crafted origin: it costs as much as ten checks. */
export const AUDIT_COST = 10;

function present(record: AuditRecord) {
  return {
    id: record.id,
    createdAt: iso(record.createdAt),
    input: record.input,
    notices: record.notices,
    outcome: record.outcome,
    result: record.result,
  };
}

/** Runs an audit and stores it; the answer to `POST /api/audits` and to a re-run. */
export async function runAudit(
  ctx: ServiceContext,
  input: AuditInput,
  notices: readonly Notice[],
): Promise<{ id: string; body: ReturnType<typeof present> }> {
  const done = await ctx.tasks.audit(input).catch((error: unknown) => {
    throw apiErrorOf(error);
  });
  const record: AuditRecord = {
    id: ctx.newId('aud'),
    createdAt: ctx.clock.now(),
    input: ctx.keeping.keep(input).input,
    notices,
    outcome: done.outcome,
    result: done.result,
  };
  await ctx.store.audits.insert(record);
  return { id: record.id, body: present(record) };
}

export function registerAuditRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route<{ Body: AuditBody }>({
    ...routeOptions(AUDIT_ROUTES.createAudit),
    onRequest: ctx.limit(AUDIT_COST),
    async handler(request, reply) {
      const { input, notices } = normalizeAudit(request.body, ctx.privateTargets);
      const { id, body } = await runAudit(ctx, input, notices);
      return reply.code(201).header('location', `/api/audits/${id}`).send(body);
    },
  });

  app.route<{ Querystring: AuditListQuery }>({
    ...routeOptions(AUDIT_ROUTES.listAudits),
    async handler(request) {
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const before = idCursor(query.cursor);
      const host = hostFilter(query.host);
      const since = sinceFilter(query.since);
      const rows = await ctx.store.audits.list({
        ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
        ...(host === undefined ? {} : { host }),
        ...(since === undefined ? {} : { since }),
        ...(before === undefined ? {} : { before }),
        // One more than asked tells whether there is a next page.
        limit: limit + 1,
      });
      return historyPage(rows, limit);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(AUDIT_ROUTES.getAudit),
    async handler(request) {
      const record = await ctx.store.audits.get(request.params.id);
      if (record === undefined) throw notFound('audit', request.params.id);
      return present(record);
    },
  });
}
