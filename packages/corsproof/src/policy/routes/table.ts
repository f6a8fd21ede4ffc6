/**
 * Path tables: per-path policies, like Flask-CORS `resources={r"/api/*": {...}}`, but first match
 * wins (in the order written), patterns are not regular expressions, and a path the application's
 * router could read differently from the table gets no CORS at all. See `path.ts` for how paths are
 * read.
 */

import { asciiLowercase } from '../../spec/http-grammar.js';
import type { CorsPolicy } from '../compile.js';
import { RoutesIssueList } from './errors.js';
import {
  compilePathPattern,
  covers,
  isPatternProblem,
  matchesPattern,
  type PathPattern,
  type PatternSegment,
  readPath,
  type UnreadablePath,
} from './path.js';
import {
  compileInput,
  lookUp,
  type PolicyChoice,
  type PolicyRegistry,
  type PolicyRegistryOptions,
  toRegistry,
} from './registry.js';
import { decideRoute } from './route-pattern.js';

/**
 * Path patterns and the policy for each, first match wins. An object keeps the order written
 * (pattern keys start with "/", so JavaScript never reorders them); pairs say the same explicitly.
 */
export type PathTableInput =
  | Readonly<Record<string, PolicyChoice>>
  | readonly (readonly [pattern: string, policy: PolicyChoice])[];

export interface PathTableOptions {
  /** Named policies that entries may name; its default applies where no entry matches. */
  readonly policies?: PolicyRegistry | PolicyRegistryOptions;
}

/**
 * How a policy was chosen: an `entry` matched; no entry did (`fallback`: the default policy, or
 * none); the route the router chose decided (`route`: `pattern` says which entry, null for the
 * fallback); routers could read the path as different entries (`ambiguous`: no CORS); or the path is
 * not one a browser sends (`unreadable`: no CORS).
 */
export type RouteVia = 'entry' | 'fallback' | 'route' | 'ambiguous' | 'unreadable';

/** The outcome of matching one request against a path table. */
export interface RouteMatch {
  /** The policy to apply; null means no CORS headers for this request. */
  readonly policy: CorsPolicy | null;
  /** The pattern of the entry that matched, as written; null when none did. */
  readonly pattern: string | null;
  readonly via: RouteVia;
  /** Why the path was `unreadable`. */
  readonly problem?: UnreadablePath;
  /** The route pattern that decided, when `via` is `route`. */
  readonly route?: string;
}

/** A compiled path table. Build one with {@link compilePathTable}. */
export interface PathTable {
  /**
   * Picks the policy for a request target (`req.url`: path, optionally with a query). The cost is
   * one pass over the path and a segment-by-segment comparison with each entry up to the first
   * match; a second pass happens only for trailing slashes, escapes, `;` and upper-case letters.
   */
  match(target: string): RouteMatch;
  /**
   * Picks the policy for a request the router routed to `route`, the pattern as declared
   * (`/admin/:id`, `/files/*`, Fastify's `request.routeOptions.url`, Hono's matched route path):
   * the entry every path of that route falls in, first match included, or the fallback when no
   * entry matches any of them. Returns `undefined` when the route's paths fall in different
   * entries, or the pattern has syntax that cannot be judged; then call `match` with the target.
   * Each route is judged once and remembered.
   *
   * @example
   * const table = compilePathTable({ '/admin/*': false, '/*': { origins: '*' } });
   * table.matchRoute('/admin')?.policy // null: the `/admin/*` entry, however `/admin;x` was routed
   * table.matchRoute('/*')             // undefined: some of its paths are under `/admin`
   */
  matchRoute(route: string): RouteMatch | undefined;
  /** The patterns, in matching order. */
  readonly patterns: readonly string[];
  /** The registry the table's names were looked up in. */
  readonly registry: PolicyRegistry;
}

interface Entry {
  readonly pattern: PathPattern;
  readonly lower: readonly PatternSegment[];
}

function hasAsciiUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

function patternKey(p: PathPattern): string {
  return p.segments.map((s) => (s === null ? ':' : `=${s}`)).join('/') + (p.rest ? '/*' : '');
}

function entriesOf(input: PathTableInput, issues: RoutesIssueList): [string, PolicyChoice][] {
  if (Array.isArray(input)) {
    const out: [string, PolicyChoice][] = [];
    input.forEach((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        issues.add(
          'PATHS_NOT_TABLE',
          `paths[${i}]`,
          pair,
          'each entry of a path table given as an array is a [pattern, policy] pair',
          'write ["/api/*", { origins: [...] }]',
        );
      } else out.push([pair[0] as string, pair[1] as PolicyChoice]);
    });
    return out;
  }
  if (typeof input === 'object' && input !== null) return Object.entries(input);
  issues.add(
    'PATHS_NOT_TABLE',
    'paths',
    input,
    'a path table maps path patterns to policies',
    'write { "/api/*": { origins: [...] }, "/admin/*": false }',
  );
  return [];
}

const unreadable = (problem: UnreadablePath): RouteMatch =>
  Object.freeze({ policy: null, pattern: null, via: 'unreadable', problem });

const UNREADABLE: Readonly<Record<UnreadablePath, RouteMatch>> = {
  'not-origin-form': unreadable('not-origin-form'),
  'malformed-escape': unreadable('malformed-escape'),
  backslash: unreadable('backslash'),
  'dot-segment': unreadable('dot-segment'),
  'empty-segment': unreadable('empty-segment'),
};

const AMBIGUOUS: RouteMatch = Object.freeze({ policy: null, pattern: null, via: 'ambiguous' });

/**
 * Routes judged, remembered per table. Route patterns come from the application's declarations,
 * so there are few; the bound only keeps a caller passing request paths from growing it forever.
 */
const ROUTE_CACHE_LIMIT = 4096;

/**
 * Compiles a path table once, checking every pattern and policy and throwing a `CorsRoutesError`
 * with all problems, including entries an earlier one makes unreachable. Where no entry matches,
 * the registry's default applies (or no CORS).
 *
 * @example
 * const table = compilePathTable(
 *   {
 *     '/api/public/*': 'public',
 *     '/api/admin/*': false,
 *     '/api/orders/:id': { origins: ['https://shop.example'], methods: ['PUT'] },
 *     '/api/*': 'app',
 *   },
 *   { policies: { policies: { public: { origins: '*' }, app: { origins: ['https://app.example'] } } } },
 * );
 * table.match('/api/admin/users?x=1').via    // 'entry', policy null: no CORS
 * table.match('/api/ADMIN/users').via        // 'ambiguous' (a case-insensitive router serves admin)
 * table.match('/api%2Fadmin/users').policy   // null: %2F is not a slash here, but could be elsewhere
 */
export function compilePathTable(input: PathTableInput, options: PathTableOptions = {}): PathTable {
  const registry = toRegistry(options.policies);
  const issues = new RoutesIssueList();
  const entries: Entry[] = [];
  const matches: RouteMatch[] = [];
  const keys = new Map<string, string>();
  for (const [source, choice] of entriesOf(input, issues)) {
    const at = `paths[${JSON.stringify(source)}]`;
    const pattern = compilePathPattern(source);
    const policy =
      typeof choice === 'string'
        ? lookUp(registry, choice, at, issues)
        : compileInput(choice, at, issues);
    if (isPatternProblem(pattern)) {
      issues.add('PATH_PATTERN_INVALID', at, source, pattern.reason, pattern.fix);
      continue;
    }
    const key = patternKey(pattern);
    const same = keys.get(key);
    if (same !== undefined) {
      issues.add(
        'PATH_PATTERN_DUPLICATE',
        at,
        source,
        `it matches exactly what ${JSON.stringify(same)} matches, which comes first`,
        'keep one entry per pattern',
      );
      continue;
    }
    keys.set(key, source);
    const earlier = entries.find((e) => covers(e.pattern, pattern, (s) => s));
    if (earlier !== undefined) {
      issues.add(
        'PATH_PATTERN_UNREACHABLE',
        at,
        source,
        `${JSON.stringify(earlier.pattern.source)} comes first and matches every path this one does; the first match wins`,
        'put more specific patterns before more general ones',
      );
      continue;
    }
    const folded = entries.find((e) => covers(e.pattern, pattern, asciiLowercase));
    if (folded !== undefined) {
      issues.add(
        'PATH_PATTERN_CASE_CONFLICT',
        at,
        source,
        `it differs from ${JSON.stringify(folded.pattern.source)} only in letter case; paths are matched case-sensitively, and a path a case-insensitive router could route to either gets no CORS`,
        'use one spelling for one resource',
      );
      continue;
    }
    entries.push({
      pattern,
      lower: pattern.segments.map((s) => (s === null ? null : asciiLowercase(s))),
    });
    matches.push(Object.freeze({ policy, pattern: source, via: 'entry' }));
  }
  issues.throwIfAny();

  const fallback: RouteMatch = Object.freeze({
    policy: registry.default,
    pattern: null,
    via: 'fallback',
  });
  const patternsHaveUpper = entries.some((e) =>
    e.pattern.segments.some((s) => s !== null && hasAsciiUpper(s)),
  );

  const firstMatch = (reading: readonly string[], fold: boolean): number => {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (matchesPattern(fold ? e.lower : e.pattern.segments, e.pattern.rest, reading)) return i;
    }
    return -1;
  };

  const match = (target: string): RouteMatch => {
    const readings = readPath(target);
    if (typeof readings === 'string') return UNREADABLE[readings];
    let chosen = -2;
    for (const reading of readings) {
      const index = firstMatch(reading, false);
      if (chosen === -2) chosen = index;
      else if (index !== chosen) return AMBIGUOUS;
      // A case-insensitive router (Express's and @koa/router's default) must land on the same entry.
      if (patternsHaveUpper || reading.some(hasAsciiUpper)) {
        if (firstMatch(reading.map(asciiLowercase), true) !== chosen) return AMBIGUOUS;
      }
    }
    return chosen < 0 ? fallback : matches[chosen]!;
  };

  const patterns = entries.map((e) => e.pattern);
  const byRoute = new Map<string, RouteMatch | undefined>();
  const matchRoute = (route: string): RouteMatch | undefined => {
    const known = byRoute.get(route);
    if (known !== undefined || byRoute.has(route)) return known;
    const index = decideRoute(patterns, route);
    // `matches[-1]` is undefined: no entry matches any path of the route, the fallback applies.
    const decided =
      index === undefined
        ? undefined
        : Object.freeze({ ...(matches[index] ?? fallback), via: 'route' as const, route });
    if (byRoute.size < ROUTE_CACHE_LIMIT) byRoute.set(route, decided);
    return decided;
  };

  return Object.freeze({
    match,
    matchRoute,
    patterns: Object.freeze(entries.map((e) => e.pattern.source)),
    registry,
  });
}
