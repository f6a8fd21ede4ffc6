/** `GET /api/session`, and the admin's `POST/GET /api/tokens` and `DELETE /api/tokens/:id`. */
import type { FastifyInstance } from 'fastify';
import { issueToken } from '../auth/api-token.js';
import { ANONYMOUS } from '../auth/hook.js';
import type { ServiceContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import type { TokenRecord } from '../store/index.js';
import { iso, isoOrNull, routeOptions } from './_route.js';
import type { IdParams } from './shared.schema.js';
import { TOKEN_ROUTES, type TokenBody } from './tokens.schema.js';

function present(record: TokenRecord) {
  return {
    id: record.id,
    name: record.name,
    scope: record.scope,
    createdAt: iso(record.createdAt),
    createdBy: record.createdBy,
    revokedAt: isoOrNull(record.revokedAt),
    lastUsedAt: isoOrNull(record.lastUsedAt),
  };
}

export function registerTokenRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route({
    ...routeOptions(TOKEN_ROUTES.getSession),
    async handler(request, reply) {
      const principal = request.principal ?? ANONYMOUS;
      reply.header('cache-control', 'no-store');
      return { auth: ctx.auth, name: principal.name, scope: principal.scope };
    },
  });

  app.route<{ Body: TokenBody }>({
    ...routeOptions(TOKEN_ROUTES.createToken),
    async handler(request, reply) {
      const { record, token } = await issueToken(ctx.store.tokens, ctx.newId, ctx.clock.now(), {
        name: request.body.name.trim(),
        scope: request.body.scope,
        createdBy: request.principal?.name ?? null,
      });
      return reply
        .code(201)
        .header('location', `/api/tokens/${record.id}`)
        .header('cache-control', 'no-store')
        .send({ ...present(record), token });
    },
  });

  app.route({
    ...routeOptions(TOKEN_ROUTES.listTokens),
    async handler() {
      return { items: (await ctx.store.tokens.list()).map(present) };
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(TOKEN_ROUTES.revokeToken),
    async handler(request, reply) {
      const { id } = request.params;
      const record = await ctx.store.tokens.get(id);
      if (record === undefined) throw notFound('token', id);
      // Revoking twice is the same as once.
      await ctx.store.tokens.revoke(id, ctx.clock.now());
      return reply.code(204).send();
    },
  });
}
