/**
 * corsproof for Koa. Preflights are answered by the middleware; other requests go downstream with
 * their CORS headers set. Koa's default error handler removes every header before answering a
 * thrown error, so the CORS headers (and Vary) are also put on `err.headers`, which it restores,
 * as @koa/cors does with `keepHeadersOnError`: the browser then shows the real error.
 *
 * @example
 * import Koa from 'koa';
 * import { cors } from 'corsproof/koa';
 *
 * const app = new Koa();
 * app.use(cors({ origins: ['https://app.example.com'], credentials: true }));
 */
import type { Middleware, ParameterizedContext } from 'koa';
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
import { corsRequestFromNode, setDecisionHeaders } from '../node/index.js';

export type { CorsFactory } from '../../policy/routes/factory.js';
export type {
  PolicyChoice,
  PolicyInput,
  PolicyRegistry,
  PolicyRegistryOptions,
} from '../../policy/routes/registry.js';
export type { PathTable, PathTableInput } from '../../policy/routes/table.js';

/** `cors(...)` and its route-level choices for Koa. */
export type KoaCors = CorsFactory<Middleware>;

/**
 * Copies the decision's headers onto a thrown error's `headers`, where Koa's `ctx.onerror` reads
 * the headers it keeps. Names are matched case-insensitively; Vary is merged, not replaced.
 */
function keepHeadersOnError(error: unknown, decision: Decision): void {
  if (typeof error !== 'object' || error === null || !Object.isExtensible(error)) return;
  const carrier = error as { headers?: unknown };
  const existing =
    typeof carrier.headers === 'object' && carrier.headers !== null
      ? (carrier.headers as Record<string, unknown>)
      : {};
  const headers: Record<string, unknown> = {};
  let vary: string | undefined;
  for (const [name, value] of Object.entries(existing)) {
    const lower = name.toLowerCase();
    if (lower === 'vary') vary = String(value);
    else if (!decision.headers.some(([n]) => n === lower)) headers[name] = value;
  }
  for (const [name, value] of decision.headers) headers[name] = value;
  if (decision.vary !== null) headers.vary = mergeVary(vary, decision.vary);
  else if (vary !== undefined) headers.vary = vary;
  try {
    carrier.headers = headers;
  } catch {
    // A getter-only `headers`: nothing can be kept.
  }
}

function middleware(selector: PolicySelector): Middleware {
  return async function corsproof(ctx: ParameterizedContext, next: () => Promise<unknown>) {
    if (ctx.headerSent || !claim(ctx.req)) return next();
    const policy = selector.select(selector.byPath ? ctx.originalUrl : '');
    if (policy === null) return next();
    // Predicates see the Koa context as `raw`, as @koa/cors's `origin(ctx)` does.
    const pending = policy.decide(corsRequestFromNode(ctx.req, ctx));
    const decision = pending instanceof Promise ? await pending : pending;
    setDecisionHeaders(ctx.res, decision);
    if (isPreflight(decision)) {
      // A 204 is set once: Koa's respond() strips the body headers of a 204 itself. Any other
      // status (403, or a configured 200) needs `body = null` first, for an empty body rather
      // than Koa's status text; the null body makes it 204, so the status is set after it.
      if (decision.status !== 204) ctx.body = null;
      ctx.status = decision.status;
      return;
    }
    if (decision.headers.length === 0 && decision.vary === null) return next();
    try {
      return await next();
    } catch (error) {
      keepHeadersOnError(error, decision);
      throw error;
    }
  };
}

function koaCors(registry: PolicyRegistry): KoaCors {
  return createCorsFactory(registry, middleware);
}

/**
 * Koa middleware applying one CORS policy, compiled (and validated) once, here. When several
 * corsproof middlewares see a request, the first one decides and the others step aside: mount
 * specific ones (a router's `cors.none()`) before general ones.
 *
 * - `cors(options | policy)`: that policy.
 * - `cors.none()`: no CORS for what it is mounted on.
 * - `cors.paths({ '/api/*': {...}, '/admin/*': false })`: a policy per path (matched against
 *   `ctx.originalUrl`), first match wins. Koa has no router of its own, and @koa/router names the
 *   route (`ctx._matchedRoute`) only to middleware it runs itself, after this one when mounted with
 *   `app.use`; so the table reads the path, and a path routers read differently (`/admin;x`,
 *   `/ad%6Din`, `/ADMIN`) gets no CORS. To give a route its policy whatever the spelling, mount
 *   `cors(policy)` on the route itself, for every method (`router.all`), before the table.
 *
 * @example
 * app.use(cors.paths({
 *   '/api/public/*': { origins: '*' },
 *   '/api/*': { origins: ['https://app.example.com'], credentials: true },
 * }));
 */
export const cors: KoaCors = koaCors(definePolicies());

/**
 * Named policies for Koa: compiled here; `cors.route(name)` gives the middleware for one, for an
 * app or a router, and throws at once for an unknown name.
 *
 * @example
 * const cors = corsPolicies({
 *   default: { origins: ['https://app.example.com'] },
 *   policies: { partners: { origins: ['https://partner.example'], credentials: true } },
 * });
 * partnersRouter.use(cors.route('partners'));
 * app.use(partnersRouter.routes());
 * app.use(cors());
 */
export function corsPolicies(policies: PolicyRegistry | PolicyRegistryOptions): KoaCors {
  return koaCors(toRegistry(policies));
}
