/**
 * corsproof for Fastify: a plugin (not encapsulated, so it covers the context it is registered in)
 * that decides in `onRequest`, so preflights are answered before authentication
 * hooks run.
 *
 * Preflights need a route to land on: an OPTIONS request to a route declared only for GET would
 * otherwise get Fastify's 404, whose hooks are those of the root context (so a plugin registered
 * under a prefix never sees it). @fastify/cors declares a catch-all `OPTIONS *` route for this,
 * which breaks under prefixes and cannot know which route a preflight is for. corsproof instead
 * declares, for each path it sees declared, an OPTIONS route constrained to preflights (a
 * find-my-way constraint on Access-Control-Request-Method). Fastify's own router thus decides which
 * route a preflight belongs to, exactly as for the actual request, and the preflight is answered
 * with that route's policy; an OPTIONS route of your own still gets every other OPTIONS request.
 *
 * @example
 * import Fastify from 'fastify';
 * import { corsproof } from 'corsproof/fastify';
 *
 * const app = Fastify();
 * await app.register(corsproof, { origins: ['https://app.example.com'], credentials: true });
 * app.get('/orders', { config: { cors: { origins: ['https://shop.example'] } } }, handler);
 * app.get('/health', { config: { cors: false } }, handler);
 */
import type { IncomingMessage } from 'node:http';
import type {
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';
import { type CorsPolicy, compilePolicy } from '../../policy/compile.js';
import { type Decision, isPreflight } from '../../policy/decision.js';
import type { CorsOptions } from '../../policy/options.js';
import {
  claim,
  fixedSelector,
  type PolicySelector,
  tableSelector,
} from '../../policy/routes/factory.js';
import {
  definePolicies,
  type PolicyChoice,
  type PolicyRegistry,
  type PolicyRegistryOptions,
} from '../../policy/routes/registry.js';
import { compilePathTable, type PathTableInput } from '../../policy/routes/table.js';
import { mergeVary } from '../../spec/vary.js';
import { corsRequestFromNode, readRequestMethodHeader } from '../node/request.js';

export type {
  PolicyChoice,
  PolicyInput,
  PolicyRegistry,
  PolicyRegistryOptions,
} from '../../policy/routes/registry.js';
export type { PathTableInput } from '../../policy/routes/table.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * corsproof: this route's CORS policy, replacing the plugin's (not merged with it): the name of
     * a policy registered with the plugin, options, a compiled policy, or `false` for no CORS.
     * Compiled once, when the route is declared; an unknown name throws there.
     */
    cors?: PolicyChoice;
  }
}

/** Plugin options: named policies, a default, and a path table for routes without `config.cors`. */
export interface CorsproofPoliciesOptions extends PolicyRegistryOptions {
  /**
   * A policy per path (first match wins) for routes that do not set `config.cors`; entries may name
   * registered policies. Paths no entry matches get the default policy.
   */
  readonly paths?: PathTableInput;
  /** Not here: one policy's options go directly in the plugin options, or under `default`. */
  readonly origins?: never;
}

/**
 * The plugin's options: either one policy's options (the default for every route in scope), or
 * named policies with an optional default and path table.
 */
export type CorsproofFastifyOptions = CorsOptions | CorsproofPoliciesOptions;

/** The constraint that routes preflights to corsproof's OPTIONS routes. */
const STRATEGY = 'corsproofPreflight';
const PREFLIGHT = 'preflight';

/**
 * Each auto-declared OPTIONS route carries one entry: for each method declared at its path, the
 * route's options, read when a preflight for that method arrives (so config set by any onRoute
 * hook, of any corsproof registration, is seen).
 */
interface PreflightEntry {
  readonly byMethod: Map<string, RouteOptions>;
}

/** A route's own policy, boxed so that `null` (no CORS) differs from "none set". */
interface RoutePolicy {
  readonly policy: CorsPolicy | null;
}

const kPreflight = Symbol('corsproof.preflight');

/** Preflight routes already declared, per server (one router), by path and constraints. */
const preflightRoutes = new WeakMap<object, Map<string, PreflightEntry>>();

function preflightStrategy() {
  return {
    name: STRATEGY,
    mustMatchWhenDerived: false,
    storage() {
      const stores = new Map<string, unknown>();
      return {
        get: (value: string) => (stores.get(value) ?? null) as never,
        set: (value: string, store: unknown) => {
          stores.set(value, store);
        },
      };
    },
    // https://fetch.spec.whatwg.org/#cors-preflight-request: Origin and ACRM on an OPTIONS. The
    // Origin is left to the policy, which answers a preflight without one as a plain OPTIONS.
    // find-my-way reads `undefined` as "not derived": only unconstrained routes match then.
    // This runs for every request, whatever its method: only an OPTIONS can be a preflight, so
    // the others are not scanned. Read from rawHeaders, before anything builds `req.headers`.
    deriveConstraint(req: IncomingMessage): string {
      return (
        req.method !== 'OPTIONS' || readRequestMethodHeader(req.rawHeaders) === undefined
          ? undefined
          : PREFLIGHT
      ) as string;
    },
    validate(value: unknown) {
      if (value !== PREFLIGHT) throw new TypeError(`corsproof: ${STRATEGY} only takes "preflight"`);
    },
  };
}

function constraintsKey(constraints: unknown): string {
  if (typeof constraints !== 'object' || constraints === null) return '';
  return Object.entries(constraints)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('&');
}

function setHeaders(reply: FastifyReply, decision: Decision): void {
  for (const [name, value] of decision.headers) reply.header(name, value);
  if (decision.vary !== null) {
    const existing = reply.getHeader('vary');
    reply.header(
      'vary',
      existing === undefined
        ? decision.vary
        : mergeVary(typeof existing === 'number' ? String(existing) : existing, decision.vary),
    );
  }
}

function carryOut(decision: Decision, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  setHeaders(reply, decision);
  if (isPreflight(decision)) {
    reply.code(decision.status).send();
    return;
  }
  done();
}

/** Reads the plugin options into a registry and the selector for routes without their own. */
function readOptions(options: CorsproofFastifyOptions): {
  registry: PolicyRegistry;
  scope: PolicySelector;
} {
  // Fastify passes its own register options along with the plugin's.
  const { prefix, logLevel, logSerializers, ...rest } = options as CorsproofFastifyOptions & {
    prefix?: unknown;
    logLevel?: unknown;
    logSerializers?: unknown;
  };
  if ('origins' in rest) {
    // One policy fails as `compilePolicy` does, with a CorsConfigError.
    const registry = definePolicies({ default: compilePolicy(rest as CorsOptions) });
    return { registry, scope: fixedSelector(registry.default) };
  }
  const { paths, ...policies } = rest as CorsproofPoliciesOptions;
  const registry = definePolicies(policies);
  return {
    registry,
    scope:
      paths === undefined
        ? fixedSelector(registry.default)
        : tableSelector(compilePathTable(paths, { policies: registry })),
  };
}

function describe(route: RouteOptions): string {
  const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
  return `route ${methods} ${route.url} config.cors`;
}

const plugin: FastifyPluginCallback<CorsproofFastifyOptions> = (fastify, options, done) => {
  let registry: PolicyRegistry;
  let scope: PolicySelector;
  try {
    ({ registry, scope } = readOptions(options));
  } catch (error) {
    done(error as Error);
    return;
  }
  /** This registration's compiled route policies, on each route's config. */
  const kRoute = Symbol('corsproof.route');
  /** Routes declared before this registration's onRoute hook existed, compiled on first use. */
  const late = new WeakMap<object, RoutePolicy>();

  if (!fastify.hasConstraintStrategy(STRATEGY)) {
    fastify.addConstraintStrategy(preflightStrategy());
  }
  let routes = preflightRoutes.get(fastify.server);
  if (routes === undefined) {
    routes = new Map();
    preflightRoutes.set(fastify.server, routes);
  }
  const declared = routes;

  fastify.addHook(
    'onRoute',
    function corsproofOnRoute(
      this: FastifyInstance,
      route: RouteOptions & { routePath: string; prefix: string },
    ) {
      const config = route.config as Record<PropertyKey, unknown> | undefined;
      if (config?.[kPreflight] !== undefined) return;
      if (config?.cors !== undefined) {
        // Throws for an unknown name or invalid options: route declaration is start-up.
        const policy = registry.resolve(config.cors as PolicyChoice, describe(route));
        const boxed: RoutePolicy = { policy };
        route.config = { ...config, [kRoute]: boxed } as RouteOptions['config'];
      }
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (methods.includes('OPTIONS')) return;
      // A prefix's root comes as '' or '/' and is declared as both (Fastify's prefixTrailingSlash).
      const atPrefixRoot =
        route.prefix !== '' && (route.routePath === '' || route.routePath === '/');
      const urls = atPrefixRoot ? [route.prefix, `${route.prefix}/`] : [route.url];
      const constraints = constraintsKey(route.constraints);
      const keys = urls.map((url) => `${url}#${constraints}`);
      let entry = keys.map((key) => declared.get(key)).find((e) => e !== undefined);
      if (entry === undefined) {
        const created: PreflightEntry = { byMethod: new Map() };
        for (const key of keys) declared.set(key, created);
        entry = created;
        this.route({
          method: 'OPTIONS',
          // Declared on the route's own instance: same prefix, same hooks.
          url: atPrefixRoot ? '/' : route.routePath,
          prefixTrailingSlash: route.prefixTrailingSlash,
          constraints: { ...route.constraints, [STRATEGY]: PREFLIGHT },
          config: { [kPreflight]: created },
          schema: { hide: true },
          logLevel: route.logLevel,
          handler(_request, reply) {
            // Reached only when no policy answered (this route has no CORS): as without the plugin.
            reply.callNotFound();
          },
        } as RouteOptions);
      }
      for (const method of methods) entry.byMethod.set(method, route);
    },
  );

  const routePolicy = (config: Record<PropertyKey, unknown>): RoutePolicy | undefined => {
    const own = config[kRoute] as RoutePolicy | undefined;
    if (own !== undefined || config.cors === undefined) return own;
    let compiled = late.get(config);
    if (compiled === undefined) {
      compiled = { policy: registry.resolve(config.cors as PolicyChoice, 'config.cors') };
      late.set(config, compiled);
    }
    return compiled;
  };

  /**
   * The path table's policy. `onRequest` runs after routing, so the table follows the route Fastify
   * chose (its pattern as declared, prefix included), which already reflects
   * `useSemicolonDelimiter`, `ignoreTrailingSlash`, `caseSensitive` and escapes. A 404 has no route,
   * and a route whose paths fall in different entries decides nothing: the request path is read
   * then, and routers' disagreements fail closed.
   */
  const tablePolicy = (request: FastifyRequest, route: string | undefined): CorsPolicy | null => {
    if (route !== undefined) {
      const policy = scope.selectRoute(route);
      if (policy !== undefined) return policy;
    }
    return scope.select(request.url);
  };

  const policyFor = (request: FastifyRequest): CorsPolicy | null => {
    // One read: Fastify builds a new routeOptions object on every access.
    const routeOptions = request.routeOptions;
    const config = routeOptions.config as unknown as Record<PropertyKey, unknown>;
    const entry = config[kPreflight] as PreflightEntry | undefined;
    let own: RoutePolicy | undefined;
    if (entry !== undefined) {
      // A preflight: the policy of the route declared for the method it asks about.
      const method = readRequestMethodHeader(request.raw.rawHeaders);
      const route = method === undefined ? undefined : entry.byMethod.get(method);
      const routeConfig = route?.config as Record<PropertyKey, unknown> | undefined;
      own = routeConfig === undefined ? undefined : routePolicy(routeConfig);
    } else {
      own = routePolicy(config);
    }
    if (own !== undefined) return own.policy;
    return scope.byPath ? tablePolicy(request, routeOptions.url) : scope.select('');
  };

  fastify.addHook('onRequest', function corsproofOnRequest(request, reply, next) {
    if (reply.sent || reply.raw.headersSent || !claim(request.raw)) {
      next();
      return;
    }
    let pending: Decision | Promise<Decision>;
    try {
      const policy = policyFor(request);
      if (policy === null) {
        next();
        return;
      }
      // Predicates see the Fastify request as `raw`.
      pending = policy.decide(corsRequestFromNode(request.raw, request));
    } catch (error) {
      next(error as Error);
      return;
    }
    if (pending instanceof Promise) {
      pending.then(
        (decision) => carryOut(decision, reply, next),
        (error: unknown) => next(error as Error),
      );
    } else carryOut(pending, reply, next);
  });

  done();
};

/**
 * The corsproof Fastify plugin. Register it (awaited) before the routes it covers: route policies
 * are compiled, and preflight routes declared, as routes are declared.
 *
 * - Plugin options: one policy's options, or `{ default?, policies?, paths? }`. The `paths` table
 *   follows the route Fastify chose (`request.routeOptions.url`, after `useSemicolonDelimiter`,
 *   `ignoreTrailingSlash`, `caseSensitive` and decoding): `/admin;x` served by `/admin` gets the
 *   entry of `/admin`. It reads the request path, failing closed where routers disagree, on a 404
 *   and for a route whose paths fall in different entries (a `/*` under a `/admin/*` entry).
 * - Route options: `config: { cors: 'name' | false | { ...options } }` replaces the plugin's policy
 *   for that route, preflights included.
 *
 * Several registrations covering one request do not mix: the first to run decides.
 *
 * @example
 * await app.register(corsproof, {
 *   default: { origins: ['https://app.example.com'] },
 *   policies: { partners: { origins: ['https://partner.example'], credentials: true } },
 *   paths: { '/public/*': { origins: '*' } },
 * });
 * app.get('/partners/feed', { config: { cors: 'partners' } }, handler);
 */
export const corsproof: FastifyPluginCallback<CorsproofFastifyOptions> = unencapsulated(
  plugin,
  'corsproof',
);

/**
 * Lets `plugin`'s hooks cover the context it is registered in, not only a child context: Fastify
 * reads these symbols when it registers a plugin (https://fastify.dev/docs/latest/Reference/Plugins/
 * and Reference/Encapsulation). They are what the fastify-plugin package sets; setting them here
 * spares the middleware's users that dependency. `plugin-meta` asks Fastify 5 to check its version.
 */
function unencapsulated<T>(fn: T & object, name: string): T {
  return Object.assign(fn, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
    [Symbol.for('plugin-meta')]: { fastify: '5.x', name },
  });
}

export default corsproof;
