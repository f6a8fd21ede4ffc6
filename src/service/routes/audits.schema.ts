/** Schemas and routes of audits: `POST /api/audits` and one stored audit. */
import { type Static, Type } from '@sinclair/typebox';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import {
  ALLOW_UNSAFE_FIELD,
  BAD_REQUEST,
  BROWSER_FIELD,
  BUSY,
  HEADERS_FIELD,
  ID_PARAMS,
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
