/** Schemas and routes of batches: `POST /api/batches`, a batch's status and its events stream. */
import { type Static, Type } from '@sinclair/typebox';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import { AUDIT_INPUT, type AuditBody } from './audits.schema.js';
import { CHECK_INPUT, type CheckBody } from './checks.schema.js';
import {
  BAD_REQUEST,
  BROWSER_FIELD,
  CURSOR_FIELD,
  Enum,
  ERROR_BODY,
  HEADERS_FIELD,
  ID_PARAMS,
  LIMIT_FIELD,
  NOT_FOUND,
  ORIGIN_FIELD,
  OUTCOMES,
  TIMEOUT_FIELD,
  TIMESTAMP,
} from './shared.schema.js';

/** Targets in one batch. */
export const MAX_BATCH_TARGETS = 10_000;

const KIND_FIELD = Enum(['check', 'audit'], { description: 'What to run on each target.' });

/**
 * The body of `POST /api/batches`: every target is an input of the batch's kind. The schema says
 * so with `if`/`then`/`else`, which TypeBox has no type for, so the union is written out here over
 * the kinds of `KIND_FIELD` and the two derived input types.
 */
export type BatchBody =
  | {
      readonly [K in Static<typeof KIND_FIELD>]: {
        readonly kind: K;
        readonly targets: readonly { readonly check: CheckBody; readonly audit: AuditBody }[K][];
        readonly openapi?: undefined;
      };
    }[Static<typeof KIND_FIELD>]
  | {
      readonly kind: Static<typeof KIND_FIELD>;
      readonly targets?: undefined;
      readonly openapi: OpenApiSource;
    };

/** The longest API description accepted as text. */
export const MAX_OPENAPI_TEXT = 4 * 1024 * 1024;

/** `--include` / `--exclude` patterns of the CLI. */
function patterns(description: string) {
  return Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 64, description });
}

/**
 * A batch's targets as the operations of an API description: uploaded as text, or linked (the
 * link is fetched through the SSRF guard, as targets are reached), with what every target shares.
 */
export const OPENAPI_SOURCE = Type.Object(
  {
    text: Type.Optional(
      Type.String({
        maxLength: MAX_OPENAPI_TEXT,
        description: 'The description itself: OpenAPI 3.0, 3.1 or Swagger 2.0, as YAML or JSON.',
      }),
    ),
    url: Type.Optional(
      Type.String({
        maxLength: 2048,
        description:
          'Where to fetch the description from (http or https, a public address). Give this or text.',
      }),
    ),
    baseUrl: Type.Optional(
      Type.String({
        maxLength: 2048,
        description:
          "The API's address, over the description's servers (or Swagger host and basePath).",
      }),
    ),
    include: Type.Optional(
      patterns(
        "Only operations whose path matches one of these globs ('/users/**') or with tag:NAME.",
      ),
    ),
    exclude: Type.Optional(
      patterns('Leave out operations whose path matches one of these globs or with tag:NAME.'),
    ),
    origin: Type.String({
      ...ORIGIN_FIELD,
      description:
        'The calling page\'s origin (kind "check"), or the origin that should be trusted (kind "audit").',
    }),
    headers: Type.Optional(HEADERS_FIELD),
    credentials: Type.Optional(
      Type.Boolean({
        description:
          'Send with credentials, as a signed-in page would; operations whose security is a cookie always do. Default false.',
      }),
    ),
    browser: Type.Optional(BROWSER_FIELD),
    timeoutMs: Type.Optional(TIMEOUT_FIELD),
  },
  {
    title: 'OpenApiSource',
    additionalProperties: false,
    description:
      "The targets as the operations of an API description, one target per operation, with the headers each needs (placeholder credentials for its security). Give this or targets; the description's text is not stored.",
  },
);

export type OpenApiSource = Readonly<Static<typeof OPENAPI_SOURCE>>;

/** `POST /api/batches`: many checks or audits, run in the background. */
export const BATCH_INPUT = Type.Unsafe<BatchBody>(
  Type.Object(
    {
      kind: KIND_FIELD,
      targets: Type.Optional(
        Type.Unsafe<readonly unknown[]>({
          type: 'array',
          minItems: 1,
          maxItems: MAX_BATCH_TARGETS,
          description: `Up to ${MAX_BATCH_TARGETS} targets: CheckInput objects for kind "check", AuditInput objects for kind "audit". Give this or openapi.`,
        }),
      ),
      openapi: Type.Optional(OPENAPI_SOURCE),
    },
    {
      title: 'BatchInput',
      additionalProperties: false,
      if: { required: ['kind'], properties: { kind: { const: 'audit' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else; this object is never awaited.
      then: { properties: { targets: { type: 'array', items: AUDIT_INPUT } } },
      else: { properties: { targets: { type: 'array', items: CHECK_INPUT } } },
    },
  ),
);

/** Where a target is in its batch. */
export const TARGET_STATES = ['pending', 'running', 'done'] as const;

/** `GET /api/batches/:id`: which results to page through. */
export const BATCH_RESULTS_QUERY = Type.Object(
  {
    state: Type.Optional(Enum(TARGET_STATES, { description: 'Only targets in this state.' })),
    outcome: Type.Optional(
      Enum(OUTCOMES, { description: 'Only finished targets with this outcome.' }),
    ),
    cursor: Type.Optional(CURSOR_FIELD),
    limit: Type.Optional(LIMIT_FIELD),
  },
  { additionalProperties: false },
);

export type BatchResultsQuery = Readonly<Static<typeof BATCH_RESULTS_QUERY>>;

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

/** `GET /api/batches/:id/export`. */
export const BATCH_EXPORT_QUERY = Type.Object(
  {
    format: Type.Optional(
      Enum(['csv', 'json'], { description: 'csv (one row per target) or json. Default json.' }),
    ),
  },
  { additionalProperties: false },
);

export type BatchExportQuery = Readonly<Static<typeof BATCH_EXPORT_QUERY>>;

/** `GET /api/batches`: list filters. */
export const BATCH_LIST_QUERY = Type.Object(
  {
    status: Type.Optional(
      Enum(['pending', 'running', 'done'], { description: 'Only batches in this state.' }),
    ),
    kind: Type.Optional(Enum(['check', 'audit'], { description: 'Only batches of this kind.' })),
    since: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'Only batches made at or after this time (ISO 8601, e.g. 2026-01-31T00:00:00Z).',
      }),
    ),
    cursor: Type.Optional(CURSOR_FIELD),
    limit: Type.Optional(LIMIT_FIELD),
  },
  { additionalProperties: false },
);

export type BatchListQuery = Readonly<Static<typeof BATCH_LIST_QUERY>>;

export const BATCH_SUMMARY = {
  title: 'BatchSummary',
  type: 'object',
  required: ['id', 'kind', 'status', 'createdAt', 'finishedAt', 'progress'],
  properties: {
    id: { type: 'string' },
    kind: { enum: ['check', 'audit'] },
    status: { enum: ['pending', 'running', 'done'] },
    createdAt: TIMESTAMP,
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    progress: BATCH_PROGRESS,
  },
} as const satisfies JsonSchema;

export const BATCH_PAGE = {
  title: 'BatchPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: BATCH_SUMMARY },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

export const BATCH_ROUTES = {
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
      429: {
        description:
          'This client lacks the tokens the batch costs (one per check target, ten per audit target), or already has its maximum of unfinished batches (`limit-reached`); see Retry-After.',
        schema: ERROR_BODY,
      },
      503: {
        description:
          'The service already holds its maximum of unfinished batches; see Retry-After.',
        schema: ERROR_BODY,
      },
    },
  },
  listBatches: {
    method: 'GET',
    url: '/api/batches',
    operationId: 'listBatches',
    summary: 'The batches, newest first',
    tag: 'batches',
    querystring: BATCH_LIST_QUERY,
    responses: { 200: { description: 'One page.', schema: BATCH_PAGE }, 400: BAD_REQUEST },
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
  exportBatch: {
    method: 'GET',
    url: '/api/batches/:id/export',
    operationId: 'exportBatch',
    summary: 'Every target of a batch with its result, as a CSV or JSON file',
    tag: 'batches',
    params: ID_PARAMS,
    querystring: BATCH_EXPORT_QUERY,
    responses: {
      200: {
        description:
          'An attachment: JSON `{ id, kind, status, createdAt, finishedAt, progress, targets }`, or CSV with the columns position, url, origin, method, state, outcome, verdict, findings, detail, finishedAt.',
        schema: { type: 'string' },
      },
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
} as const satisfies Record<string, RouteSpec>;
