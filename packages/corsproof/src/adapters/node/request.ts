/**
 * Reading the CORS-relevant parts of a Node `IncomingMessage` (also Express's and Koa's `req`).
 * Node joins repeated header lines with ", ", which is exactly the Fetch "get" of a header; a
 * repeated Origin thus arrives as "a, b" and is refused as invalid.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CorsRequest } from '../../policy/options.js';
import { ACRH, ACRM, ACRPN, ORIGIN } from '../../spec/header-names.js';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The four request headers a decision reads. */
interface CorsHeaderValues {
  origin: string | undefined;
  requestMethod: string | undefined;
  requestHeaders: string | undefined;
  requestPrivateNetwork: string | undefined;
}

/** Appends a repeated line as Node's `req.headers` does for these fields: joined with ", ". */
function join(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}

/**
 * Reads the four CORS request headers from `rawHeaders` (name, value, name, value, …). Node builds
 * `req.headers` lazily, on first read, with every header the client sent; a scan for four names
 * costs less than building it, and frameworks that never read it (node:http, Fastify) then never
 * pay for it. The values are the ones `req.headers` would hold: repeated lines joined with ", ".
 * Names are compared by length first, then case-insensitively.
 *
 * @example
 * readCorsHeaders(['Host', 'api.example', 'Origin', 'https://app.example']).origin
 * // 'https://app.example'
 */
export function readCorsHeaders(rawHeaders: readonly string[]): CorsHeaderValues {
  const out: CorsHeaderValues = {
    origin: undefined,
    requestMethod: undefined,
    requestHeaders: undefined,
    requestPrivateNetwork: undefined,
  };
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    switch (name.length) {
      case 6:
        if (name === ORIGIN || name.toLowerCase() === ORIGIN) {
          out.origin = join(out.origin, rawHeaders[i + 1]!);
        }
        break;
      case 29:
        if (name === ACRM || name.toLowerCase() === ACRM) {
          out.requestMethod = join(out.requestMethod, rawHeaders[i + 1]!);
        }
        break;
      case 30:
        if (name === ACRH || name.toLowerCase() === ACRH) {
          out.requestHeaders = join(out.requestHeaders, rawHeaders[i + 1]!);
        }
        break;
      case 38:
        if (name === ACRPN || name.toLowerCase() === ACRPN) {
          out.requestPrivateNetwork = join(out.requestPrivateNetwork, rawHeaders[i + 1]!);
        }
        break;
    }
  }
  return out;
}

/**
 * Access-Control-Request-Method from `rawHeaders` alone, for routing a preflight before anything
 * else reads the request.
 */
export function readRequestMethodHeader(rawHeaders: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 29 && (name === ACRM || name.toLowerCase() === ACRM)) {
      value = join(value, rawHeaders[i + 1]!);
    }
  }
  return value;
}

/**
 * The policy's view of a Node request. A real `IncomingMessage` is read through `rawHeaders` (see
 * `readCorsHeaders`); an object with `headers` only (a test's mock) through those.
 */
export function corsRequestFromNode(
  req: {
    readonly method?: string | undefined;
    readonly headers: IncomingHttpHeaders;
    readonly rawHeaders?: readonly string[] | undefined;
    readonly url?: string | undefined;
    /** Express keeps the URL before mounting stripped a prefix here. */
    readonly originalUrl?: string | undefined;
  },
  raw?: unknown,
): CorsRequest {
  const rawHeaders = req.rawHeaders;
  if (rawHeaders !== undefined) {
    const h = readCorsHeaders(rawHeaders);
    return {
      method: req.method ?? 'GET',
      origin: h.origin,
      requestMethod: h.requestMethod,
      requestHeaders: h.requestHeaders,
      requestPrivateNetwork: h.requestPrivateNetwork,
      raw: raw ?? req,
      url: req.originalUrl ?? req.url,
    };
  }
  const h = req.headers;
  return {
    method: req.method ?? 'GET',
    origin: first(h.origin),
    requestMethod: first(h['access-control-request-method']),
    requestHeaders: first(h['access-control-request-headers']),
    requestPrivateNetwork: first(h['access-control-request-private-network']),
    raw: raw ?? req,
    url: req.originalUrl ?? req.url,
  };
}
