/**
 * Route plumbing shared by the route modules: a route spec turned into Fastify route options, the
 * errors of a task turned into API errors, and cursors read from the query.
 */
import type { preValidationAsyncHookHandler } from 'fastify';
import { AuditInputError } from '../../audit/index.js';
import { CheckInputError } from '../../check/index.js';
import { ApiError, badRequest } from '../http/errors.js';
import { coerceQueryIntegers, fastifySchema, type RouteSpec } from '../http/route-spec.js';
import { DeadlineError } from '../jobs/executor.js';
import { decodeCursor, decodePositionCursor, encodeCursor } from '../store/index.js';

/** Method, URL and validation schemas of `spec`, plus the integer coercion of its query string. */
export function routeOptions(spec: RouteSpec) {
  const querystring = spec.querystring;
  const coerce: preValidationAsyncHookHandler | undefined =
    querystring === undefined
      ? undefined
      : async (request) => {
          coerceQueryIntegers(querystring, request.query as Record<string, unknown>);
        };
  return {
    method: spec.method,
    url: spec.url,
    schema: fastifySchema(spec),
    // The auth hook finds the route's access by it (`routes/access.ts`).
    config: { operationId: spec.operationId },
    ...(coerce === undefined ? {} : { preValidation: coerce }),
  };
}

/**
 * The API error for a task that threw while a client waits for it. The service-busy error is
 * left to the error handler (503); anything unknown stays a 500 (a bug, not user input).
 */
export function apiErrorOf(error: unknown): unknown {
  // The checker refuses what fetch() refuses (a body on GET, a header value it rejects...).
  if (error instanceof CheckInputError) return badRequest(error.option, error.message);
  // The auditor refuses what it cannot audit (the routes refuse most of it first).
  if (error instanceof AuditInputError) return badRequest(error.option, error.message);
  if (error instanceof DeadlineError) return new ApiError(504, 'timeout', error.message);
  return error;
}

/** The id in a history cursor; a cursor we did not make is a 400 naming `cursor`. */
export function idCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeCursor(cursor);
  if (id === undefined) throw badRequest('cursor', 'cursor is not a cursor this API returned');
  return id;
}

/** The position in a results cursor. */
export function positionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const position = decodePositionCursor(cursor);
  if (position === undefined)
    throw badRequest('cursor', 'cursor is not a cursor this API returned');
  return position;
}

/** A `since` filter as milliseconds; a time that does not parse is a 400 naming the field. */
export function sinceFilter(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) {
    throw badRequest(
      'since',
      `${JSON.stringify(since)} is not a time; write it in ISO 8601, e.g. "2026-01-31T00:00:00Z"`,
    );
  }
  return ms;
}

/** A `host` filter as stored URLs spell it (lower case, IPv6 in brackets). */
export function hostFilter(host: string | undefined, field = 'host'): string | undefined {
  if (host === undefined) return undefined;
  try {
    const parsed = new URL(`http://${host.trim()}/`);
    if (parsed.port !== '' || parsed.pathname !== '/') throw new TypeError('not a bare host');
    return parsed.hostname;
  } catch {
    throw badRequest(
      field,
      `${JSON.stringify(host)} is not a host name; give one without scheme, port or path, e.g. "api.example.com"`,
    );
  }
}

/** Milliseconds since the epoch as an ISO 8601 timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Same, passing null through. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

/**
 * A page of a history list from `limit + 1` rows, newest first: the extra row only says that
 * there is a next page, whose cursor is the last shown id.
 */
export function historyPage<R extends { readonly id: string; readonly createdAt: number }>(
  rows: readonly R[],
  limit: number,
) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => ({ ...row, createdAt: iso(row.createdAt) })),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
  };
}
