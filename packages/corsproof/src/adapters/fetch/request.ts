/**
 * Reading a Web-standard `Request` for the policy. `Headers.get` joins repeated header lines with
 * ", ", which is the Fetch "get" of a header; a repeated Origin thus arrives as "a, b" and is
 * refused as invalid, exactly as through the node:http adapter.
 */
import type { CorsRequest } from '../../policy/options.js';

/**
 * The policy's view of a Fetch API request; `raw` is what predicates receive (default: it).
 *
 * @example
 * const decision = await policy.decide(corsRequestFromFetch(request));
 */
export function corsRequestFromFetch(request: Request, raw?: unknown): CorsRequest {
  const h = request.headers;
  return {
    method: request.method,
    origin: h.get('origin') ?? undefined,
    requestMethod: h.get('access-control-request-method') ?? undefined,
    requestHeaders: h.get('access-control-request-headers') ?? undefined,
    requestPrivateNetwork: h.get('access-control-request-private-network') ?? undefined,
    raw: raw ?? request,
    url: request.url,
  };
}

/**
 * The request target (path and query) of an absolute URL, as a path table matches it. `Request.url`
 * went through the WHATWG URL parser, so dot segments and backslashes are already resolved.
 *
 * @example
 * targetOfUrl('https://api.example/v1/items?page=2') // '/v1/items?page=2'
 */
export function targetOfUrl(url: string): string {
  const scheme = url.indexOf('://');
  const slash = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  return slash === -1 ? '/' : url.slice(slash);
}
