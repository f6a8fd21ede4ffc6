import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePathPattern,
  isPatternProblem,
  matchesPattern,
  type PathPattern,
  readPath,
} from './path.js';
import { decideRoute, readRoutePattern } from './route-pattern.js';

function compile(sources: readonly string[]): PathPattern[] {
  return sources.map((source) => {
    const pattern = compilePathPattern(source);
    if (isPatternProblem(pattern)) throw new Error(`${source}: ${pattern.reason}`);
    return pattern;
  });
}

describe('readRoutePattern', () => {
  it('reads literals, parameters and a final wildcard', () => {
    expect(readRoutePattern('/admin/:id')).toMatchObject({
      segments: ['admin', null],
      rest: false,
    });
    expect(readRoutePattern('/files/*')).toMatchObject({ segments: ['files'], rest: true });
    expect(readRoutePattern('*')).toMatchObject({ segments: [], rest: true });
    expect(readRoutePattern('/')).toMatchObject({ segments: [''], rest: false });
    expect(readRoutePattern('/admin/')).toMatchObject({ segments: ['admin', ''], rest: false });
  });

  it('canonicalizes literals as request paths are read', () => {
    expect(readRoutePattern('/ad%6Din')).toMatchObject({ segments: ['admin'], rest: false });
    expect(readRoutePattern('/café')).toMatchObject({ segments: ['caf%C3%A9'], rest: false });
  });

  const unjudgeable = [
    '/:id(^\\d+)', // Fastify regex parameter
    '/:id{[0-9]+}', // Hono regex parameter
    '/:id?', // optional parameter
    '/:from-:to', // two parameters in one segment
    '/:file.png',
    '/a::b', // Fastify's escaped colon
    '/wild/*/card', // Hono wildcard in the middle
    '/files*',
    '/api//admin',
    '/public/../admin',
    '/api%2Fadmin',
    'admin',
    '',
  ];
  it.each(unjudgeable)('cannot judge %j', (route) => {
    expect(readRoutePattern(route)).toBeNull();
  });
});

describe('decideRoute: a route decides only the entry all of its paths fall in', () => {
  const table = compile(['/admin/*', '/users/:id', '/users/:id/*', '/Docs', '/*']);
  const cases: [route: string, entry: number | undefined][] = [
    ['/admin', 0],
    ['/admin/:id', 0],
    ['/admin/*', 0],
    ['/admin/', 0],
    ['/ADMIN', undefined], // a case-insensitive router could serve /admin with it
    ['/users/7', 1],
    ['/users/:id', undefined], // Fastify serves /users/ with it, which /users/:id does not match
    ['/users/:id/orders', undefined], // Fastify serves /users//orders with it, id ""
    ['/users/7/orders', 2],
    ['/users', 4],
    ['/users/', 4],
    ['/Docs', 3],
    ['/Docs/', undefined], // /Docs/ is /*, its twin /Docs is /Docs
    ['/docs', undefined],
    ['/*', undefined],
    ['*', undefined],
    ['/:section', undefined],
    ['/:section/x', undefined],
    ['/public/:file', 4],
    ['/public/*', 4],
    ['/', 4],
    ['/:id(\\d+)', undefined],
  ];
  it.each(cases)('route %j decides entry %j', (route, entry) => {
    expect(decideRoute(table, route)).toBe(entry);
  });

  it('gives the fallback (-1) to a route no entry can match', () => {
    const narrow = compile(['/admin/*', '/api/:version/*']);
    expect(decideRoute(narrow, '/health')).toBe(-1);
    expect(decideRoute(narrow, '/api')).toBe(-1);
    expect(decideRoute(narrow, '/api/*')).toBeUndefined();
    expect(decideRoute(narrow, '/api/:v/users')).toBeUndefined();
    expect(decideRoute(narrow, '/api/v1/users')).toBe(1);
  });
});

/**
 * The invariant the rule rests on: whatever path a router serves with a route, the table's first
 * match for that path is the entry the route decided.
 */
describe('decideRoute: property', () => {
  const literal = fc.constantFrom('admin', 'Admin', 'users', 'api', 'v1', 'x');
  const patternSegment = fc.oneof(literal, fc.constant(':p'));
  const pattern = fc
    .tuple(fc.array(patternSegment, { maxLength: 3 }), fc.boolean())
    .map(([segments, rest]) =>
      segments.length === 0 ? (rest ? '/*' : '/') : `/${segments.join('/')}${rest ? '/*' : ''}`,
    );
  const table = fc.uniqueArray(pattern, { minLength: 1, maxLength: 5 });
  const routeSegment = fc.oneof(literal, fc.constant(':id'), fc.constant(''));
  const route = fc
    .tuple(fc.array(routeSegment, { minLength: 1, maxLength: 3 }), fc.boolean())
    .filter(([segments]) => segments.slice(0, -1).every((s) => s !== ''))
    .map(([segments, rest]) => `/${segments.join('/')}${rest ? '/*' : ''}`);
  // A path the route serves: each parameter some segment (empty included), the rest 0-2 more.
  const fill = fc.array(fc.constantFrom('', 'admin', 'users', 'v1', 'zz'), {
    minLength: 5,
    maxLength: 5,
  });

  it('every path of a deciding route lands on the decided entry', () => {
    let decided = 0;
    fc.assert(
      fc.property(table, route, fill, fc.nat(2), (sources, r, values, extra) => {
        const entries = compile(sources);
        const index = decideRoute(entries, r);
        if (index === undefined) return;
        decided++;
        const read = readRoutePattern(r)!;
        const segments = read.segments.map((s, i) => (s === null ? values[i]! : s));
        if (read.rest) segments.push(...values.slice(3, 3 + extra));
        const path = `/${segments.join('/')}`;
        // A route ending in "/" also serves the path without it, under ignoreTrailingSlash.
        const paths = r.endsWith('/') && r !== '/' ? [path, path.slice(0, -1)] : [path];
        for (const served of paths) {
          const readings = readPath(served);
          if (typeof readings === 'string') continue; // an empty middle segment: never routed
          const first = entries.findIndex((e) => matchesPattern(e.segments, e.rest, readings[0]!));
          expect(first, `${served} under route ${r} in ${sources.join(' ')}`).toBe(index);
        }
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: many generated routes decide.
    expect(decided).toBeGreaterThan(600);
  });
});
