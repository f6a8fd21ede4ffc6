/**
 * The part of every adapter that is not about its framework: turning "which policy?" (options, a
 * compiled policy, a name, none, a path table) into a selector, and making sure one request is
 * decided by one policy only, however many corsproof middlewares it passes through.
 */
import type { CorsPolicy } from '../compile.js';
import { STARTUP_MESSAGES } from '../startup-messages.js';
import { RoutesIssueList } from './errors.js';
import { compilePathTableFor } from './path-tables.js';
import type { PolicyChoice, PolicyRegistry } from './resolve.js';
import type { PathTable, PathTableInput } from './table.js';

/** How a middleware finds the policy for a request. */
export interface PolicySelector {
  /** Whether the policy depends on the request path; if not, `select` ignores its argument. */
  readonly byPath: boolean;
  /** The policy for a request target (`/path?query`), or null for no CORS. */
  select(target: string): CorsPolicy | null;
  /**
   * The policy for a request the router routed to `route` (the route pattern as declared, e.g.
   * `/admin/:id`), or `undefined` when that route does not decide it: then `select` the target.
   * Only adapters whose framework has routed the request when the middleware runs can call this.
   */
  selectRoute(route: string): CorsPolicy | null | undefined;
}

/**
 * An adapter's entry point: `cors(options)` for one policy, plus route-level choices.
 * `M` is the framework's middleware type.
 */
export interface CorsFactory<M> {
  /**
   * Middleware applying a policy: options, a compiled policy, a registered name, `false`, or,
   * without an argument, the registry's default policy.
   */
  (policy?: PolicyChoice): M;
  /** Middleware applying the policy registered as `name`; unknown names throw at once. */
  route(name: string): M;
  /** Middleware that applies no CORS and keeps later corsproof middleware from applying any. */
  none(): M;
  /** Middleware choosing the policy by request path; entries may name registered policies. */
  paths(table: PathTableInput | PathTable): M;
  /** The named policies this factory knows. */
  readonly policies: PolicyRegistry;
}

/** Whether a value is a compiled path table rather than table input. */
function isPathTable(value: unknown): value is PathTable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { match?: unknown }).match === 'function' &&
    Array.isArray((value as { patterns?: unknown }).patterns)
  );
}

/** A selector that always picks `policy`. */
export function fixedSelector(policy: CorsPolicy | null): PolicySelector {
  return Object.freeze({ byPath: false, select: () => policy, selectRoute: () => policy });
}

/** A selector that picks by path, through a compiled table. */
export function tableSelector(table: PathTable): PolicySelector {
  return Object.freeze({
    byPath: true,
    select: (target: string) => table.match(target).policy,
    selectRoute: (route: string) => table.matchRoute(route)?.policy,
  });
}

/** Resolves a choice for a factory call, or the default when there is none. */
export function resolveChoice(
  registry: PolicyRegistry,
  choice: PolicyChoice | undefined,
  at: string,
): CorsPolicy | null {
  if (choice !== undefined) return registry.resolve(choice, at);
  if (registry.hasDefault) return registry.default;
  const issues = new RoutesIssueList();
  const { reason, fix } = STARTUP_MESSAGES.POLICY_DEFAULT_MISSING();
  issues.add('POLICY_DEFAULT_MISSING', at, undefined, reason, fix);
  issues.throwIfAny();
  return null;
}

/**
 * Builds an adapter's factory from a function making the framework's middleware out of a selector.
 * Every policy is resolved when the middleware is created, so mistakes surface at start-up. This is
 * how corsproof's own adapters are made; an adapter for another framework needs only `build`. If
 * that framework has routed the request when the middleware runs, pass the chosen route's pattern
 * to `selector.selectRoute` first, and `select` the target only when it returns `undefined`.
 *
 * @example
 * const cors = createCorsFactory(definePolicies(), (selector) => async (req, next) => {
 *   if (!claim(req)) return next();
 *   const policy = selector.select(selector.byPath ? req.url : '');
 *   if (policy === null) return next();
 *   const decision = await policy.decide({ method: req.method, origin: req.headers.origin });
 *   // ...set decision.headers, merge decision.vary, answer preflights with decision.status
 * });
 */
export function createCorsFactory<M>(
  registry: PolicyRegistry,
  build: (selector: PolicySelector) => M,
): CorsFactory<M> {
  const factory = (choice?: PolicyChoice): M =>
    build(fixedSelector(resolveChoice(registry, choice, '')));
  return Object.assign(factory, {
    route: (policyName: string) => build(fixedSelector(registry.resolve(String(policyName)))),
    none: () => build(fixedSelector(null)),
    paths: (table: PathTableInput | PathTable) =>
      build(tableSelector(isPathTable(table) ? table : compilePathTableFor(table, registry))),
    policies: registry,
  });
}

/**
 * Marks a request already decided by a corsproof middleware. The first one a request passes through
 * decides it; later ones step aside, so two policies never mix on one response (Access-Control-
 * Allow-Origin from one, Expose-Headers from the other) and a preflight is never answered twice.
 * A flag on the request object itself costs a property store; a WeakSet cost a hash insert and a
 * lookup per request, and kept the request in a GC-tracked table. `Symbol.for` makes two copies of
 * corsproof in one process (two versions, or the edge and Node builds) honour each other's claims.
 */
const DECIDED: unique symbol = Symbol.for('corsproof.decided');

/** Requests that cannot carry the flag (frozen, sealed or otherwise non-extensible objects). */
const decidedFrozen = new WeakSet<object>();

/**
 * Claims a request for one middleware: true the first time (go on and decide), false after.
 * `key` is the object that identifies the request across middlewares (Node's `req`, a `Request`).
 *
 * @example
 * claim(req) // true: this middleware decides
 * claim(req) // false: already decided, step aside
 */
export function claim(key: object): boolean {
  const flagged = key as { [DECIDED]?: true };
  if (flagged[DECIDED] === true) return false;
  if (Object.isExtensible(key)) {
    flagged[DECIDED] = true;
    return true;
  }
  if (decidedFrozen.has(key)) return false;
  decidedFrozen.add(key);
  return true;
}
