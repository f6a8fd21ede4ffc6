/**
 * The shape of a route of the API, which both Fastify (validation) and `openapi.ts` (the
 * document) read, and the Ajv settings the schemas are written for. The schemas themselves live
 * beside the routes of their resource (`routes/*.schema.ts`).
 */

/** A JSON Schema, as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One response of a route: a JSON schema, an SSE stream, or nothing. */
export interface ResponseSpec {
  readonly description: string;
  readonly schema?: JsonSchema;
  /** A media type other than application/json. */
  readonly mediaType?: string;
}

/** One route of the API: what Fastify validates, and what the document says. */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
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
