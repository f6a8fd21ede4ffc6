/**
 * `GET /api/batches/:id/events`: the batch as Server-Sent Events
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 *
 * - `progress` `{done,total,passed,failed,errors}` first (a late client learns where things
 *   stand), then after every result;
 * - `result` per target as it is committed, with `id: <seq>` (its completion order, 1..total);
 * - `done` with the final progress, then the stream ends.
 *
 * A client that passes `Last-Event-ID: n` (EventSource does on reconnect) first gets every result
 * with a seq above n from the database, then the live ones: none is lost or sent twice, because
 * the stream subscribes before it reads the store (results are published only after their
 * transaction commits), holds what arrives meanwhile, and drops by seq what the backlog had.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { badRequest, notFound } from '../http/errors.js';
import type { BatchEvent } from '../jobs/batch-events.js';
import type { BatchRecord, Progress, TargetRecord } from '../store/index.js';
import { routeOptions } from './_route.js';
import { presentTarget } from './batches.js';
import { BATCH_ROUTES } from './batches.schema.js';
import type { IdParams } from './shared.schema.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/**
 * Past this much unsent data the client is not keeping up: the stream is ended, and the client
 * resumes with Last-Event-ID instead of the server buffering a 10 000-result backlog per client.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** EventSource waits this long before reconnecting. */
const RETRY_MS = 2_000;

function frame(event: string, data: unknown, id?: number): string {
  // JSON.stringify escapes line breaks, so the data is always one `data:` line.
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function lastEventId(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value.trim())) {
    throw badRequest(
      'Last-Event-ID',
      'Last-Event-ID must be the id of a result event (a whole number)',
    );
  }
  return Number(value.trim());
}

export function registerBatchEventRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.route<{ Params: IdParams }>({
    ...routeOptions(BATCH_ROUTES.batchEvents),
    // A HEAD would subscribe and never read; the stream is GET only.
    exposeHeadRoute: false,
    async handler(request, reply) {
      const resumeAfter = lastEventId(request.headers['last-event-id']);
      // Subscribed before the store is read: a result committed while it answers is held, then
      // sent after the backlog (or dropped by its seq when the backlog already had it).
      const held: BatchEvent[] = [];
      let listener: (event: BatchEvent) => void = (event) => held.push(event);
      const unsubscribe = ctx.events.subscribe(request.params.id, (event) => listener(event));
      let batch: BatchRecord | undefined;
      let backlog: TargetRecord[] = [];
      try {
        batch = await ctx.store.batches.get(request.params.id);
        if (batch === undefined) throw notFound('batch', request.params.id);
        if (resumeAfter !== undefined) {
          backlog = await ctx.store.batches.resultsAfter(batch.id, resumeAfter);
        }
      } catch (error) {
        unsubscribe();
        throw error;
      }

      const stream = new PassThrough();
      let lastSent = resumeAfter ?? batch.progress.done;
      /** The `done` count of the last progress sent. */
      let shownDone = batch.progress.done;
      let closed = false;
      const keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);
      keepalive.unref();

      function close(): void {
        if (closed) return;
        closed = true;
        clearInterval(keepalive);
        unsubscribe();
        stream.end();
      }
      function write(text: string): void {
        if (closed) return;
        stream.write(text);
        if (stream.writableLength > MAX_BUFFERED_BYTES) close();
      }
      function sendProgress(progress: Progress): void {
        shownDone = Math.max(shownDone, progress.done);
        write(frame('progress', progress));
      }
      function sendResult(target: TargetRecord, progress?: Progress): void {
        if (target.seq === null || target.seq <= lastSent) {
          // Sent with the backlog, which ended with older counts than this result's.
          if (progress !== undefined && progress.done > shownDone) sendProgress(progress);
          return;
        }
        lastSent = target.seq;
        write(frame('result', presentTarget(target), target.seq));
        if (progress !== undefined) sendProgress(progress);
      }
      function onEvent(event: BatchEvent): void {
        if (event.type === 'result') sendResult(event.target, event.progress);
        else {
          write(frame('done', event.progress));
          close();
        }
      }

      // From here on nothing awaits: the events held so far are sent in order, then live ones.
      write(`retry: ${RETRY_MS}\n\n`);
      write(frame('progress', batch.progress));
      // The backlog, then where it leaves the counts (one progress, not one per replayed result).
      for (const target of backlog) sendResult(target);
      if (backlog.length > 0) write(frame('progress', batch.progress));
      if (batch.status === 'done') {
        write(frame('done', batch.progress));
        close();
      } else {
        for (const event of held.splice(0)) onEvent(event);
        listener = onEvent;
      }
      // The response's close, not the request's: an IncomingMessage closes once its body is read.
      reply.raw.on('close', close);

      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  });
}
