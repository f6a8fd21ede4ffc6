/** `GET /api/audit-log`: the entries the auth hook writes (`auth/hook.ts`). */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { encodeCursor } from '../store/index.js';
import { idCursor, iso, routeOptions } from './_route.js';
import { AUDIT_LOG_ROUTES, type AuditLogQuery } from './audit-log.schema.js';
import { DEFAULT_PAGE_SIZE } from './shared.schema.js';

export function registerAuditLogRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route<{ Querystring: AuditLogQuery }>({
    ...routeOptions(AUDIT_LOG_ROUTES.listAuditLog),
    async handler(request) {
      const { actor, cursor } = request.query;
      const limit = request.query.limit ?? DEFAULT_PAGE_SIZE;
      const before = idCursor(cursor);
      const rows = await ctx.store.auditLog.list({
        ...(actor === undefined ? {} : { actor }),
        ...(before === undefined ? {} : { before }),
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(({ tokenId: _, ...entry }) => ({ ...entry, at: iso(entry.at) })),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
      };
    },
  });
}
