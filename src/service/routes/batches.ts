/** `POST /api/batches` and `GET /api/batches/:id` (status, counts, results page by page). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { badRequest, notFound } from '../http/errors.js';
import { QueueUnavailableError } from '../jobs/queue-unavailable.js';
import { limitKey } from '../limits/client-limit.js';
import {
  type BatchKind,
  type BatchRecord,
  encodeCursor,
  type NewTarget,
  type TargetRecord,
} from '../store/index.js';
import { idCursor, iso, isoOrNull, positionCursor, routeOptions, sinceFilter } from './_route.js';
import { AUDIT_COST } from './audits.js';
import { targetsCsv } from './batch-export.js';
import { auditTargetsOf, checkTargetsOf } from './batch-openapi.js';
import {
  BATCH_ROUTES,
  type BatchBody,
  type BatchExportQuery,
  type BatchListQuery,
  type BatchResultsQuery,
} from './batches.schema.js';
import { CHECK_COST } from './checks.js';
import { normalizeAudit, normalizeCheck } from './inputs.js';
import { DEFAULT_PAGE_SIZE, type IdParams } from './shared.schema.js';

/**
 * What a batch costs: a token to be heard (taken before its body is read, so an empty bucket
 * refuses a large body unread), then its work, target by target, as the same checks or audits
 * sent one at a time would cost. A batch larger than the bucket leaves the client in debt.
 */
export const BATCH_REQUEST_COST = 1;
export const BATCH_COST_PER_TARGET = { check: CHECK_COST, audit: AUDIT_COST } as const;

/** 10 000 targets of up to a few KiB each. */
const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

/** A target as the API shows it (results and SSE `result` events). */
export function presentTarget(target: TargetRecord) {
  return {
    position: target.position,
    state: target.state,
    seq: target.seq,
    outcome: target.outcome,
    input: target.input,
    notices: target.notices,
    result: target.result,
    finishedAt: isoOrNull(target.finishedAt),
  };
}

/** A batch's own fields as the API shows them, without its targets. */
export function presentBatch(batch: BatchRecord) {
  return {
    id: batch.id,
    kind: batch.kind,
    status: batch.status,
    createdAt: iso(batch.createdAt),
    finishedAt: isoOrNull(batch.finishedAt),
    progress: batch.progress,
  };
}

async function normalizeTargets(body: BatchBody, ctx: ServiceContext): Promise<NewTarget[]> {
  const keep = (
    normalized: ReturnType<typeof normalizeCheck> | ReturnType<typeof normalizeAudit>,
  ) => {
    const kept = ctx.keeping.keep(normalized.input);
    return { input: kept.input, sealedInput: kept.sealedInput, notices: normalized.notices };
  };
  if (body.openapi !== undefined) {
    if (body.targets !== undefined) {
      throw badRequest('openapi', 'give either "targets" or "openapi", not both');
    }
    // One target per operation, each then validated as a target given in the list would be.
    const at = (i: number) => `openapi.operations[${i}]`;
    return body.kind === 'check'
      ? (await checkTargetsOf(body.openapi, ctx.privateTargets)).map((t, i) =>
          keep(normalizeCheck(t, ctx.privateTargets, at(i))),
        )
      : (await auditTargetsOf(body.openapi, ctx.privateTargets)).map((t, i) =>
          keep(normalizeAudit(t, ctx.privateTargets, at(i))),
        );
  }
  if (body.targets === undefined) {
    throw badRequest('targets', 'give the "targets", or an API description as "openapi"');
  }
  return body.kind === 'check'
    ? body.targets.map((t, i) => keep(normalizeCheck(t, ctx.privateTargets, `targets[${i}]`)))
    : body.targets.map((t, i) => keep(normalizeAudit(t, ctx.privateTargets, `targets[${i}]`)));
}

/**
 * Admits, charges, stores and queues a batch of validated targets; `POST /api/batches` and a
 * re-run both end here. A queue that cannot be reached refuses the batch before anything is
 * stored (503); one that fails after the batch was stored queues it when it is back.
 */
export async function queueBatch(
  ctx: ServiceContext,
  request: FastifyRequest,
  kind: BatchKind,
  targets: readonly NewTarget[],
): Promise<{ id: string; status: string; total: number }> {
  if (!(await ctx.batches.ready())) throw new QueueUnavailableError(ctx.batches.backend);
  const id = await ctx.batchCaps.admit(limitKey(request), async () => {
    ctx.limit.charge(request, targets.length * BATCH_COST_PER_TARGET[kind], BATCH_REQUEST_COST);
    const batchId = ctx.newId('bat');
    await ctx.store.batches.create({ id: batchId, createdAt: ctx.clock.now(), kind, targets });
    return batchId;
  });
  try {
    await ctx.batches.enqueue(id);
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    // Stored: the queue takes it when it is back (see `BatchQueue.enqueue`).
    request.log.warn(
      { err: error, batch: id },
      'batch stored, to be queued when the queue is back',
    );
  }
  const status = (await ctx.store.batches.get(id))?.status ?? 'pending';
  return { id, status, total: targets.length };
}

export function registerBatchRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route<{ Body: BatchBody }>({
    ...routeOptions(BATCH_ROUTES.createBatch),
    bodyLimit: BATCH_BODY_LIMIT,
    onRequest: ctx.limit(BATCH_REQUEST_COST),
    async handler(request, reply) {
      // Every target is validated before anything is stored: one bad target refuses the batch,
      // with its index in `field`, rather than leaving a half-queued batch behind. A refused
      // batch costs nothing more than being heard.
      const targets = await normalizeTargets(request.body, ctx);
      const accepted = await queueBatch(ctx, request, request.body.kind, targets);
      return reply.code(202).header('location', `/api/batches/${accepted.id}`).send(accepted);
    },
  });

  app.route<{ Querystring: BatchListQuery }>({
    ...routeOptions(BATCH_ROUTES.listBatches),
    async handler(request) {
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      const before = idCursor(query.cursor);
      const since = sinceFilter(query.since);
      const rows = await ctx.store.batches.list({
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.kind === undefined ? {} : { kind: query.kind }),
        ...(since === undefined ? {} : { since }),
        ...(before === undefined ? {} : { before }),
        // One more than asked tells whether there is a next page.
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(presentBatch),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
      };
    },
  });

  app.route<{ Params: IdParams; Querystring: BatchResultsQuery }>({
    ...routeOptions(BATCH_ROUTES.getBatch),
    async handler(request) {
      const query = request.query;
      const limit = query.limit ?? DEFAULT_PAGE_SIZE;
      // Input first: a bad cursor is a 400 whatever the id.
      const after = positionCursor(query.cursor);
      const batch = await ctx.store.batches.get(request.params.id);
      if (batch === undefined) throw notFound('batch', request.params.id);
      const rows = await ctx.store.batches.listTargets(batch.id, {
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
        ...(after === undefined ? {} : { after }),
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        ...presentBatch(batch),
        results: {
          items: items.map(presentTarget),
          nextCursor:
            rows.length > limit && last !== undefined ? encodeCursor(last.position) : null,
        },
      };
    },
  });

  app.route<{ Params: IdParams; Querystring: BatchExportQuery }>({
    ...routeOptions(BATCH_ROUTES.exportBatch),
    async handler(request, reply) {
      const batch = await ctx.store.batches.get(request.params.id);
      if (batch === undefined) throw notFound('batch', request.params.id);
      const targets = await ctx.store.batches.listTargets(batch.id, {
        limit: batch.progress.total + 1,
      });
      const format = request.query.format ?? 'json';
      reply.header('content-disposition', `attachment; filename="${batch.id}.${format}"`);
      if (format === 'csv') {
        return reply.type('text/csv; charset=utf-8').send(`${targetsCsv(targets)}\r\n`);
      }
      return reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ ...presentBatch(batch), targets: targets.map(presentTarget) }));
    },
  });
}
