/**
 * CORS for the service's own API, by corsproof's Fastify adapter. The page is served from the
 * same origin and needs none; other front ends are let in only when listed (`--cors-origin`),
 * without credentials (the API has no cookies or sessions to protect).
 */

import { corsproof } from 'corsproof/fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Registers the adapter on `api` (an encapsulated context holding the API routes, so static files
 * get no CORS headers). With no origins nothing is registered: browsers then refuse every
 * cross-origin read, which is the safe default.
 */
export async function registerApiCors(
  api: FastifyInstance,
  origins: readonly string[],
): Promise<void> {
  if (origins.length === 0) return;
  await api.register(corsproof, {
    origins: [...origins],
    methods: ['DELETE'],
    // Authorization: the API's Bearer tokens. Last-Event-ID: an EventSource reconnecting to a batch's events stream sends it.
    requestHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    exposeHeaders: ['Location', 'Retry-After'],
    maxAge: 600,
  });
}
