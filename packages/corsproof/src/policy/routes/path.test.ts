import { describe, expect, it } from 'vitest';
import { compilePathPattern, isPatternProblem, readPath } from './path.js';

describe('readPath', () => {
  const cases: [string, ReturnType<typeof readPath>][] = [
    ['/', [['']]],
    ['/api', [['api']]],
    ['/api/users', [['api', 'users']]],
    [
      '/api/users/',
      [
        ['api', 'users', ''],
        ['api', 'users'],
      ],
    ],
    ['/api?next=/admin', [['api']]],
    ['/api#frag', [['api']]],
    // Express and @koa/router match the path as sent; Fastify and Hono decode it first.
    [
      '/api/%7Euser',
      [
        ['api', '~user'],
        ['api', '%7Euser'],
      ],
    ],
    ['/%61pi', [['api'], ['%61pi']]],
    ['/ad%6din/', [['admin', ''], ['admin'], ['ad%6Din', ''], ['ad%6Din']]],
    // Fastify's useSemicolonDelimiter cuts at the first `;`; servlet-style proxies drop `;params`.
    ['/admin;x', [['admin;x'], ['admin'], ['admin']]],
    ['/admin;x/users', [['admin;x', 'users'], ['admin'], ['admin', 'users']]],
    ['/admin/;x', [['admin', ';x'], ['admin', ''], ['admin'], ['admin', ''], ['admin']]],
    ['/admin%3Bx', [['admin%3Bx']]],
    ['/a%2fb', [['a%2Fb'], ['a', 'b']]],
    ['/a+b', [['a+b']]],
    ['/a%2Bb', [['a%2Bb']]],
    ['/a%20b', [['a%20b']]],
    ['/caf\u00e9', [['caf%C3%A9']]],
    ['/a|b', [['a%7Cb']]],
    ['/API/Users', [['API', 'Users']]],
  ];
  for (const [target, expected] of cases) {
    it(`reads ${JSON.stringify(target)}`, () => {
      expect(readPath(target)).toEqual(expected);
    });
  }

  const refused: [string, string][] = [
    ['/public/../admin', 'dot-segment'],
    ['/public/./admin', 'dot-segment'],
    ['/public/%2e%2e/admin', 'dot-segment'],
    ['/public/.%2E/admin', 'dot-segment'],
    ['/public/..%2Fadmin', 'dot-segment'],
    ['/public/..;x/admin', 'dot-segment'],
    ['/public/%2e%2e;x/admin', 'dot-segment'],
    ['/;x/admin', 'empty-segment'],
    ['/api//admin', 'empty-segment'],
    ['//admin', 'empty-segment'],
    ['/api/a%2F%2Fb', 'empty-segment'],
    ['/api\\admin', 'backslash'],
    ['/api/%zz', 'malformed-escape'],
    ['/api/%4', 'malformed-escape'],
    ['*', 'not-origin-form'],
    ['http://example.com/api', 'not-origin-form'],
    ['', 'not-origin-form'],
  ];
  for (const [target, problem] of refused) {
    it(`refuses ${JSON.stringify(target)} as ${problem}`, () => {
      expect(readPath(target)).toBe(problem);
    });
  }
});

describe('compilePathPattern', () => {
  it('compiles literals, parameters and a final wildcard', () => {
    expect(compilePathPattern('/api/:id/*')).toEqual({
      source: '/api/:id/*',
      segments: ['api', null],
      rest: true,
    });
    expect(compilePathPattern('/*')).toEqual({ source: '/*', segments: [], rest: true });
    expect(compilePathPattern('/')).toEqual({ source: '/', segments: [''], rest: false });
  });

  it('canonicalizes literals like request paths', () => {
    const a = compilePathPattern('/caf%c3%a9/%7euser');
    const b = compilePathPattern('/café/~user');
    expect(isPatternProblem(a) || isPatternProblem(b)).toBe(false);
    if (!isPatternProblem(a) && !isPatternProblem(b)) expect(a.segments).toEqual(b.segments);
  });

  const refused = [
    'api/*',
    '/api/',
    '/api//users',
    '/api/*/users',
    '/api*',
    '/api/.*',
    '/api/(.*)',
    '/users/[0-9]+',
    '/users/{id}',
    '/users/\\d+',
    '/api/:',
    '/api/:1x',
    '/api/%zz',
    '/files/a%2Fb',
    '/public/../admin',
    '/api?x=1',
  ];
  for (const source of refused) {
    it(`refuses ${JSON.stringify(source)} with a reason and a fix`, () => {
      const result = compilePathPattern(source);
      expect(isPatternProblem(result)).toBe(true);
      if (isPatternProblem(result)) {
        expect(result.reason.length).toBeGreaterThan(0);
        expect(result.fix.length).toBeGreaterThan(0);
      }
    });
  }
});
