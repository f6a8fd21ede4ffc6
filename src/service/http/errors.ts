/**
 * The API's error answers: one JSON shape, `{ error, message, field? }`, for every refusal, so the
 * page and scripts can branch on `error` and point at `field`. User input never produces a 500:
 * schema failures, malformed JSON, wrong media types and oversized bodies all map to 4xx here.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { QueueUnavailableError } from '../jobs/queue-unavailable.js';
import { ServiceBusyError } from '../limits/concurrency-limit.js';
import { StoreUnavailableError } from '../store/unavailable.js';

/** Stable error codes of the API. */
export type ApiErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'misdirected-request'
  | 'rate-limited'
  | 'limit-reached'
  | 'conflict'
  | 'busy'
  | 'timeout'
  | 'internal';

/** The body of every error answer. */
export interface ApiErrorBody {
  readonly error: ApiErrorCode;
  /** One sentence starting with `corsproof: ` that says what is wrong and what to do. */
  readonly message: string;
  /** The field at fault, as a path into the request (`targets[3].url`, `limit`), when there is one. */
  readonly field?: string;
}

/** An error the handlers throw to answer with a given status and body. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  /** Seconds for `Retry-After` (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    statusCode: number,
    code: ApiErrorCode,
    message: string,
    extra: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message.startsWith('corsproof: ') ? message : `corsproof: ${message}`);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.field = extra.field;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }

  toJSON(): ApiErrorBody {
    return {
      error: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
    };
  }
}

/** A 400 naming `field`. */
export function badRequest(field: string, message: string): ApiError {
  return new ApiError(400, 'bad-request', message, { field });
}

/** A 404 for an id that names nothing. */
export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'not-found', `no ${what} has the id ${JSON.stringify(id)}`, {
    field: 'id',
  });
}

/** One error as Ajv reports it (the fields we read; Fastify passes Ajv's objects through). */
export interface SchemaIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
  /** Present with Ajv's `verbose` option: the schema object that holds the failing keyword. */
  readonly parentSchema?: Readonly<Record<string, unknown>>;
  /** Set when the failure is in an object key (`propertyNames`), not in a value. */
  readonly propertyName?: string;
}

/**
 * A JSON pointer (`/targets/3/url`) as a path a developer reads (`targets[3].url`): indexes in
 * brackets, names with dots, and names that are not identifiers quoted (`headers["x-api-key"]`).
 */
export function fieldPath(segments: readonly string[]): string {
  let out = '';
  for (const segment of segments) {
    if (/^(0|[1-9][0-9]*)$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  // RFC 6901: "~1" is "/", "~0" is "~", in that order.
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  return types.map((t) => (t === 'null' ? 'null' : article(t))).join(' or ');
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values);
}

/**
 * Turns the first schema issue of a request part into the field it names and a sentence about it.
 * `part` is Fastify's validation context (`body`, `querystring`, `params`), used when the issue is
 * about the whole part.
 */
export function describeSchemaIssue(
  issue: SchemaIssue,
  part: string,
): { field: string; message: string } {
  const segments = pointerSegments(issue.instancePath);
  const p = issue.params;
  const expected = issue.parentSchema?.['x-expected'];
  const here = fieldPath(segments);
  const named = (extra: unknown) => fieldPath([...segments, String(extra)]);
  // A key that fails `propertyNames` (a header name): the error names the key, not its object.
  if (issue.propertyName !== undefined) {
    const field = named(issue.propertyName);
    return { field, message: `${JSON.stringify(issue.propertyName)} is not a valid name here` };
  }
  switch (issue.keyword) {
    case 'required': {
      const field = named(p.missingProperty);
      return { field, message: `${field} is required` };
    }
    case 'additionalProperties': {
      const field = named(p.additionalProperty);
      return { field, message: `${field} is not a field of this request; check its spelling` };
    }
    case 'propertyNames': {
      const field = named(p.propertyName);
      return { field, message: `${JSON.stringify(p.propertyName)} is not a valid name here` };
    }
    default:
      break;
  }
  const field = here === '' ? part : here;
  const what = here === '' ? `the ${part}` : here;
  switch (issue.keyword) {
    case 'type':
      return { field, message: `${what} must be ${describeType(p.type)}` };
    case 'enum':
      return { field, message: `${what} must be one of ${listValues(p.allowedValues)}` };
    case 'const':
      return { field, message: `${what} must be ${JSON.stringify(p.allowedValue)}` };
    case 'minLength':
      return {
        field,
        message:
          p.limit === 1
            ? `${what} must not be empty`
            : `${what} must be at least ${p.limit} characters long`,
      };
    case 'maxLength':
      return { field, message: `${what} must be at most ${p.limit} characters long` };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return { field, message: `${what} must be ${p.comparison} ${p.limit}` };
    case 'minItems':
      return { field, message: `${what} must have at least ${p.limit} item(s)` };
    case 'maxItems':
      return { field, message: `${what} must have at most ${p.limit} item(s)` };
    case 'maxProperties':
      return { field, message: `${what} must have at most ${p.limit} entries` };
    case 'pattern':
    case 'format':
      return {
        field,
        message:
          typeof expected === 'string'
            ? `${what} must be ${expected}`
            : `${what} is not in the expected format`,
      };
    default:
      return { field, message: `${what} ${issue.message ?? 'is not valid'}` };
  }
}

function hasValidation(
  error: FastifyError,
): error is FastifyError & { validation: SchemaIssue[]; validationContext?: string } {
  return Array.isArray((error as { validation?: unknown }).validation);
}

/** Statuses Fastify itself answers user mistakes with, and the code we give each. */
const CLIENT_ERRORS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** Fastify's own messages, reworded to say what to do. */
function describeFastifyError(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'send the request body as JSON with "Content-Type: application/json"';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'the request body is not valid JSON';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the request body is empty; send a JSON object';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is too large for this endpoint';
    default:
      return error.message;
  }
}

/**
 * Installs the error and not-found handlers that give every failure the `ApiErrorBody` shape.
 * Anything unexpected is logged and answered 500 without details (they may hold internals).
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.retryAfterSeconds !== undefined) {
        reply.header('retry-after', String(error.retryAfterSeconds));
      }
      return reply.code(error.statusCode).send(error.toJSON());
    }
    if (hasValidation(error)) {
      const part = error.validationContext ?? 'body';
      const first = error.validation[0];
      const { field, message } = first
        ? describeSchemaIssue(first, part)
        : { field: part, message: `the ${part} is not valid` };
      return reply.code(400).send(new ApiError(400, 'bad-request', message, { field }).toJSON());
    }
    if (error instanceof QueueUnavailableError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(503).send({ error: 'busy', message: error.message } satisfies ApiErrorBody);
    }
    // The database is away (restarting, a failover, the network): nothing is wrong with the
    // request, which succeeds once it is back, so 503 and Retry-After, never a 500.
    if (error instanceof StoreUnavailableError) {
      request.log.warn({ err: error }, 'the database cannot be reached');
      reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(503).send({ error: 'busy', message: error.message } satisfies ApiErrorBody);
    }
    if (error instanceof ServiceBusyError) {
      reply.header('retry-after', '5');
      return reply.code(503).send({ error: 'busy', message: error.message } satisfies ApiErrorBody);
    }
    const status = error.statusCode ?? 500;
    const code = CLIENT_ERRORS[status];
    if (code !== undefined) {
      const field = status === 400 || status === 413 || status === 415 ? 'body' : undefined;
      const body = new ApiError(status, code, describeFastifyError(error), {
        ...(field === undefined ? {} : { field }),
      });
      return reply.code(status).send(body.toJSON());
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({
      error: 'internal',
      message: 'corsproof: internal error; the server log has the details',
    } satisfies ApiErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    return reply.code(404).send({
      error: 'not-found',
      message: `corsproof: no route ${request.method} ${path}; the API is described at /api/openapi.json`,
    } satisfies ApiErrorBody);
  });
}
