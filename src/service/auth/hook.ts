/**
 * Authentication of the API: every route says what it needs (`routes/access.ts`); this hook reads
 * the `Authorization: Bearer` token, finds who is calling, and answers 401 (no token, or one that
 * is unknown or revoked) or 403 (a token whose scope does not reach) before anything else runs.
 * It also writes the audit log: one entry per accepted request that changes something.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';
import type { Clock } from '../jobs/clock.js';
import { ACCESS_BY_OPERATION } from '../routes/access.js';
import type { IdFactory } from '../store/ids.js';
import type { Store, TokenScope } from '../store/index.js';
import { verifyToken } from './api-token.js';
import { type Access, grants } from './scopes.js';

/** Who is calling. */
export interface Principal {
  /** The token's name; `anonymous` with authentication off. */
  readonly name: string;
  readonly tokenId: string | null;
  readonly scope: TokenScope;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on API routes; null on public ones. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The route's `operationId` (see `routes/_route.ts`). */
    operationId?: string;
  }
}

/** `on`: tokens required. `off`: everyone is an anonymous admin (loopback or `--demo` only). */
export type AuthMode = 'tokens' | 'off';

export const ANONYMOUS: Principal = { name: 'anonymous', tokenId: null, scope: 'admin' };

export interface AuthOptions {
  readonly mode: AuthMode;
  readonly store: Store;
  readonly clock: Clock;
  readonly newId: IdFactory;
}

/** What the route of `request` asks of its caller. Unknown operations need a token. */
export function accessOf(request: FastifyRequest): Access {
  const id = request.routeOptions.config?.operationId;
  return (id === undefined ? undefined : ACCESS_BY_OPERATION.get(id)) ?? 'signed-in';
}

function unauthorized(reply: FastifyReply, message: string, invalid: boolean): ApiError {
  // RFC 6750 section 3: a Bearer challenge; `invalid_token` when a token was sent and refused.
  reply.header('www-authenticate', invalid ? 'Bearer error="invalid_token"' : 'Bearer');
  return new ApiError(401, 'unauthorized', message);
}

/** The token of a request's `Authorization: Bearer` header (RFC 6750 section 2.1). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
  return match?.[1] ?? '';
}

/** Finds the principal of `request`, or throws the 401/403 it gets for `access`. */
export async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  access: Access,
  options: AuthOptions,
): Promise<Principal | null> {
  if (options.mode === 'off') return access === 'public' ? null : ANONYMOUS;
  if (access === 'public') return null;
  const token = bearerToken(request);
  if (token === undefined) {
    throw unauthorized(
      reply,
      'this API needs a token: send "Authorization: Bearer <token>" (an admin creates tokens with POST /api/tokens or `corsproof token create`)',
      false,
    );
  }
  const record = token === '' ? undefined : await verifyToken(options.store.tokens, token);
  if (record === undefined) {
    throw unauthorized(
      reply,
      'the token is not valid: it is malformed, unknown or revoked; ask an admin for a new one',
      true,
    );
  }
  await options.store.tokens.touch(record.id, options.clock.now());
  if (access !== 'signed-in' && !grants(record.scope, access)) {
    throw new ApiError(
      403,
      'forbidden',
      `this needs a token with the ${JSON.stringify(access)} scope (or "admin"); the token ${JSON.stringify(record.name)} has ${JSON.stringify(record.scope)}`,
    );
  }
  return { name: record.name, tokenId: record.id, scope: record.scope };
}

/** The collection a URL names: `/api/monitors/mon_1/pause` -> `monitors`. */
function resourceOf(url: string): string {
  return url.split('?')[0]?.split('/')[2] ?? '';
}

/** The id of what a request changed: its `:id`, or the one its `Location` answer names. */
function resourceIdOf(request: FastifyRequest, reply: FastifyReply): string | null {
  const params = request.params as Readonly<Record<string, unknown>> | undefined;
  if (typeof params?.id === 'string') return params.id;
  const location = reply.getHeader('location');
  return typeof location === 'string' ? (location.split('/').at(-1) ?? null) : null;
}

/**
 * Installs authentication on `api` (the encapsulated context of the API routes, after its CORS, so
 * preflights are answered before anyone asks for a token and refusals carry CORS headers).
 */
export function installAuth(api: FastifyInstance, options: AuthOptions): void {
  api.decorateRequest('principal', null);
  api.addHook('onRequest', async (request, reply) => {
    // A CORS preflight carries no credentials (Fetch standard, CORS-preflight fetch, step 1-3).
    if (request.method === 'OPTIONS') return;
    request.principal = await authenticate(request, reply, accessOf(request), options);
  });
  api.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
      return;
    if (reply.statusCode >= 400 || request.principal === null) return;
    const action = request.routeOptions.config?.operationId;
    if (action === undefined) return;
    await options.store.auditLog.insert({
      id: options.newId('evt'),
      at: options.clock.now(),
      actor: request.principal.name,
      tokenId: request.principal.tokenId,
      action,
      resource: resourceOf(request.url),
      resourceId: resourceIdOf(request, reply),
      status: reply.statusCode,
    });
  });
}
