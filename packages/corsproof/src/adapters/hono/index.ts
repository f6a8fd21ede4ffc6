/**
 * corsproof for Hono, on any runtime. Preflights are answered with one `c.body(null, status,
 * headers)` before routing's 404; other requests get their CORS headers with `c.header()` before
 * the handler runs, and what the handler's response lacks afterwards (a `new Response(...)` of its
 * own, a `fetch()` passed through, an `app.onError` response) is put back on a copy of it.
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
import type { CorsPolicy } from '../../policy/compile.js';
import type { Decision } from '../../policy/decision.js';
import { isPreflight } from '../../policy/decision.js';
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

/** A preflight's answer as the header record `c.body()` takes, Vary included. */
function preflightHeaders(decision: Decision): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of decision.headers) record[name] = value;
  if (decision.vary !== null) record.vary = decision.vary;
  return record;
}

/**
 * Puts back on the handler's response what it lacks: Hono drops headers set with `c.header()` when
 * a handler returns a Response of its own, and a handler may set a Vary of its own. Nothing is done
 * when all is there, so @hono/node-server keeps its fast write path. Otherwise the first
 * `c.header()` copies the response (it may be immutable, or shared between requests: it is never
 * changed in place) and the rest goes on the copy's headers.
 */
function repairHeaders(c: Context, decision: Decision): void {
  let headers: Headers | null = null;
  const current = c.res.headers;
  for (const [name, value] of decision.headers) {
    if (current.get(name) === value) continue;
    if (headers === null) {
      c.header(name, value);
      headers = c.res.headers;
    } else headers.set(name, value);
  }
  if (decision.vary === null) return;
  const existing = (headers ?? current).get('vary') ?? undefined;
  const merged = mergeVary(existing, decision.vary);
  if (merged === existing) return;
  if (headers === null) c.header('vary', merged);
  else headers.set('vary', merged);
}

/**
 * The path table's policy, from the routes Hono matched. Hono routes before any middleware runs,
 * so every route matched (middleware and handlers, in order) is known here, and each matched the
 * path as Hono read it (decoded, without a trailing slash under `strict: false`). Any of them that
 * decides an entry decides the entry of that reading; if two decided differently the readings
 * disagree, and the request gets no CORS. When none decides (a `/*` route under a table with more
 * specific entries first), the request path is read as without a router, failing closed where
 * routers differ.
 */
function tablePolicy(selector: PolicySelector, c: Context): CorsPolicy | null {
  // `c.req.matchedRoutes` is deprecated for the `hono/route` helper, which early 4.x releases lack;
  // should a release drop it, the path is read as without a router.
  const routes = (c.req as { readonly matchedRoutes?: readonly { readonly path: string }[] })
    .matchedRoutes;
  if (routes === undefined) return selector.select(targetOfUrl(c.req.url));
  let chosen: CorsPolicy | null | undefined;
  for (const route of routes) {
    const policy = selector.selectRoute(route.path);
    if (policy === undefined) continue;
    if (chosen === undefined) chosen = policy;
    else if (chosen !== policy) return null;
  }
  return chosen !== undefined ? chosen : selector.select(targetOfUrl(c.req.url));
}

function middleware(selector: PolicySelector): MiddlewareHandler {
  return async function corsproof(c, next) {
    if (!claim(c.req.raw)) return next();
    const policy = selector.byPath ? tablePolicy(selector, c) : selector.select('');
    if (policy === null) return next();
    // Predicates see the Hono context as `raw`, as hono/cors's `origin(origin, c)` does.
    const pending = policy.decide(corsRequestFromFetch(c.req.raw, c));
    const decision = pending instanceof Promise ? await pending : pending;
    // `c.res` is never read before `next()`: reading it makes Hono build a Response that every
    // later one is copied over, and @hono/node-server then loses its fast write path.
    if (isPreflight(decision)) {
      return c.body(null, decision.status as StatusCode, preflightHeaders(decision));
    }
    if (decision.headers.length === 0 && decision.vary === null) return next();
    for (const [name, value] of decision.headers) c.header(name, value);
    // Appended: a Vary an earlier middleware set stays, and the handler's own is merged below.
    if (decision.vary !== null) c.header('vary', decision.vary, { append: true });
    await next();
    repairHeaders(c, decision);
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
 *   Hono has routed the request when middleware runs, so the table follows the routes Hono matched
 *   (`/admin/:id` gets the `/admin/*` entry however its path was spelled), and reads the path only
 *   where no matched route decides (a `/*` route spans entries).
 *
 * @example
 * app.use('/internal/*', cors.none());
 * app.use(cors({ origins: ['https://app.example.com'], methods: ['PUT', 'DELETE'] }));
 */
export const cors: HonoCors = honoCors(emptyRegistry());

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
