/**
 * Reading the CORS-relevant parts of a Node `IncomingMessage` (also Express's and Koa's `req`).
 * Node joins repeated header lines with ", ", which is exactly the Fetch "get" of a header; a
 * repeated Origin thus arrives as "a, b" and is refused as invalid.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CorsRequest } from '../../policy/options.js';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The policy's view of a Node request. */
export function corsRequestFromNode(
  req: {
    readonly method?: string | undefined;
    readonly headers: IncomingHttpHeaders;
    readonly url?: string | undefined;
    /** Express keeps the URL before mounting stripped a prefix here. */
    readonly originalUrl?: string | undefined;
  },
  raw?: unknown,
): CorsRequest {
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
