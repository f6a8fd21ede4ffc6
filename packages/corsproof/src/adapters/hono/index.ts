/**
 * corsproof for Hono, on any runtime. Preflights are answered with `c.body(null, status)` before
 * routing's 404; other requests get their CORS headers with `c.header()`, before the handler runs
 * and again after it, so they are also on responses a handler built itself (`new Response(...)`,
 * a `fetch()` passed through) and on `app.onError` responses.
 *
 * @example
 * import { Hono } from 'hono';
 * import { cors } from 'corsproof/hono';
 *
 * const app = new Hono();
 * app.use(cors({ origins: ['https://app.example.com'], credentials: true }));
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import type { Decision } from '../../policy/decision.js';
import { isPreflight } from '../../policy/decision.js';
import {
  type CorsFactory,
  claim,
  createCorsFactory,
  type PolicySelector,
} from '../../policy/routes/factory.js';
import {
  definePolicies,
  type PolicyRegistry,
  type PolicyRegistryOptions,
  toRegistry,
} from '../../policy/routes/registry.js';
import { mergeVary } from '../../spec/vary.js';
import { corsRequestFromFetch, targetOfUrl } from '../fetch/request.js';

export type { CorsFactory } from '../../policy/routes/factory.js';
export type {
  PolicyChoice,
  PolicyInput,
  PolicyRegistry,
  PolicyRegistryOptions,
} from '../../policy/routes/registry.js';
export type { PathTable, PathTableInput } from '../../policy/routes/table.js';

/** `cors(...)` and its route-level choices for Hono. */
export type HonoCors = CorsFactory<MiddlewareHandler>;

/**
 * Sets the decision's headers with `c.header()`, skipping those already right. Vary is merged only
 * into a final response: Hono copies headers set early over a handler's own Response, its Vary too.
 */
function setHeaders(c: Context, decision: Decision, final: boolean): void {
  const current = c.res.headers;
  for (const [name, value] of decision.headers) {
    if (current.get(name) !== value) c.header(name, value);
  }
  if (final && decision.vary !== null) {
    const existing = current.get('vary') ?? undefined;
    const merged = mergeVary(existing, decision.vary);
    if (merged !== existing) c.header('vary', merged);
  }
}

function middleware(selector: PolicySelector): MiddlewareHandler {
  return async function corsproof(c, next) {
    if (!claim(c.req.raw)) return next();
    const policy = selector.select(selector.byPath ? targetOfUrl(c.req.url) : '');
    if (policy === null) return next();
    // Predicates see the Hono context as `raw`, as hono/cors's `origin(origin, c)` does.
    const pending = policy.decide(corsRequestFromFetch(c.req.raw, c));
    const decision = pending instanceof Promise ? await pending : pending;
    if (isPreflight(decision)) {
      setHeaders(c, decision, true);
      return c.body(null, decision.status as StatusCode);
    }
    if (decision.headers.length === 0 && decision.vary === null) return next();
    if (decision.headers.length > 0) setHeaders(c, decision, false);
    await next();
    // Hono drops headers set with `c.header()` when a handler returns its own Response, and a
    // handler may set its own Vary; `c.header()` copies an immutable response when it must.
    setHeaders(c, decision, true);
  };
}

function honoCors(registry: PolicyRegistry): HonoCors {
  return createCorsFactory(registry, middleware);
}

/**
 * Hono middleware applying one CORS policy, compiled (and validated) once, here. When several
 * corsproof middlewares match a request, the first one registered decides and the others step
 * aside: register specific ones (`app.use('/internal/*', cors.none())`) before general ones.
 *
 * - `cors(options | policy)`: that policy.
 * - `cors.none()`: no CORS where it is mounted.
 * - `cors.paths({ '/api/*': {...}, '/admin/*': false })`: a policy per path, first match wins.
 *
 * @example
 * app.use('/internal/*', cors.none());
 * app.use(cors({ origins: ['https://app.example.com'], methods: ['PUT', 'DELETE'] }));
 */
export const cors: HonoCors = honoCors(definePolicies());

/**
 * Named policies for Hono: compiled here; `cors.route(name)` gives the middleware for one, and
 * throws at once for an unknown name.
 *
 * @example
 * const cors = corsPolicies({
 *   default: { origins: ['https://app.example.com'] },
 *   policies: { partners: { origins: ['https://partner.example'], credentials: true } },
 * });
 * app.use('/partners/*', cors.route('partners'));
 * app.use(cors());
 */
export function corsPolicies(policies: PolicyRegistry | PolicyRegistryOptions): HonoCors {
  return honoCors(toRegistry(policies));
}
