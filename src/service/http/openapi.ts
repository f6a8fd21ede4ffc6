/**
 * The OpenAPI 3.1 document of the API, built from `API_ROUTES` and the very schema objects the
 * routes validate with. Schemas listed in `NAMED_SCHEMAS` are published once under
 * `components.schemas` and referenced by `$ref` wherever a route uses that same object.
 */
import { ACCESS_BY_OPERATION } from '../routes/access.js';
import { API_ROUTES, NAMED_SCHEMAS } from '../routes/api.js';
import { FORBIDDEN, UNAUTHORIZED } from '../routes/shared.schema.js';
import type { JsonSchema, ResponseSpec, RouteSpec } from './route-spec.js';

/** The document's `info`. */
export interface OpenApiInfo {
  readonly version: string;
}

const NAMES = new Map<JsonSchema, string>(
  Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [schema, name]),
);

function ref(schema: JsonSchema): JsonSchema {
  const name = NAMES.get(schema);
  return name === undefined ? schema : { $ref: `#/components/schemas/${name}` };
}

/** `/api/checks/:id` -> `/api/checks/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(spec: RouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (where: 'path' | 'query', schema: JsonSchema | undefined) => {
    const properties = (schema?.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
    const required = new Set((schema?.required ?? []) as readonly string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  };
  add('path', spec.params);
  add('query', spec.querystring);
  for (const header of spec.headers ?? []) {
    out.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: { type: 'string' },
    });
  }
  return out;
}

/** The responses of a route, with the 401 and 403 of its access. */
function responsesOf(spec: RouteSpec): Readonly<Record<number, ResponseSpec>> {
  const access = ACCESS_BY_OPERATION.get(spec.operationId) ?? 'signed-in';
  if (access === 'public') return spec.responses;
  const added: Record<number, ResponseSpec> = { 401: UNAUTHORIZED };
  if (access !== 'signed-in') added[403] = FORBIDDEN;
  return { ...spec.responses, ...added };
}

function operation(spec: RouteSpec): JsonSchema {
  const params = parameters(spec);
  const access = ACCESS_BY_OPERATION.get(spec.operationId) ?? 'signed-in';
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(responsesOf(spec))) {
    responses[status] = {
      description: response.description,
      ...(response.schema === undefined
        ? {}
        : {
            content: {
              [response.mediaType ?? 'application/json']: { schema: ref(response.schema) },
            },
          }),
    };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(access === 'public'
      ? { security: [] }
      : {
          'x-scope': access,
          description:
            access === 'signed-in'
              ? 'Needs a token of any scope.'
              : `Needs a token with the "${access}" scope (or one that includes it; see the token scopes).`,
        }),
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(spec.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(spec.body) } },
          },
        }),
    responses,
  };
}

/**
 * The document. Built once per server: it only depends on the code.
 *
 * @example
 * ```ts
 * const doc = buildOpenApi({ version: '0.1.0' });
 * Object.keys(doc.paths); // ['/api/health', '/api/openapi.json', '/api/checks', ...]
 * ```
 */
export function buildOpenApi(info: OpenApiInfo): {
  openapi: string;
  info: JsonSchema;
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Readonly<Record<string, JsonSchema>>;
    securitySchemes: Readonly<Record<string, JsonSchema>>;
  };
  security: readonly JsonSchema[];
} {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of Object.values(API_ROUTES) as RouteSpec[]) {
    const at = openApiPath(spec.url);
    paths[at] = { ...paths[at], [spec.method.toLowerCase()]: operation(spec) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'corsproof service',
      version: info.version,
      description:
        'Check cross-origin requests as a browser would, audit endpoints for CORS misconfigurations, run batches and monitors. Errors are { error, message, field? }. Every route but health and this document needs "Authorization: Bearer <token>" unless the service runs with --auth off; a token has one scope: read, run (checks, audits, batches; includes read), monitors (includes read), metrics (GET /metrics only) or admin (everything).',
    },
    paths,
    components: {
      schemas: NAMED_SCHEMAS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (cpt_...), created by an admin.',
        },
      },
    },
    security: [{ bearer: [] }],
  };
}
