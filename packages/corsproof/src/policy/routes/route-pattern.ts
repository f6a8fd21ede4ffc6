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
import { compilePathPattern, isPatternProblem, type PathPattern } from './path.js';

/**
 * A route pattern, read: like a table pattern, but a `null` segment (a parameter) may be empty,
 * and the last segment may be `''` (a trailing slash).
 */
export type RoutePattern = Pick<PathPattern, 'segments' | 'rest'>;

/**
 * Reads a route pattern as Fastify and Hono write them, or returns null when it cannot be judged.
 * The table's own pattern reader does most of it: it refuses regular expressions, `*` before the
 * end, `//`, dot segments and `%2F`. A `:` inside a segment is refused here too, since it starts
 * a second parameter (`/:from-:to`) or escapes a colon (Fastify's `::`).
 *
 * @example
 * readRoutePattern('/admin/:id') // { segments: ['admin', null], rest: false }
 * readRoutePattern('*')          // { segments: [], rest: true }
 * readRoutePattern('/:id(\\d+)') // null
 */
export function readRoutePattern(route: string): RoutePattern | null {
  const slash = route.length > 1 && route.endsWith('/');
  const read = compilePathPattern(route === '*' ? '/*' : slash ? route.slice(0, -1) : route);
  if (isPatternProblem(read) || /[^/]:/.test(route)) return null;
  return slash ? { ...read, segments: [...read.segments, ''] } : read;
}

/**
 * The first entry some path of `route` matches (letters compared without case), if it matches
 * every path of `route` (case by case); `-1` when no entry matches any; `undefined` otherwise.
 * An entry's `*` matches zero or more segments, its `:name` one non-empty segment.
 */
function decideOne(entries: readonly PathPattern[], route: RoutePattern): number | undefined {
  const nr = route.segments.length;
  for (let i = 0; i < entries.length; i++) {
    const { segments, rest } = entries[i]!;
    const ne = segments.length;
    if (ne < nr ? !rest : ne > nr && !route.rest) continue;
    let meets = true;
    let covers = rest ? nr >= ne : !route.rest && nr === ne;
    for (let j = 0; meets && j < ne && j < nr; j++) {
      const e = segments[j]!;
      const r = route.segments[j]!;
      if (r === null) covers = false;
      else if (e === null) meets = r !== '';
      else if (e !== r) {
        covers = false;
        meets = asciiLowercase(e) === asciiLowercase(r);
      }
    }
    if (meets) return covers ? i : undefined;
  }
  return -1;
}

/**
 * The index of the entry every path of `route` falls in (the first match for each), `-1` when no
 * entry matches any of them, or `undefined` when the route cannot decide. A route ending in `/` is
 * judged without it too, as a router ignoring trailing slashes serves both.
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
  const { segments, rest } = read;
  const n = segments.length;
  const slash = !rest && n > 1 && segments[n - 1] === '';
  return slash && decideOne(entries, { segments: segments.slice(0, -1), rest }) !== index
    ? undefined
    : index;
}
