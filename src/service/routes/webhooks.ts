/** `POST`, `GET` and `DELETE /api/monitors/:id/webhook`. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { checkTarget } from '../guard/target-policy.js';
import type { ServiceContext } from '../http/context.js';
import { badRequest, notFound } from '../http/errors.js';
import { iso, isoOrNull, routeOptions } from './_route.js';
import type { IdParams } from './shared.schema.js';
import { WEBHOOK_ROUTES, type WebhookBody } from './webhooks.schema.js';

const DELIVERIES_SHOWN = 20;

export function registerWebhookRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const monitorOf = async (id: string) => {
    const monitor = await ctx.store.monitors.get(id);
    if (monitor === undefined) throw notFound('monitor', id);
    return monitor;
  };

  app.route<{ Params: IdParams; Body: WebhookBody }>({
    ...routeOptions(WEBHOOK_ROUTES.setWebhook),
    async handler(request) {
      const monitor = await monitorOf(request.params.id);
      const verdict = checkTarget(request.body.url, ctx.privateTargets);
      if (!verdict.ok) throw badRequest('url', verdict.reason);
      const secret = request.body.secret ?? randomBytes(32).toString('base64url');
      const format = request.body.format ?? 'json';
      await ctx.store.webhooks.set({
        monitorId: monitor.id,
        url: verdict.url.href,
        format,
        sealedSecret: ctx.store.secrets.seal(secret),
      });
      return {
        url: verdict.url.href,
        format,
        ...(request.body.secret === undefined ? { secret } : {}),
      };
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(WEBHOOK_ROUTES.getWebhook),
    async handler(request) {
      const monitor = await monitorOf(request.params.id);
      const config = await ctx.store.webhooks.get(monitor.id);
      const deliveries = await ctx.store.webhooks.deliveries(monitor.id, DELIVERIES_SHOWN);
      return {
        webhook: config === undefined ? null : { url: config.url, format: config.format },
        deliveries: await Promise.all(
          deliveries.map(async (d) => ({
            id: d.id,
            createdAt: iso(d.createdAt),
            url: d.url,
            status: d.status,
            attempts: d.attempts,
            nextAttemptAt: isoOrNull(d.nextAttemptAt),
            payload: d.payload,
            log: (await ctx.store.webhooks.attempts(d.id)).map((a) => ({ ...a, at: iso(a.at) })),
          })),
        ),
      };
    },
  });

  app.route<{ Params: IdParams }>({
    ...routeOptions(WEBHOOK_ROUTES.deleteWebhook),
    async handler(request, reply) {
      const monitor = await monitorOf(request.params.id);
      if (!(await ctx.store.webhooks.remove(monitor.id)))
        throw notFound('webhook of monitor', monitor.id);
      return reply.code(204).send();
    },
  });
}
