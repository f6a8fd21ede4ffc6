/** Schemas and routes of audits: `POST /api/audits` and one stored audit. */
import { type Static, Type } from '@sinclair/typebox';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import {
  ALLOW_UNSAFE_FIELD,
  BAD_REQUEST,
  BROWSER_FIELD,
  BUSY,
  CURSOR_FIELD,
  Enum,
  HEADERS_FIELD,
  ID_PARAMS,
  LIMIT_FIELD,
  METHOD_FIELD,
  NOT_FOUND,
  NOTICES,
  ORIGIN_FIELD,
  OUTCOMES,
  RATE_LIMITED,
  TIMEOUT_FIELD,
  TIMESTAMP,
  URL_FIELD,
} from './shared.schema.js';

/** `POST /api/audits`: the auditor's inputs. */
export const AUDIT_INPUT = Type.Object(
  {
    url: URL_FIELD,
    origin: Type.String({
      ...ORIGIN_FIELD,
      description:
        'The origin that should be allowed (the real front end). The auditor derives crafted origins from it.',
    }),
    method: Type.Optional(METHOD_FIELD),
    headers: Type.Optional(HEADERS_FIELD),
    credentials: Type.Optional(
      Type.Boolean({
        description: 'Probe with credentials, as a signed-in page would. Default false.',
      }),
    ),
    browser: Type.Optional(BROWSER_FIELD),
    timeoutMs: Type.Optional(TIMEOUT_FIELD),
    allowUnsafeMethods: Type.Optional(ALLOW_UNSAFE_FIELD),
  },
  { title: 'AuditInput', additionalProperties: false },
);

/** The body of `POST /api/audits`. */
export type AuditBody = Readonly<Static<typeof AUDIT_INPUT>>;

export const AUDIT_RECORD = {
  title: 'AuditRecord',
  type: 'object',
  required: ['id', 'createdAt', 'input', 'outcome', 'result', 'notices'],
  properties: {
    id: { type: 'string' },
    createdAt: TIMESTAMP,
    input: { type: 'object', description: 'The input as run, credentials redacted.' },
    outcome: {
      enum: OUTCOMES,
      description: 'failed when a finding is of medium severity or above.',
    },
    result: {
      type: 'object',
      required: ['findings'],
      description: "The auditor's report.",
      properties: { findings: { type: 'array', items: { type: 'object' } } },
    },
    notices: NOTICES,
  },
} as const satisfies JsonSchema;

/** `GET /api/audits`: history filters. */
export const AUDIT_LIST_QUERY = Type.Object(
  {
    outcome: Type.Optional(Enum(OUTCOMES, { description: 'Only audits with this outcome.' })),
    host: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 253,
        description:
          'Only audits of URLs on this host (any scheme and port), e.g. api.example.com.',
      }),
    ),
    since: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Only audits made at or after this time (ISO 8601, e.g. 2026-01-31T00:00:00Z).',
      }),
    ),
    cursor: Type.Optional(CURSOR_FIELD),
    limit: Type.Optional(LIMIT_FIELD),
  },
  { additionalProperties: false },
);

export type AuditListQuery = Readonly<Static<typeof AUDIT_LIST_QUERY>>;

export const AUDIT_PAGE = {
  title: 'AuditPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'createdAt', 'url', 'origin', 'outcome'],
        properties: {
          id: { type: 'string' },
          createdAt: TIMESTAMP,
          url: { type: 'string' },
          origin: { type: 'string' },
          outcome: { enum: OUTCOMES },
        },
      },
    },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

export const AUDIT_ROUTES = {
  createAudit: {
    method: 'POST',
    url: '/api/audits',
    operationId: 'createAudit',
    summary: 'Audit an endpoint for CORS misconfigurations',
    tag: 'audits',
    body: AUDIT_INPUT,
    responses: {
      201: { description: 'The audit ran; its report is stored.', schema: AUDIT_RECORD },
      400: BAD_REQUEST,
      429: RATE_LIMITED,
      503: BUSY,
    },
  },
  listAudits: {
    method: 'GET',
    url: '/api/audits',
    operationId: 'listAudits',
    summary: 'The history of audits, newest first',
    tag: 'audits',
    querystring: AUDIT_LIST_QUERY,
    responses: { 200: { description: 'One page.', schema: AUDIT_PAGE }, 400: BAD_REQUEST },
  },
  getAudit: {
    method: 'GET',
    url: '/api/audits/:id',
    operationId: 'getAudit',
    summary: 'One stored audit',
    tag: 'audits',
    params: ID_PARAMS,
    responses: { 200: { description: 'The audit.', schema: AUDIT_RECORD }, 404: NOT_FOUND },
  },
} as const satisfies Record<string, RouteSpec>;
