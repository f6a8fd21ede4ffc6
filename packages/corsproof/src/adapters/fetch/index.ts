/**
 * corsproof for Web-standard handlers, `(request: Request) => Response | Promise<Response>`: Bun,
 * Deno, Cloudflare Workers, and Node through a fetch adapter. Preflights are answered without
 * calling the handler; other responses get the CORS headers, copied into a new `Response` when
 * theirs are immutable (`Response.redirect()`, a `fetch()` result passed through).
 *
 * @example
 * import { withCors } from 'corsproof/fetch';
 *
 * export default {
 *   fetch: withCors({ origins: ['https://app.example.com'] }, (request) => Response.json({ ok: true })),
 * };
 */
import type { CorsPolicy } from '../../policy/compile.js';
import { type Decision, isPreflight } from '../../policy/decision.js';
import type { CorsOptions } from '../../policy/options.js';
import {
  type CorsFactory,
  claim,
  createCorsFactory,
  type PolicySelector,
} from '../../policy/routes/factory.js';
import {
  type PolicyRegistry,
  type PolicyRegistryOptions,
  toRegistry,
} from '../../policy/routes/registry.js';
import { emptyRegistry } from '../../policy/routes/resolve.js';
import type { StoredValidatedPolicy } from '../../policy/validated-policy.js';
import { corsRequestFromFetch, targetOfUrl } from './request.js';
import { preflightResponse, withDecisionHeaders } from './response.js';

export type { CorsFactory } from '../../policy/routes/factory.js';
export type {
  PolicyChoice,
  PolicyInput,
  PolicyRegistry,
  PolicyRegistryOptions,
} from '../../policy/routes/registry.js';
export type { PathTable, PathTableInput } from '../../policy/routes/table.js';
export { corsRequestFromFetch, targetOfUrl } from './request.js';
export { preflightResponse, setDecisionHeaders, withDecisionHeaders } from './response.js';

/**
 * A Web-standard request handler. Extra arguments pass through untouched: Workers' `(env, ctx)`,
 * Deno's `info`, Bun's `server`.
 */
export type FetchHandler<A extends unknown[] = []> = (
  request: Request,
  ...args: A
) => Response | Promise<Response>;

export interface FetchCorsOptions {
  /**
   * Turns an error from the handler, or from an async origins predicate, into a response. A
   * handler's error response gets the CORS headers, so the browser shows the real error instead of
   * a CORS failure. Default: the error propagates, for the platform to answer.
   */
  readonly onError?: (error: unknown, request: Request) => Response | Promise<Response>;
}

/** Wraps a handler with CORS. */
export type FetchMiddleware = <A extends unknown[]>(
  handler: FetchHandler<A>,
  options?: FetchCorsOptions,
) => FetchHandler<A>;

/** `cors(...)` and its route-level choices for fetch handlers. */
export type FetchCors = CorsFactory<FetchMiddleware>;

function middleware(selector: PolicySelector): FetchMiddleware {
  return <A extends unknown[]>(handler: FetchHandler<A>, options: FetchCorsOptions = {}) => {
    const onError = options.onError;
    return async (request: Request, ...args: A): Promise<Response> => {
      if (!claim(request)) return handler(request, ...args);
      const policy = selector.select(selector.byPath ? targetOfUrl(request.url) : '');
      if (policy === null) return handler(request, ...args);
      let decision: Decision;
      try {
        const pending = policy.decide(corsRequestFromFetch(request));
        decision = pending instanceof Promise ? await pending : pending;
      } catch (error) {
        if (onError === undefined) throw error;
        return onError(error, request);
      }
      if (isPreflight(decision)) return preflightResponse(decision);
      let response: Response;
      try {
        response = await handler(request, ...args);
      } catch (error) {
        if (onError === undefined) throw error;
        response = await onError(error, request);
      }
      return withDecisionHeaders(response, decision);
    };
  };
}

function fetchCors(registry: PolicyRegistry): FetchCors {
  return createCorsFactory(registry, middleware);
}

/**
 * CORS for fetch handlers, as a wrapper: `cors(options)(handler)`. When wrappers nest, the outer
 * one decides and inner ones step aside.
 *
 * - `cors(options | policy)`: that policy.
 * - `cors.none()`: no CORS.
 * - `cors.paths({ '/api/*': {...}, '/admin/*': false })`: a policy per path, first match wins.
 *
 * @example
 * const handler = cors.paths({
 *   '/api/public/*': { origins: '*' },
 *   '/api/*': { origins: ['https://app.example.com'], credentials: true },
 * })(app.fetch);
 */
export const cors: FetchCors = fetchCors(emptyRegistry());

/**
 * Named policies for fetch handlers, compiled here; `cors.route(name)` wraps a handler with one and
 * throws at once for an unknown name.
 *
 * @example
 * const cors = corsPolicies({ policies: { partners: { origins: ['https://partner.example'] } } });
 * const partnersApi = cors.route('partners')((request) => Response.json({ ok: true }));
 */
export function corsPolicies(policies: PolicyRegistry | PolicyRegistryOptions): FetchCors {
  return fetchCors(toRegistry(policies));
}

/**
 * Wraps a fetch handler with one CORS policy, compiled (and validated) once, here.
 *
 * @example
 * Bun.serve({
 *   fetch: withCors({ origins: ['https://app.example.com'], methods: ['PUT'] }, async (request) => {
 *     return new Response('hello');
 *   }),
 * });
 */
export function withCors<A extends unknown[]>(
  policy: CorsOptions | CorsPolicy | StoredValidatedPolicy,
  handler: FetchHandler<A>,
  options?: FetchCorsOptions,
): FetchHandler<A> {
  return cors(policy)(handler, options);
}
