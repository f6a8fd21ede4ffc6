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
 * with a seq above n from the database, then the live ones. None is lost or sent twice:
 *
 * - the stream subscribes before it reads the store, so a result committed meanwhile is either
 *   in what it reads or announced after (results are published after their commit);
 * - events are wake-ups, not the record: a result whose seq is not the next one expected (an
 *   event lost or late, as Redis pub/sub may be in a fleet), a `stale` event, and a timer all make
 *   the stream read the store from its last seq; results at or below it are skipped.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../http/context.js';
import { badRequest, notFound } from '../http/errors.js';
import type { BatchEvent } from '../jobs/batch-events.js';
import type { Progress, TargetRecord } from '../store/index.js';
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
      const batch = await ctx.store.batches.get(request.params.id);
      if (batch === undefined) throw notFound('batch', request.params.id);

      const id = batch.id;
      const stream = new PassThrough();
      let lastSent = resumeAfter ?? batch.progress.done;
      let closed = false;
      let unsubscribe = () => {};
      // The timer also reads the store: a lost event delays a result by this much at most.
      const keepalive = setInterval(() => {
        write(': keepalive\n\n');
        catchUp();
      }, KEEPALIVE_MS);
      keepalive.unref();
      /** Set while the store is read; events meanwhile wait, then go through `onEvent`. */
      let held: BatchEvent[] | undefined;

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
      function sendResult(target: TargetRecord, progress?: Progress): void {
        if (target.seq === null || target.seq <= lastSent) return;
        lastSent = target.seq;
        write(frame('result', presentTarget(target), target.seq));
        if (progress !== undefined) write(frame('progress', progress));
      }
      function finish(progress: Progress): void {
        write(frame('done', progress));
        close();
      }
      /** Sends what the store has after `lastSent`, then the counts, then the end if it came. */
      async function readStore(): Promise<void> {
        const backlog = await ctx.store.batches.resultsAfter(id, lastSent);
        for (const target of backlog) sendResult(target);
        const now = await ctx.store.batches.get(id);
        if (now === undefined) return close();
        // One progress after a backlog, not one per replayed result.
        if (backlog.length > 0) write(frame('progress', now.progress));
        if (now.status === 'done' && now.progress.done <= lastSent) finish(now.progress);
      }
      function catchUp(): void {
        if (closed || held !== undefined) return;
        held = [];
        readStore()
          .catch((error: unknown) => {
            // The database failed: end the stream; the client resumes with Last-Event-ID.
            request.log.error({ err: error, batch: id }, 'could not read batch results');
            close();
          })
          .finally(() => {
            const waiting = held ?? [];
            held = undefined;
            for (const event of waiting) onEvent(event);
          });
      }
      function onEvent(event: BatchEvent): void {
        if (closed) return;
        if (held !== undefined) {
          held.push(event);
          return;
        }
        if (event.type === 'result') {
          const seq = event.target.seq;
          if (seq === null || seq <= lastSent) return;
          // The next one: send it as it came. A gap: what is missing is in the store.
          if (seq === lastSent + 1) sendResult(event.target, event.progress);
          else catchUp();
        } else if (event.type === 'done' && event.progress.done <= lastSent) {
          finish(event.progress);
        } else {
          catchUp();
        }
      }

      // The response's close, not the request's: an IncomingMessage closes once its body is read.
      reply.raw.on('close', close);
      write(`retry: ${RETRY_MS}\n\n`);
      write(frame('progress', batch.progress));
      // Subscribed first, then read: nothing committed in between is missed.
      const stop = await ctx.events.subscribe(id, onEvent);
      unsubscribe = stop;
      if (closed) stop();
      catchUp();

      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  });
}
