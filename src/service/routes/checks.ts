/** `POST /api/checks`, `GET /api/checks` (history) and `GET /api/checks/:id`. */

import { parseOrigin } from 'corsproof/spec';
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import type { CheckRecord } from '../store/index.js';
import { apiErrorOf, historyPage, idCursor, iso, routeOptions } from './_route.js';
import { CHECK_ROUTES, type CheckBody, type CheckListQuery } from './checks.schema.js';
import { type CheckInput, type Notice, normalizeCheck } from './inputs.js';
import { DEFAULT_PAGE_SIZE, type IdParams } from './shared.schema.js';

/** Tokens a check costs from the client's rate-limit bucket. */
export const CHECK_COST = 1;

function present(record: CheckRecord) {
  return {
    id: record.id,
    createdAt: iso(record.createdAt),
    input: record.input,
    notices: record.notices,
    result: record.result,
  };
}

/** The stored form of a URL filter: the canonical href, as URLs are stored. */
function canonicalUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function canonicalOrigin(origin: string): string {
  const parsed = parseOrigin(origin);
  return parsed.ok ? parsed.serialized : origin;
}

/** Runs a check and stores it; the answer to `POST /api/checks` and to a re-run. */
export async function runCheck(
  ctx: ServiceContext,
  input: CheckInput,
  notices: readonly Notice[],
): Promise<{ id: string; body: ReturnType<typeof present> }> {
  const done = await ctx.tasks.check(input).catch((error: unknown) => {
    throw apiErrorOf(error);
  });
  const record: CheckRecord = {
    id: ctx.newId('chk'),
    createdAt: ctx.clock.now(),
    input: ctx.keeping.keep(input).input,
    notices,
    result: done.result,
  };
  await ctx.store.checks.insert(record);
  return { id: record.id, body: present(record) };
}

export function registerCheckRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route<{ Body: CheckBody }>({
    ...routeOptions(CHECK_ROUTES.createCheck),
    onRequest: ctx.limit(CHECK_COST),
    async handler(request, reply) {
      const { input, notices } = normalizeCheck(request.body, ctx.privateTargets);
      const { id, body } = await runCheck(ctx, input, notices);
      return reply.code(201).header('location', `/api/checks/${id}`).send(body);
    },
  });

  app.route<{ Querystring: CheckListQuery }>({
    ...routeOptions(CHECK_ROUTES.listChecks),
    async handler(request) {
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const before = idCursor(query.cursor);
      const rows = await ctx.store.checks.list({
        ...(query.url === undefined ? {} : { url: canonicalUrl(query.url) }),
        ...(query.origin === undefined ? {} : { origin: canonicalOrigin(query.origin) }),
        ...(query.verdict === undefined ? {} : { verdict: query.verdict }),
        ...(before === undefined ? {} : { before }),
        // One more than asked tells whether there is a next page.
        limit: limit + 1,
      });
      return historyPage(rows, limit);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(CHECK_ROUTES.getCheck),
    async handler(request) {
      const record = await ctx.store.checks.get(request.params.id);
      if (record === undefined) throw notFound('check', request.params.id);
      return present(record);
    },
  });
}
