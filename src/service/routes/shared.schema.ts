/**
 * What the schemas of every resource share: the fields of a check's or an audit's input, ids,
 * pages, outcomes, and the error body. The routes hand these objects to Fastify's Ajv for
 * validation and `http/openapi.ts` publishes the very same objects, so the document cannot drift
 * from what is enforced; the TypeScript types are derived from them (TypeBox's `Static`), so the
 * handlers cannot drift either.
 *
 * Only keywords that mean the same in JSON Schema draft-07 (Ajv's default) and 2020-12 (OpenAPI
 * 3.1) are used: no tuple `items`, no `$defs`. `x-expected` is an annotation (registered with Ajv)
 * that the error formatter turns into "url must be <x-expected>". Where TypeBox has no builder for
 * a keyword as written (`enum`, `if`/`then`/`else`, a list of types), `Type.Unsafe` keeps the
 * schema exactly as published and gives it the type its keywords mean.
 */
import { type SchemaOptions, type Static, type TUnsafe, Type } from '@sinclair/typebox';
import type { JsonSchema, ResponseSpec } from '../http/route-spec.js';

/** Page size limits of list endpoints. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** RFC 9110 `token`: header names and methods. */
const TOKEN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
/** A header value as fetch() accepts it: no CR, LF or NUL. */
const HEADER_VALUE = '^[^\\r\\n\\u0000]*$';

/** `{ enum: values }`, typed as the union of `values`. */
export function Enum<const T extends readonly unknown[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, enum: values });
}

// ---------------------------------------------------------------------------------------------
// Fields of request bodies
// ---------------------------------------------------------------------------------------------

export const URL_FIELD = Type.String({
  minLength: 1,
  maxLength: 2048,
  description:
    'The URL the page would fetch: http or https, no user name or password. Targets on private networks are refused unless the server runs with --allow-private-targets.',
  examples: ['https://api.example.com/items'],
});

export const ORIGIN_FIELD = Type.String({
  minLength: 1,
  maxLength: 512,
  description:
    'The origin of the page making the call (scheme://host[:port]), or "null" for an opaque origin.',
  examples: ['https://app.example.com'],
});

export const METHOD_FIELD = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: TOKEN,
  'x-expected': 'an HTTP method name such as "GET" or "PUT"',
  description:
    'The request method, as passed to fetch(). Default GET. PUT, DELETE, PATCH, other non-standard methods and POST with a non-form body are only sent with allowUnsafeMethods: true; otherwise only the preflight is sent.',
  examples: ['PUT'],
});

const HEADER_VALUE_FIELD = Type.String({
  maxLength: 8192,
  pattern: HEADER_VALUE,
  'x-expected': 'a header value without line breaks',
});

/** One `[name, value]` line of a header list. */
const HEADER_LINE = Type.Array(HEADER_VALUE_FIELD, { minItems: 2, maxItems: 2 });
const HEADER_LIST = Type.Array(HEADER_LINE, { maxItems: 64 });
/** `{ "Name": "value" }`; written out because `Type.Record` would publish `patternProperties`. */
const HEADER_RECORD = Type.Unsafe<Record<string, Static<typeof HEADER_VALUE_FIELD>>>({
  type: 'object',
  maxProperties: 64,
  propertyNames: { maxLength: 256, pattern: TOKEN },
  additionalProperties: HEADER_VALUE_FIELD,
});

/** Request headers as the API accepts them. */
export type HeadersBody =
  | Readonly<Static<typeof HEADER_RECORD>>
  | readonly Readonly<Static<typeof HEADER_LINE>>[];

export const HEADERS_FIELD = Type.Unsafe<HeadersBody>({
  description:
    'Request headers the page sets: an object, or a list of [name, value] pairs (keeps duplicates and order). Values of Authorization, Cookie and other credential headers are stored and logged only redacted.',
  type: ['object', 'array'],
  if: { type: 'array' },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else; this object is never awaited.
  then: HEADER_LIST,
  else: HEADER_RECORD,
  examples: [{ 'Content-Type': 'application/json' }, [['X-Trace', 'a']]],
});

export const BROWSER_FIELD = Enum(['chromium', 'firefox', 'webkit'], {
  description: 'The browser to imitate. Default chromium.',
});

export const TIMEOUT_FIELD = Type.Integer({
  minimum: 100,
  maximum: 30_000,
  description: 'Per exchange (preflight, request, each redirect), in milliseconds. Default 10000.',
});

export const ALLOW_UNSAFE_FIELD = Type.Boolean({
  description:
    'Send PUT, DELETE, PATCH, non-standard methods and POST with a non-form body for real. Without it the check sends only the preflight and says so in notices.',
});

// ---------------------------------------------------------------------------------------------
// Path parameters and query strings
// ---------------------------------------------------------------------------------------------

/** `:id` of every resource. Any string is accepted: an id that names nothing is a 404, not a 400. */
export const ID_PARAMS = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export type IdParams = Readonly<Static<typeof ID_PARAMS>>;

export const CURSOR_FIELD = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'The nextCursor of the previous page.',
});

export const LIMIT_FIELD = Type.Integer({
  minimum: 1,
  maximum: MAX_PAGE_SIZE,
  description: `Items per page, 1 to ${MAX_PAGE_SIZE}. Default ${DEFAULT_PAGE_SIZE}.`,
});

/** `GET /api/monitors`. */
export const PAGE_QUERY = Type.Object(
  { cursor: Type.Optional(CURSOR_FIELD), limit: Type.Optional(LIMIT_FIELD) },
  { additionalProperties: false },
);

export type PageQuery = Readonly<Static<typeof PAGE_QUERY>>;

/** Outcomes of a batch target or monitor run, as counted in progress. */
export const OUTCOMES = ['passed', 'failed', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

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
        'unauthorized',
        'forbidden',
        'not-found',
        'method-not-allowed',
        'unsupported-media-type',
        'payload-too-large',
        'misdirected-request',
        'rate-limited',
        'limit-reached',
        'conflict',
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

export const NOTICES = {
  type: 'array',
  description: 'What the service changed about the request, and why (e.g. preflight only).',
  items: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string' }, message: { type: 'string' } },
  },
} as const satisfies JsonSchema;

export const TIMESTAMP = { type: 'string', format: 'date-time' } as const satisfies JsonSchema;

export const BAD_REQUEST: ResponseSpec = {
  description: 'Invalid input; `field` names the field.',
  schema: ERROR_BODY,
};
export const NOT_FOUND: ResponseSpec = { description: 'No such id.', schema: ERROR_BODY };
export const RATE_LIMITED: ResponseSpec = {
  description: 'Too many requests from this client; see Retry-After.',
  schema: ERROR_BODY,
};
export const UNAUTHORIZED: ResponseSpec = {
  description: 'No token, or one that is malformed, unknown or revoked.',
  schema: ERROR_BODY,
};
export const FORBIDDEN: ResponseSpec = {
  description: "The token's scope does not reach this route.",
  schema: ERROR_BODY,
};
export const BUSY: ResponseSpec = {
  description: 'Every check slot is taken; see Retry-After.',
  schema: ERROR_BODY,
};
