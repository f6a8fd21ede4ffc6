/**
 * corsproof for Express (4 and 5) and Connect. Express's `req` and `res` are Node's, so this is the
 * node:http adapter in middleware shape: preflights are answered here (no `app.options('*')`),
 * every other request goes on with its CORS headers set, and errors go to `next(err)`.
 *
 * @example
 * import express from 'express';
 * import { cors } from 'corsproof/express';
 *
 * const app = express();
 * app.use(cors({ origins: ['https://app.example.com'], credentials: true }));
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
import { applyCors } from '../node/index.js';

export type { CorsFactory } from '../../policy/routes/factory.js';
export type {
  PolicyChoice,
  PolicyInput,
  PolicyRegistry,
  PolicyRegistryOptions,
} from '../../policy/routes/registry.js';
export type { PathTable, PathTableInput } from '../../policy/routes/table.js';

/**
 * A Connect-style middleware. It is typed with Node's request and response, which Express's
 * extend, so it fits `app.use`, `router.use`, `app.all` and route handler lists in Express, and
 * Connect apps, without needing `@types/express`.
 */
export type CorsMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** `cors(...)` and its route-level choices for Express. */
export type ExpressCors = CorsFactory<CorsMiddleware>;

/** The path a table is matched against: the whole URL as received, wherever the router is mounted. */
function targetOf(req: IncomingMessage): string {
  return (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
}

function middleware(selector: PolicySelector): CorsMiddleware {
  return function corsproof(req, res, next) {
    // Headers already on the wire cannot get CORS added, and a request another corsproof
    // middleware decided must not get a second policy's headers.
    if (res.headersSent || !claim(req)) {
      next();
      return;
    }
    const policy = selector.select(selector.byPath ? targetOf(req) : '');
    if (policy === null) {
      next();
      return;
    }
    let answered: boolean | Promise<boolean>;
    try {
      answered = applyCors(policy, req, res);
    } catch (error) {
      next(error);
      return;
    }
    if (answered === false) next();
    else if (answered !== true) {
      answered.then(
        (done) => {
          if (!done) next();
        },
        (error: unknown) => next(error),
      );
    }
  };
}

function expressCors(registry: PolicyRegistry): ExpressCors {
  return createCorsFactory(registry, middleware);
}

/**
 * Express middleware applying one CORS policy, compiled (and validated) once, here. Mount it with
 * `app.use` or on a router: it answers preflights itself and sets the CORS headers on every other
 * response, error responses included. On a single route, mount it for every method
 * (`app.all(path, cors(...))` or `app.route(path).all(cors(...))`): a route registered with
 * `app.get` never sees the OPTIONS preflight.
 *
 * When several corsproof middlewares are on a request's way, the first one decides and the others
 * step aside, so mount specific ones (`cors.none()` on `/internal`) before general ones.
 *
 * - `cors(options | policy)`: that policy.
 * - `cors.none()`: no CORS for what it is mounted on.
 * - `cors.paths({ '/api/*': {...}, '/admin/*': false })`: a policy per path, first match wins,
 *   matched against `req.originalUrl`. Middleware mounted with `app.use` runs before Express has
 *   picked a route (`req.route` is set only inside a route's own handlers), so the table cannot
 *   follow the route: it reads the path, and a path routers read differently (`/admin;x`,
 *   `/ad%6Din`, `/ADMIN`) gets no CORS. To give a route its policy whatever the spelling, mount
 *   `cors(policy)` on the route itself, for every method (`app.all`), before the table.
 *
 * @example
 * app.use('/internal', cors.none());
 * app.use(cors.paths({
 *   '/api/public/*': { origins: '*' },
 *   '/api/*': { origins: ['https://app.example.com'], credentials: true, methods: ['PUT', 'DELETE'] },
 * }));
 */
export const cors: ExpressCors = expressCors(definePolicies());

/**
 * Named policies for Express, like ASP.NET Core's `AddPolicy` + `[EnableCors("name")]`: every
 * policy is compiled here, and naming an unknown one throws when the middleware is created.
 *
 * @example
 * const cors = corsPolicies({
 *   default: { origins: ['https://app.example.com'] },
 *   policies: { partners: { origins: ['https://partner.example'], credentials: true } },
 * });
 * app.use('/partners', cors.route('partners'));
 * app.use('/health', cors.none());
 * app.use(cors()); // the default policy for everything else
 */
export function corsPolicies(policies: PolicyRegistry | PolicyRegistryOptions): ExpressCors {
  return expressCors(toRegistry(policies));
}
