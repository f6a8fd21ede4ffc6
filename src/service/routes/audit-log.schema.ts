/** Schemas and routes of the audit log: who created, changed or deleted what. */
import { type Static, Type } from '@sinclair/typebox';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import { BAD_REQUEST, CURSOR_FIELD, LIMIT_FIELD, TIMESTAMP } from './shared.schema.js';

export const AUDIT_LOG_QUERY = Type.Object(
  {
    actor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Only entries by this token name.',
      }),
    ),
    cursor: Type.Optional(CURSOR_FIELD),
    limit: Type.Optional(LIMIT_FIELD),
  },
  { additionalProperties: false },
);

export type AuditLogQuery = Readonly<Static<typeof AUDIT_LOG_QUERY>>;

export const AUDIT_LOG_PAGE = {
  title: 'AuditLogPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'at', 'actor', 'action', 'resource', 'resourceId', 'status'],
        properties: {
          id: { type: 'string' },
          at: TIMESTAMP,
          actor: { type: 'string', description: 'The token\'s name; "anonymous" with auth off.' },
          action: { type: 'string', description: 'The operation, e.g. createMonitor.' },
          resource: { type: 'string', description: 'The collection, e.g. monitors.' },
          resourceId: { type: ['string', 'null'] },
          status: { type: 'integer' },
        },
      },
    },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

export const AUDIT_LOG_ROUTES = {
  listAuditLog: {
    method: 'GET',
    url: '/api/audit-log',
    operationId: 'listAuditLog',
    summary: 'Who created, changed or deleted what, newest first',
    tag: 'access',
    querystring: AUDIT_LOG_QUERY,
    responses: { 200: { description: 'One page.', schema: AUDIT_LOG_PAGE }, 400: BAD_REQUEST },
  },
} as const satisfies Record<string, RouteSpec>;
