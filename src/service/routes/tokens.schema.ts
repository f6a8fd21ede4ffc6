/** Schemas and routes of API tokens (admin) and of the caller's own session. */
import { type Static, Type } from '@sinclair/typebox';
import { SCOPES } from '../auth/scopes.js';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import { BAD_REQUEST, Enum, ID_PARAMS, NOT_FOUND, TIMESTAMP } from './shared.schema.js';

export const SCOPE_FIELD = Enum(SCOPES, {
  description:
    'read: every GET. run: read, plus checks, audits and batches. monitors: read, plus managing monitors. metrics: only GET /metrics. admin: everything, tokens and the audit log included.',
});

/** `POST /api/tokens`. */
export const TOKEN_INPUT = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'Who or what holds the token (shown in the audit log), e.g. "ci" or "alice".',
    }),
    scope: SCOPE_FIELD,
  },
  { title: 'TokenInput', additionalProperties: false },
);

export type TokenBody = Readonly<Static<typeof TOKEN_INPUT>>;

const TOKEN_PROPERTIES = {
  id: { type: 'string' },
  name: { type: 'string' },
  scope: { enum: SCOPES },
  createdAt: TIMESTAMP,
  createdBy: { type: ['string', 'null'], description: 'Name of the token that created it.' },
  revokedAt: { anyOf: [TIMESTAMP, { type: 'null' }] },
  lastUsedAt: { anyOf: [TIMESTAMP, { type: 'null' }] },
} as const;

export const TOKEN_RECORD = {
  title: 'Token',
  type: 'object',
  required: ['id', 'name', 'scope', 'createdAt', 'createdBy', 'revokedAt', 'lastUsedAt'],
  properties: TOKEN_PROPERTIES,
} as const satisfies JsonSchema;

export const TOKEN_CREATED = {
  title: 'TokenCreated',
  type: 'object',
  required: ['id', 'name', 'scope', 'createdAt', 'createdBy', 'revokedAt', 'lastUsedAt', 'token'],
  properties: {
    ...TOKEN_PROPERTIES,
    token: {
      type: 'string',
      description:
        'The token, shown this once: only its SHA-256 is stored. Send it as "Authorization: Bearer <token>".',
    },
  },
} as const satisfies JsonSchema;

export const TOKEN_LIST = {
  title: 'TokenList',
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: TOKEN_RECORD } },
} as const satisfies JsonSchema;

export const SESSION = {
  title: 'Session',
  type: 'object',
  required: ['auth', 'name', 'scope'],
  properties: {
    auth: {
      enum: ['tokens', 'off'],
      description: 'off: the service runs without authentication (loopback or --demo).',
    },
    name: { type: 'string', description: 'The token\'s name; "anonymous" with auth off.' },
    scope: { enum: SCOPES },
  },
} as const satisfies JsonSchema;

export const TOKEN_ROUTES = {
  getSession: {
    method: 'GET',
    url: '/api/session',
    operationId: 'getSession',
    summary: 'Who the token is and what it may do',
    tag: 'access',
    responses: { 200: { description: 'The caller.', schema: SESSION } },
  },
  createToken: {
    method: 'POST',
    url: '/api/tokens',
    operationId: 'createToken',
    summary: 'Create an API token (shown once)',
    tag: 'access',
    body: TOKEN_INPUT,
    responses: {
      201: { description: 'The token, with its text this once.', schema: TOKEN_CREATED },
      400: BAD_REQUEST,
    },
  },
  listTokens: {
    method: 'GET',
    url: '/api/tokens',
    operationId: 'listTokens',
    summary: 'Every token, revoked ones included (never their text)',
    tag: 'access',
    responses: { 200: { description: 'The tokens, newest first.', schema: TOKEN_LIST } },
  },
  revokeToken: {
    method: 'DELETE',
    url: '/api/tokens/:id',
    operationId: 'revokeToken',
    summary: 'Revoke a token: it answers 401 from then on',
    tag: 'access',
    params: ID_PARAMS,
    responses: { 204: { description: 'Revoked.' }, 404: NOT_FOUND },
  },
} as const satisfies Record<string, RouteSpec>;
