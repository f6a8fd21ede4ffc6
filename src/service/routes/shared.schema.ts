/**
 * Every JSON Schema of the HTTP API, and the table of routes that use them. The routes hand these
 * objects to Fastify's Ajv for validation and `openapi.ts` publishes the very same objects, so the
 * document cannot drift from what is enforced.
 *
 * Only keywords that mean the same in JSON Schema draft-07 (Ajv's default) and 2020-12 (OpenAPI
 * 3.1) are used: no tuple `items`, no `$defs`. `x-expected` is an annotation (registered with Ajv)
 * that the error formatter turns into "url must be <x-expected>".
 *
 * The TypeScript types beside each schema are written by hand and must follow it.
 */
import type { BrowserName, CredentialsMode } from '../../check/index.js';

/** A JSON Schema, as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The shortest interval a monitor may have: a CORS policy does not change by the second. */
export const MIN_MONITOR_INTERVAL_SECONDS = 30;
/** The longest: a week. */
export const MAX_MONITOR_INTERVAL_SECONDS = 7 * 24 * 3600;
/** Targets in one batch. */
export const MAX_BATCH_TARGETS = 10_000;
/** Page size limits of list endpoints. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** RFC 9110 `token`: header names and methods. */
const TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
/** A header value as fetch() accepts it: no CR, LF or NUL. */
const HEADER_VALUE = '^[^\\r\\n\\u0000]*$';

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

const URL_FIELD = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  description:
    'The URL the page would fetch: http or https, no user name or password. Targets on private networks are refused unless the server runs with --allow-private-targets.',
  examples: ['https://api.example.com/items'],
} as const;

const ORIGIN_FIELD = {
  type: 'string',
  minLength: 1,
  maxLength: 512,
  description:
    'The origin of the page making the call (scheme://host[:port]), or "null" for an opaque origin.',
  examples: ['https://app.example.com'],
} as const;

const METHOD_FIELD = {
  type: 'string',
  minLength: 1,
  maxLength: 32,
  pattern: TOKEN,
  'x-expected': 'an HTTP method name such as "GET" or "PUT"',
  description:
    'The request method, as passed to fetch(). Default GET. PUT, DELETE, PATCH, other non-standard methods and POST with a non-form body are only sent with allowUnsafeMethods: true; otherwise only the preflight is sent.',
  examples: ['PUT'],
} as const;

const HEADER_VALUE_FIELD = {
  type: 'string',
  maxLength: 8192,
  pattern: HEADER_VALUE,
  'x-expected': 'a header value without line breaks',
} as const;

const HEADERS_FIELD = {
  description:
    'Request headers the page sets: an object, or a list of [name, value] pairs (keeps duplicates and order). Values of Authorization, Cookie and other credential headers are stored and logged only redacted.',
  type: ['object', 'array'],
  if: { type: 'array' },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else; this object is never awaited.
  then: {
    type: 'array',
    maxItems: 64,
    items: { type: 'array', minItems: 2, maxItems: 2, items: HEADER_VALUE_FIELD },
  },
  else: {
    type: 'object',
    maxProperties: 64,
    propertyNames: { maxLength: 256, pattern: TOKEN },
    additionalProperties: HEADER_VALUE_FIELD,
  },
  examples: [{ 'Content-Type': 'application/json' }, [['X-Trace', 'a']]],
} as const;

const CREDENTIALS_FIELD = {
  description:
    'Whether the page sends credentials: true (fetch credentials "include"), false ("omit"), or a fetch() credentials mode. Default "same-origin", as in fetch().',
  enum: [true, false, 'omit', 'same-origin', 'include'],
} as const;

const BROWSER_FIELD = {
  description: 'The browser to imitate. Default chromium.',
  enum: ['chromium', 'firefox'],
} as const;

const TIMEOUT_FIELD = {
  type: 'integer',
  minimum: 100,
  maximum: 30_000,
  description: 'Per exchange (preflight, request, each redirect), in milliseconds. Default 10000.',
} as const;

const ALLOW_UNSAFE_FIELD = {
  type: 'boolean',
  description:
    'Send PUT, DELETE, PATCH, non-standard methods and POST with a non-form body for real. Without it the check sends only the preflight and says so in notices.',
} as const;

const CHECK_PROPERTIES = {
  url: URL_FIELD,
  origin: ORIGIN_FIELD,
  method: METHOD_FIELD,
  headers: HEADERS_FIELD,
  credentials: CREDENTIALS_FIELD,
  body: {
    type: ['string', 'null'],
    maxLength: 65_536,
    description: 'A text body, sent as UTF-8.',
  },
  browser: BROWSER_FIELD,
  preflightOnly: {
    type: 'boolean',
    description: 'Send only the preflight, never the actual request.',
  },
  galxe: {
    type: 'boolean',
    description:
      'Reproduce Galxe\'s "CORS Check" (origin https://dashboard.galxe.com) instead of a browser; origin may then be left out.',
  },
  timeoutMs: TIMEOUT_FIELD,
  allowUnsafeMethods: ALLOW_UNSAFE_FIELD,
} as const;

/** Galxe mode brings its own origin; every other check needs one. */
const ORIGIN_UNLESS_GALXE = {
  if: { required: ['galxe'], properties: { galxe: { const: true } } },
  else: { required: ['origin'] },
} as const;

/** `POST /api/checks`: the checker's inputs. */
export const CHECK_INPUT = {
  title: 'CheckInput',
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: CHECK_PROPERTIES,
  ...ORIGIN_UNLESS_GALXE,
} as const satisfies JsonSchema;

/** Request headers as the API accepts them. */
export type HeadersBody = Readonly<Record<string, string>> | readonly (readonly string[])[];

/** The body of `POST /api/checks` (follows `CHECK_INPUT`). */
export interface CheckBody {
  readonly url: string;
  readonly origin?: string;
  readonly method?: string;
  readonly headers?: HeadersBody;
  readonly credentials?: boolean | CredentialsMode;
  readonly body?: string | null;
  readonly browser?: BrowserName;
  readonly preflightOnly?: boolean;
  readonly galxe?: boolean;
  readonly timeoutMs?: number;
  readonly allowUnsafeMethods?: boolean;
}

/** `POST /api/audits`: the auditor's inputs. */
export const AUDIT_INPUT = {
  title: 'AuditInput',
  type: 'object',
  additionalProperties: false,
  required: ['url', 'origin'],
  properties: {
    url: URL_FIELD,
    origin: {
      ...ORIGIN_FIELD,
      description:
        'The origin that should be allowed (the real front end). The auditor derives crafted origins from it.',
    },
    method: METHOD_FIELD,
    headers: HEADERS_FIELD,
    credentials: {
      type: 'boolean',
      description: 'Probe with credentials, as a signed-in page would. Default false.',
    },
    browser: BROWSER_FIELD,
    timeoutMs: TIMEOUT_FIELD,
    allowUnsafeMethods: ALLOW_UNSAFE_FIELD,
  },
} as const satisfies JsonSchema;

/** The body of `POST /api/audits` (follows `AUDIT_INPUT`). */
export interface AuditBody {
  readonly url: string;
  readonly origin: string;
  readonly method?: string;
  readonly headers?: HeadersBody;
  readonly credentials?: boolean;
  readonly browser?: BrowserName;
  readonly timeoutMs?: number;
  readonly allowUnsafeMethods?: boolean;
}

/** `POST /api/batches`: many checks or audits, run in the background. */
export const BATCH_INPUT = {
  title: 'BatchInput',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'targets'],
  properties: {
    kind: { enum: ['check', 'audit'], description: 'What to run on each target.' },
    targets: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_TARGETS,
      description: `Up to ${MAX_BATCH_TARGETS} targets: CheckInput objects for kind "check", AuditInput objects for kind "audit".`,
    },
  },
  if: { required: ['kind'], properties: { kind: { const: 'audit' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else; this object is never awaited.
  then: { properties: { targets: { type: 'array', items: AUDIT_INPUT } } },
  else: { properties: { targets: { type: 'array', items: CHECK_INPUT } } },
} as const satisfies JsonSchema;

/** The body of `POST /api/batches` (follows `BATCH_INPUT`). */
export type BatchBody =
  | { readonly kind: 'check'; readonly targets: readonly CheckBody[] }
  | { readonly kind: 'audit'; readonly targets: readonly AuditBody[] };

/** `POST /api/monitors`: a check re-run on a schedule. */
export const MONITOR_INPUT = {
  title: 'MonitorInput',
  type: 'object',
  additionalProperties: false,
  required: ['url', 'intervalSeconds'],
  properties: {
    ...CHECK_PROPERTIES,
    intervalSeconds: {
      type: 'integer',
      minimum: MIN_MONITOR_INTERVAL_SECONDS,
      maximum: MAX_MONITOR_INTERVAL_SECONDS,
      description: `Seconds between two checks, from ${MIN_MONITOR_INTERVAL_SECONDS} to ${MAX_MONITOR_INTERVAL_SECONDS}.`,
    },
  },
  ...ORIGIN_UNLESS_GALXE,
} as const satisfies JsonSchema;

/** The body of `POST /api/monitors` (follows `MONITOR_INPUT`). */
export interface MonitorBody extends CheckBody {
  readonly intervalSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Path parameters and query strings
// ---------------------------------------------------------------------------------------------

/** `:id` of every resource. Any string is accepted: an id that names nothing is a 404, not a 400. */
export const ID_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const satisfies JsonSchema;

export interface IdParams {
  readonly id: string;
}

const CURSOR_FIELD = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  description: 'The nextCursor of the previous page.',
} as const;

const LIMIT_FIELD = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_PAGE_SIZE,
  description: `Items per page, 1 to ${MAX_PAGE_SIZE}. Default ${DEFAULT_PAGE_SIZE}.`,
} as const;

/** Verdicts a stored check can have (the checker's). */
export const VERDICTS = ['allowed', 'blocked', 'error', 'inconclusive'] as const;
export type StoredVerdict = (typeof VERDICTS)[number];

/** `GET /api/checks`: history filters. */
export const CHECK_LIST_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', maxLength: 2048, description: 'Only checks of this URL.' },
    origin: { type: 'string', maxLength: 512, description: 'Only checks from this origin.' },
    verdict: { enum: VERDICTS, description: 'Only checks with this verdict.' },
    cursor: CURSOR_FIELD,
    limit: LIMIT_FIELD,
  },
} as const satisfies JsonSchema;

export interface CheckListQuery {
  readonly url?: string;
  readonly origin?: string;
  readonly verdict?: StoredVerdict;
  readonly cursor?: string;
  readonly limit?: number;
}

/** Outcomes of a batch target or monitor run, as counted in progress. */
export const OUTCOMES = ['passed', 'failed', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** `GET /api/batches/:id`: which results to page through. */
export const BATCH_RESULTS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { enum: ['pending', 'running', 'done'], description: 'Only targets in this state.' },
    outcome: { enum: OUTCOMES, description: 'Only finished targets with this outcome.' },
    cursor: CURSOR_FIELD,
    limit: LIMIT_FIELD,
  },
} as const satisfies JsonSchema;

export interface BatchResultsQuery {
  readonly state?: 'pending' | 'running' | 'done';
  readonly outcome?: Outcome;
  readonly cursor?: string;
  readonly limit?: number;
}

/** `GET /api/monitors`. */
export const PAGE_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { cursor: CURSOR_FIELD, limit: LIMIT_FIELD },
} as const satisfies JsonSchema;

export interface PageQuery {
  readonly cursor?: string;
  readonly limit?: number;
}

// ---------------------------------------------------------------------------------------------
// Responses (published in the OpenAPI document; not given to Fastify, whose serializer would
// drop every property these loose schemas do not list)
// ---------------------------------------------------------------------------------------------

export const ERROR_BODY = {
  title: 'Error',
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: {
      enum: [
        'bad-request',
        'not-found',
        'method-not-allowed',
        'unsupported-media-type',
        'payload-too-large',
        'misdirected-request',
        'rate-limited',
        'limit-reached',
        'busy',
        'timeout',
        'internal',
      ],
    },
    message: { type: 'string' },
    field: {
      type: 'string',
      description: 'The field at fault, as a path into the request: "targets[3].url", "limit".',
    },
  },
} as const satisfies JsonSchema;

const NOTICES = {
  type: 'array',
  description: 'What the service changed about the request, and why (e.g. preflight only).',
  items: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string' }, message: { type: 'string' } },
  },
} as const;

const TIMESTAMP = { type: 'string', format: 'date-time' } as const;

export const CHECK_RECORD = {
  title: 'CheckRecord',
  type: 'object',
  required: ['id', 'createdAt', 'input', 'result', 'notices'],
  properties: {
    id: { type: 'string' },
    createdAt: TIMESTAMP,
    input: { type: 'object', description: 'The input as run, credentials redacted.' },
    result: {
      type: 'object',
      description:
        "The checker's CheckResult: verdict, allowed, steps, failures with fixes, curl commands, warnings.",
    },
    notices: NOTICES,
  },
} as const satisfies JsonSchema;

export const CHECK_PAGE = {
  title: 'CheckPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'createdAt', 'url', 'origin', 'method', 'verdict'],
        properties: {
          id: { type: 'string' },
          createdAt: TIMESTAMP,
          url: { type: 'string' },
          origin: { type: 'string' },
          method: { type: 'string' },
          verdict: { enum: VERDICTS },
        },
      },
    },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

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

const PROGRESS_PROPERTIES = {
  done: { type: 'integer' },
  total: { type: 'integer' },
  passed: { type: 'integer' },
  failed: { type: 'integer' },
  errors: { type: 'integer' },
} as const;

export const BATCH_PROGRESS = {
  title: 'BatchProgress',
  type: 'object',
  required: ['done', 'total', 'passed', 'failed', 'errors'],
  properties: PROGRESS_PROPERTIES,
} as const satisfies JsonSchema;

export const BATCH_ACCEPTED = {
  title: 'BatchAccepted',
  type: 'object',
  required: ['id', 'status', 'total'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['pending', 'running', 'done'] },
    total: { type: 'integer' },
  },
} as const satisfies JsonSchema;

export const BATCH_TARGET_RESULT = {
  title: 'BatchTargetResult',
  type: 'object',
  required: ['position', 'state', 'input'],
  properties: {
    position: { type: 'integer', description: 'Index of the target in the submitted list.' },
    state: { enum: ['pending', 'running', 'done'] },
    seq: {
      type: ['integer', 'null'],
      description: 'Completion order, 1 to total: the SSE event id of its result event.',
    },
    outcome: { enum: [...OUTCOMES, null] },
    input: { type: 'object' },
    result: { type: ['object', 'null'] },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const satisfies JsonSchema;

export const BATCH_STATUS = {
  title: 'BatchStatus',
  type: 'object',
  required: ['id', 'kind', 'status', 'createdAt', 'progress', 'results'],
  properties: {
    id: { type: 'string' },
    kind: { enum: ['check', 'audit'] },
    status: { enum: ['pending', 'running', 'done'] },
    createdAt: TIMESTAMP,
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    progress: BATCH_PROGRESS,
    results: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: BATCH_TARGET_RESULT },
        nextCursor: { type: ['string', 'null'] },
      },
    },
  },
} as const satisfies JsonSchema;

export const MONITOR_RECORD = {
  title: 'Monitor',
  type: 'object',
  required: ['id', 'createdAt', 'input', 'intervalSeconds', 'nextRunAt', 'lastRunAt', 'status'],
  properties: {
    id: { type: 'string' },
    createdAt: TIMESTAMP,
    input: { type: 'object' },
    notices: NOTICES,
    intervalSeconds: { type: 'integer' },
    nextRunAt: TIMESTAMP,
    lastRunAt: { type: ['string', 'null'], format: 'date-time' },
    status: { enum: [...OUTCOMES, 'pending'], description: 'The outcome of the last run.' },
  },
} as const satisfies JsonSchema;

export const MONITOR_DETAIL = {
  title: 'MonitorDetail',
  type: 'object',
  required: ['monitor', 'transitions', 'runs'],
  properties: {
    monitor: MONITOR_RECORD,
    transitions: {
      type: 'array',
      description:
        'Each change of outcome, newest first (the first run is recorded with from: null), with the CORS-relevant response headers that changed.',
      items: {
        type: 'object',
        required: ['at', 'from', 'to', 'changes'],
        properties: {
          at: TIMESTAMP,
          from: { enum: [...OUTCOMES, null] },
          to: { enum: OUTCOMES },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['exchange', 'name', 'before', 'after'],
              properties: {
                exchange: { enum: ['preflight', 'response'] },
                name: { type: 'string', description: 'Lower-case header name, or ":status".' },
                before: { type: ['string', 'null'] },
                after: { type: ['string', 'null'] },
              },
            },
          },
          result: { type: 'object' },
        },
      },
    },
    runs: {
      type: 'array',
      description: 'The latest runs, newest first.',
      items: {
        type: 'object',
        required: ['at', 'outcome', 'verdict'],
        properties: { at: TIMESTAMP, outcome: { enum: OUTCOMES }, verdict: { type: 'string' } },
      },
    },
  },
} as const satisfies JsonSchema;

export const MONITOR_PAGE = {
  title: 'MonitorPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: MONITOR_RECORD },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

export const HEALTH = {
  title: 'Health',
  type: 'object',
  required: ['status'],
  properties: {
    status: { const: 'ok' },
    version: { type: 'string' },
    uptimeSeconds: { type: 'integer' },
    checksInFlight: { type: 'integer' },
    activeBatches: { type: 'integer' },
    monitors: { type: 'integer' },
  },
} as const satisfies JsonSchema;

/** Schemas published by name under `components.schemas`; routes using them get a `$ref`. */
export const NAMED_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  CheckInput: CHECK_INPUT,
  AuditInput: AUDIT_INPUT,
  BatchInput: BATCH_INPUT,
  MonitorInput: MONITOR_INPUT,
  Error: ERROR_BODY,
  CheckRecord: CHECK_RECORD,
  CheckPage: CHECK_PAGE,
  AuditRecord: AUDIT_RECORD,
  BatchAccepted: BATCH_ACCEPTED,
  BatchStatus: BATCH_STATUS,
  BatchProgress: BATCH_PROGRESS,
  Monitor: MONITOR_RECORD,
  MonitorDetail: MONITOR_DETAIL,
  MonitorPage: MONITOR_PAGE,
  Health: HEALTH,
};

// ---------------------------------------------------------------------------------------------
// The route table
// ---------------------------------------------------------------------------------------------

/** One response of a route: a JSON schema, an SSE stream, or nothing. */
export interface ResponseSpec {
  readonly description: string;
  readonly schema?: JsonSchema;
  /** A media type other than application/json. */
  readonly mediaType?: string;
}

/** One route of the API: what Fastify validates, and what the document says. */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax (`/api/checks/:id`). */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly body?: JsonSchema;
  readonly params?: JsonSchema;
  readonly querystring?: JsonSchema;
  /** Request headers the route reads, for the document (`Last-Event-ID`). */
  readonly headers?: readonly { readonly name: string; readonly description: string }[];
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

const BAD_REQUEST: ResponseSpec = {
  description: 'Invalid input; `field` names the field.',
  schema: ERROR_BODY,
};
const NOT_FOUND: ResponseSpec = { description: 'No such id.', schema: ERROR_BODY };
const RATE_LIMITED: ResponseSpec = {
  description: 'Too many requests from this client; see Retry-After.',
  schema: ERROR_BODY,
};
const BUSY: ResponseSpec = {
  description: 'Every check slot is taken; see Retry-After.',
  schema: ERROR_BODY,
};

/** Every route of the API. The route modules register these; `openapi.ts` documents them. */
export const API_ROUTES = {
  health: {
    method: 'GET',
    url: '/api/health',
    operationId: 'getHealth',
    summary: 'Whether the service is up',
    tag: 'meta',
    responses: { 200: { description: 'The service is up.', schema: HEALTH } },
  },
  openapi: {
    method: 'GET',
    url: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    tag: 'meta',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', schema: { type: 'object' } } },
  },
  createCheck: {
    method: 'POST',
    url: '/api/checks',
    operationId: 'createCheck',
    summary: 'Check a cross-origin request as a browser would',
    tag: 'checks',
    body: CHECK_INPUT,
    responses: {
      201: { description: 'The check ran; its result is stored.', schema: CHECK_RECORD },
      400: BAD_REQUEST,
      429: RATE_LIMITED,
      503: BUSY,
    },
  },
  listChecks: {
    method: 'GET',
    url: '/api/checks',
    operationId: 'listChecks',
    summary: 'The history of checks, newest first',
    tag: 'checks',
    querystring: CHECK_LIST_QUERY,
    responses: { 200: { description: 'One page.', schema: CHECK_PAGE }, 400: BAD_REQUEST },
  },
  getCheck: {
    method: 'GET',
    url: '/api/checks/:id',
    operationId: 'getCheck',
    summary: 'One stored check',
    tag: 'checks',
    params: ID_PARAMS,
    responses: { 200: { description: 'The check.', schema: CHECK_RECORD }, 404: NOT_FOUND },
  },
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
  createBatch: {
    method: 'POST',
    url: '/api/batches',
    operationId: 'createBatch',
    summary: 'Queue checks or audits of many targets',
    tag: 'batches',
    body: BATCH_INPUT,
    responses: {
      202: { description: 'Queued; follow it with the events stream.', schema: BATCH_ACCEPTED },
      400: BAD_REQUEST,
      413: { description: 'The body is too large.', schema: ERROR_BODY },
      429: RATE_LIMITED,
    },
  },
  getBatch: {
    method: 'GET',
    url: '/api/batches/:id',
    operationId: 'getBatch',
    summary: "A batch's status, counts and results (paginated, in submission order)",
    tag: 'batches',
    params: ID_PARAMS,
    querystring: BATCH_RESULTS_QUERY,
    responses: {
      200: { description: 'The batch.', schema: BATCH_STATUS },
      400: BAD_REQUEST,
      404: NOT_FOUND,
    },
  },
  batchEvents: {
    method: 'GET',
    url: '/api/batches/:id/events',
    operationId: 'streamBatchEvents',
    summary:
      'Server-Sent Events: progress, one result per target as it lands (id = its seq), then done',
    tag: 'batches',
    params: ID_PARAMS,
    headers: [
      {
        name: 'Last-Event-ID',
        description: 'Resume: results with a seq above it are sent again before live events.',
      },
    ],
    responses: {
      200: {
        description:
          'A text/event-stream. Events: `progress` (BatchProgress), `result` (BatchTargetResult, with `id:`), `done` (BatchProgress).',
        mediaType: 'text/event-stream',
        schema: { type: 'string' },
      },
      404: NOT_FOUND,
    },
  },
  createMonitor: {
    method: 'POST',
    url: '/api/monitors',
    operationId: 'createMonitor',
    summary: 'Re-check a request on a schedule and record every change of outcome',
    tag: 'monitors',
    body: MONITOR_INPUT,
    responses: {
      201: { description: 'The monitor; its first run is due now.', schema: MONITOR_RECORD },
      400: BAD_REQUEST,
      409: { description: 'The server holds as many monitors as it may.', schema: ERROR_BODY },
      429: RATE_LIMITED,
    },
  },
  listMonitors: {
    method: 'GET',
    url: '/api/monitors',
    operationId: 'listMonitors',
    summary: 'Monitors, newest first',
    tag: 'monitors',
    querystring: PAGE_QUERY,
    responses: { 200: { description: 'One page.', schema: MONITOR_PAGE }, 400: BAD_REQUEST },
  },
  getMonitor: {
    method: 'GET',
    url: '/api/monitors/:id',
    operationId: 'getMonitor',
    summary: 'A monitor with its transitions and latest runs',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 200: { description: 'The monitor.', schema: MONITOR_DETAIL }, 404: NOT_FOUND },
  },
  deleteMonitor: {
    method: 'DELETE',
    url: '/api/monitors/:id',
    operationId: 'deleteMonitor',
    summary: 'Stop and delete a monitor with its history',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 204: { description: 'Deleted.' }, 404: NOT_FOUND },
  },
} as const satisfies Record<string, RouteSpec>;

/** The part of a route spec Fastify validates with. */
export function fastifySchema(spec: RouteSpec): {
  body?: JsonSchema;
  params?: JsonSchema;
  querystring?: JsonSchema;
} {
  return {
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(spec.params === undefined ? {} : { params: spec.params }),
    ...(spec.querystring === undefined ? {} : { querystring: spec.querystring }),
  };
}

/**
 * Ajv options of the service. Bodies are validated strictly (no type coercion: `"true"` is not a
 * boolean, unknown fields are refused rather than silently removed); the few integer query
 * parameters are converted by `coerceQueryIntegers` before validation instead.
 */
export const AJV_OPTIONS = {
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  allErrors: false,
  allowUnionTypes: true,
  // `parentSchema` in errors, so the formatter can read `x-expected`.
  verbose: true,
  keywords: ['x-expected'],
} as const;

/**
 * Query strings are text; the integer parameters a schema declares are turned into numbers here
 * (when they are written as whole numbers), so the schema can say `integer` and still reject `5x`.
 */
export function coerceQueryIntegers(schema: JsonSchema, query: Record<string, unknown>): void {
  const properties = schema.properties as Readonly<Record<string, JsonSchema>> | undefined;
  if (properties === undefined) return;
  for (const [name, property] of Object.entries(properties)) {
    const value = query[name];
    if (property.type === 'integer' && typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value)) {
      query[name] = Number(value);
    }
  }
}
