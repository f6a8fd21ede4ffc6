/**
 * Every operation of a dereferenced API description as a concrete request a page could send:
 * method, URL with parameter values filled in, and the headers the operation needs.
 */
import { baseUrlOf } from './base-url.js';
import { sampleOfParameter, valueText } from './sample-value.js';
import { securityOf } from './security.js';
import type { ApiDocument, OperationLike, ParameterLike } from './types.js';

/** The HTTP methods a path item may hold operations for (OpenAPI 3 and Swagger 2). */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface ApiOperation {
  /** Upper case: `GET`, `POST`, ... */
  readonly method: string;
  /** The path as the description writes it: `/users/{id}`. */
  readonly path: string;
  /** The concrete URL: base URL + path with values for path and required query parameters. */
  readonly url: string;
  readonly operationId: string | null;
  readonly tags: readonly string[];
  /**
   * The headers a page sets to call it: its security's (placeholder credentials), its required
   * header parameters, and `Content-Type` when it takes a body.
   */
  readonly headers: readonly (readonly [string, string])[];
  /** Whether a cookie is part of it (an API key or a required parameter in a cookie). */
  readonly credentials: boolean;
  /** The security schemes used, by name (the first alternative of its requirements). */
  readonly security: readonly string[];
}

export interface ListOperationsOptions {
  /** The API's address, over the description's servers (or host). */
  readonly baseUrl?: string;
  /** Where the description came from: a relative server URL is relative to it. */
  readonly documentUrl?: string;
}

/** Path-level parameters apply to each operation unless it redefines the same name and place. */
function parametersOf(
  pathItem: Readonly<Record<string, unknown>>,
  operation: OperationLike,
): ParameterLike[] {
  const shared = (pathItem.parameters as readonly ParameterLike[] | undefined) ?? [];
  const own = operation.parameters ?? [];
  const key = (p: ParameterLike) => `${p.in}:${p.name}`;
  const overridden = new Set(own.map(key));
  // An unresolved $ref (external, not followed) has no name or place: nothing to fill in.
  return [...shared.filter((p) => !overridden.has(key(p))), ...own].filter(
    (p) => typeof p.name === 'string' && typeof p.in === 'string',
  );
}

/** The media type a page would send the body as; `null` when the operation takes none. */
function contentTypeOf(
  doc: ApiDocument,
  operation: OperationLike,
  parameters: readonly ParameterLike[],
): string | null {
  if (doc.openapi !== undefined) {
    const types = Object.keys(operation.requestBody?.content ?? {});
    // A range (`application/*`, `*/*`) is not a type a page can send; the first concrete one.
    return types.find((t) => !t.includes('*')) ?? null;
  }
  const form = parameters.some((p) => p.in === 'formData');
  if (!form && !parameters.some((p) => p.in === 'body')) return null;
  const consumes = operation.consumes ?? doc.consumes ?? [];
  const fallback = form ? 'application/x-www-form-urlencoded' : 'application/json';
  return consumes.find((t) => !t.includes('*')) ?? fallback;
}

/** `/users/{id}` with the value of `id` (percent-encoded); an unknown name stays as written. */
function fillPath(path: string, values: ReadonlyMap<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : encodeURIComponent(value);
  });
}

function operationOf(
  doc: ApiDocument,
  base: string,
  path: string,
  method: string,
  pathItem: Readonly<Record<string, unknown>>,
  operation: OperationLike,
): ApiOperation {
  const parameters = parametersOf(pathItem, operation);
  const security = securityOf(doc, operation);
  const pathValues = new Map<string, string>();
  const query = new URLSearchParams();
  const headers: [string, string][] = security.headers.map(([n, v]) => [n, v]);
  let credentials = security.credentials;
  for (const p of parameters) {
    const name = p.name as string;
    if (p.in === 'path') pathValues.set(name, valueText(sampleOfParameter(p)));
    if (p.required !== true) continue;
    const value = sampleOfParameter(p);
    if (p.in === 'query') {
      // Lists repeat the name (OpenAPI's default `form` style with `explode`).
      for (const item of Array.isArray(value) ? value : [value])
        query.append(name, valueText(item));
    } else if (p.in === 'header') {
      // Accept, Content-Type and Authorization as parameters are ignored (OpenAPI 3.1 §4.8.12.1):
      // they come from the media types and the security.
      if (!['accept', 'content-type', 'authorization'].includes(name.toLowerCase())) {
        headers.push([name, valueText(value)]);
      }
    } else if (p.in === 'cookie') credentials = true;
  }
  for (const [name, value] of security.query) query.append(name, value);
  const contentType = contentTypeOf(doc, operation, parameters);
  if (contentType !== null) headers.push(['Content-Type', contentType]);
  const search = query.size > 0 ? `?${query}` : '';
  return {
    method: method.toUpperCase(),
    path,
    url: `${base}${fillPath(path, pathValues)}${search}`,
    operationId: typeof operation.operationId === 'string' ? operation.operationId : null,
    tags: (operation.tags ?? []).filter((t): t is string => typeof t === 'string'),
    headers,
    credentials,
    security: security.schemes,
  };
}

/**
 * The operations of a dereferenced description (see `loadApiDescription`), in document order.
 * Throws an `ApiDescriptionError` when no absolute base URL can be found.
 *
 * @example
 * const [op] = listOperations(doc, { baseUrl: 'https://api.example.com' });
 * op // { method: 'GET', path: '/users/{id}', url: 'https://api.example.com/users/1', headers: [...], ... }
 */
export function listOperations(
  doc: ApiDocument,
  options: ListOperationsOptions = {},
): ApiOperation[] {
  const base = baseUrlOf(doc, options.baseUrl, options.documentUrl);
  const out: ApiOperation[] = [];
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    if (pathItem === undefined || pathItem === null) continue;
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (operation === null || typeof operation !== 'object') continue;
      out.push(operationOf(doc, base, path, method, pathItem, operation as OperationLike));
    }
  }
  return out;
}
