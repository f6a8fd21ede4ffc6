/**
 * "Run again": `POST /api/checks/:id/rerun`, `/api/audits/:id/rerun` and `/api/batches/:id/rerun`
 * run the stored input anew as a new record. Inputs are stored redacted; one that carried
 * credentials cannot be re-run faithfully, so it is refused (409) rather than sent with the
 * redaction placeholders in place of the secrets.
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { ApiError, notFound } from '../http/errors.js';
import { hasSecrets } from '../redaction/redaction.js';
import { routeOptions } from './_route.js';
import { AUDIT_COST, runAudit } from './audits.js';
import { BATCH_REQUEST_COST, queueBatch } from './batches.js';
import { CHECK_COST, runCheck } from './checks.js';
import type { HeaderPair } from './inputs.js';
import { RERUN_ROUTES } from './reruns.schema.js';
import type { IdParams } from './shared.schema.js';

function refuseSecrets(what: string, headers: readonly HeaderPair[]): void {
  if (hasSecrets(headers)) {
    throw new ApiError(
      409,
      'conflict',
      `this ${what} sent credentials (${headers
        .map(([name]) => name)
        .join(', ')}), which are kept redacted only; submit it again with them`,
    );
  }
}

export function registerRerunRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route<{ Params: IdParams }>({
    ...routeOptions(RERUN_ROUTES.rerunCheck),
    onRequest: ctx.limit(CHECK_COST),
    async handler(request, reply) {
      const stored = await ctx.store.checks.get(request.params.id);
      if (stored === undefined) throw notFound('check', request.params.id);
      refuseSecrets('check', stored.input.headers);
      const { id, body } = await runCheck(ctx, stored.input, stored.notices);
      return reply.code(201).header('location', `/api/checks/${id}`).send(body);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(RERUN_ROUTES.rerunAudit),
    onRequest: ctx.limit(AUDIT_COST),
    async handler(request, reply) {
      const stored = await ctx.store.audits.get(request.params.id);
      if (stored === undefined) throw notFound('audit', request.params.id);
      refuseSecrets('audit', stored.input.headers);
      const { id, body } = await runAudit(ctx, stored.input, stored.notices);
      return reply.code(201).header('location', `/api/audits/${id}`).send(body);
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(RERUN_ROUTES.rerunBatch),
    onRequest: ctx.limit(BATCH_REQUEST_COST),
    async handler(request, reply) {
      const batch = await ctx.store.batches.get(request.params.id);
      if (batch === undefined) throw notFound('batch', request.params.id);
      const targets = await ctx.store.batches.listTargets(batch.id, {
        limit: batch.progress.total + 1,
      });
      for (const target of targets) refuseSecrets('batch', target.input.headers);
      const accepted = await queueBatch(
        ctx,
        request,
        batch.kind,
        targets.map((t) => ({ input: t.input, sealedInput: null, notices: t.notices })),
      );
      return reply.code(202).header('location', `/api/batches/${accepted.id}`).send(accepted);
    },
  });
}
