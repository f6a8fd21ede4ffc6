/**
 * Reading the route pattern a router chose (`/admin/:id`, `/files/*`) and deciding which path-table
 * entry it falls in, so a table can follow the router instead of guessing how it read the path.
 *
 * The rule: a route picks the entry that matches every path the route can serve while no earlier
 * entry matches any of them. Then, whatever path the router read and served with that route, the
 * table's first match for it is that entry, so the table and the router agree by construction.
 * Where some paths of the route fall in one entry and some in another (route `/*` under a table
 * with `/admin/*` first), the route cannot decide and the request path is read as without a route.
 *
 * What a route can serve is over-approximated, so that "every path" is never too few:
 * - a `:name` segment is any segment, the empty one included (Fastify serves `/users/` with the
 *   route `/users/:id`, `id` being `""`), so only a table `*` covers it;
 * - a final `*` is any rest, none included;
 * - a route ending in `/` can also serve the path without it (`ignoreTrailingSlash`,
 *   `strict: false`), so both must pick the same entry;
 * - letter case is ignored when looking for an earlier entry that could match (a case-insensitive
 *   router serves `/Admin` with the route `/admin`), while covering is judged case by case.
 * Anything else in a pattern (regular expressions, optional or several parameters in a segment,
 * `*` before the end, empty or dot segments, an escaped slash) cannot be judged, and the route
 * decides nothing.
 */
import { asciiLowercase } from '../../spec/http-grammar.js';
import { canonicalSegment, type PathPattern } from './path.js';

/** A route pattern segment: a canonical literal, or `ANY` for a parameter (possibly empty). */
const ANY = 0;
type RouteSegment = string | typeof ANY;

/** A route pattern, read. */
export interface RoutePattern {
  readonly segments: readonly RouteSegment[];
  /** Whether it ends in `*`. */
  readonly rest: boolean;
}

const PARAM = /^:[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Characters that make a segment more than a literal or a plain `:name` in some router. */
const SYNTAX = /[:*(){}?]/;

/**
 * Reads a route pattern as Fastify and Hono write them, or returns null when it cannot be judged.
 *
 * @example
 * readRoutePattern('/admin/:id') // { segments: ['admin', ANY], rest: false }
 * readRoutePattern('*')          // { segments: [], rest: true }
 * readRoutePattern('/:id(\\d+)') // null
 */
export function readRoutePattern(route: string): RoutePattern | null {
  if (route === '*' || route === '/*') return { segments: [], rest: true };
  if (route.charCodeAt(0) !== 0x2f) return null;
  const parts = route.slice(1).split('/');
  const segments: RouteSegment[] = [];
  let rest = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (part === '*' && last) {
      rest = true;
    } else if (PARAM.test(part)) {
      segments.push(ANY);
    } else if (SYNTAX.test(part)) {
      return null;
    } else if (part === '') {
      // A trailing slash, or the root `/`; an empty segment anywhere else is not a route.
      if (!last) return null;
      segments.push('');
    } else {
      const literal = canonicalSegment(part, true);
      if (!literal.ok || literal.encodedSlash) return null;
      if (literal.text === '.' || literal.text === '..') return null;
      segments.push(literal.text);
    }
  }
  return { segments, rest };
}

/** The route without its trailing slash, when it has one and is not the root. */
function withoutTrailingSlash(route: RoutePattern): RoutePattern | null {
  const n = route.segments.length;
  if (route.rest || n < 2 || route.segments[n - 1] !== '') return null;
  return { segments: route.segments.slice(0, -1), rest: false };
}

/** Whether some segment both match; letters compared without case. */
function segmentsMeet(entry: string | null, route: RouteSegment): boolean {
  if (route === ANY) return true;
  if (entry === null) return route !== '';
  return asciiLowercase(entry) === asciiLowercase(route);
}

/** Whether every segment `route` matches is one `entry` matches; case-sensitive. */
function segmentCovered(entry: string | null, route: RouteSegment): boolean {
  if (route === ANY) return false;
  return entry === null ? route !== '' : entry === route;
}

/** Whether some path matches both, ignoring letter case (a `*` matches zero or more segments). */
export function mayOverlap(entry: PathPattern, route: RoutePattern): boolean {
  const ne = entry.segments.length;
  const nr = route.segments.length;
  if (ne < nr ? !entry.rest : ne > nr && !route.rest) return false;
  for (let i = 0, n = Math.min(ne, nr); i < n; i++) {
    if (!segmentsMeet(entry.segments[i]!, route.segments[i]!)) return false;
  }
  return true;
}

/** Whether every path `route` matches is one `entry` matches. */
export function coversRoute(entry: PathPattern, route: RoutePattern): boolean {
  const ne = entry.segments.length;
  const nr = route.segments.length;
  if (entry.rest ? nr < ne : route.rest || nr !== ne) return false;
  for (let i = 0; i < ne; i++) {
    if (!segmentCovered(entry.segments[i]!, route.segments[i]!)) return false;
  }
  return true;
}

/** Index of the entry `route` decides, `-1` for none (the fallback), or `undefined`. */
function decideOne(entries: readonly PathPattern[], route: RoutePattern): number | undefined {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (mayOverlap(entry, route)) return coversRoute(entry, route) ? i : undefined;
  }
  return -1;
}

/**
 * The index of the entry every path of `route` falls in (the first match for each), `-1` when no
 * entry matches any of them, or `undefined` when the route cannot decide.
 *
 * @example
 * const table = ['/admin/*', '/*'].map(compilePathPattern)
 * decideRoute(table, '/admin/:id') // 0
 * decideRoute(table, '/users')     // 1
 * decideRoute(table, '/*')         // undefined: some of its paths are under /admin
 */
export function decideRoute(entries: readonly PathPattern[], route: string): number | undefined {
  const read = readRoutePattern(route);
  if (read === null) return undefined;
  const index = decideOne(entries, read);
  if (index === undefined) return undefined;
  const twin = withoutTrailingSlash(read);
  if (twin !== null && decideOne(entries, twin) !== index) return undefined;
  return index;
}
