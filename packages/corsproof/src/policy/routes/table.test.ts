import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compile.js';
import { CorsRoutesError } from './errors.js';
import { definePolicies } from './registry.js';
import { compilePathTable, type RouteMatch } from './table.js';

const open = { origins: '*' } as const;
const app = { origins: ['https://app.example'], credentials: true };
const partner = { origins: ['https://partner.example'] };

function codes(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof CorsRoutesError) return error.issues.map((i) => i.code);
    throw error;
  }
  return [];
}

/** The pattern a target lands on: the entry, 'fallback', or 'none' (ambiguous or unreadable). */
function landing(match: RouteMatch): string {
  if (match.via === 'entry') return match.pattern as string;
  return match.via === 'fallback' ? 'fallback' : 'none';
}

describe('compilePathTable: matching', () => {
  const table = compilePathTable(
    [
      ['/', open],
      ['/api/admin/*', false],
      ['/api/users/:id', partner],
      ['/api/*', app],
      ['/public/*', open],
    ],
    { policies: { default: partner } },
  );

  const cases: [target: string, landsOn: string][] = [
    ['/', '/'],
    ['/?x=1', '/'],
    ['/api', '/api/*'],
    ['/api/', '/api/*'],
    ['/api/orders/7', '/api/*'],
    ['/api/users/7', '/api/users/:id'],
    ['/api/users/7?next=/api/admin', '/api/users/:id'],
    ['/api/admin', '/api/admin/*'],
    ['/api/admin/users', '/api/admin/*'],
    ['/apiary', 'fallback'],
    ['/other', 'fallback'],
    ['/public/a.css', '/public/*'],
    // Fastify and Hono decode `%61` and serve /api/admin/x; Express and @koa/router do not.
    ['/%61pi/admin/x', 'none'],
    ['/api/ad%6Din/x', 'none'],
    ['/public/%61.css', '/public/*'], // both readings agree
    // Fastify's useSemicolonDelimiter serves /api/admin;x as /api/admin.
    ['/api/admin;x', 'none'],
    ['/api/admin;x/users', 'none'],
    ['/api;x/admin/users', 'none'],
    ['/api/admin/users;x', '/api/admin/*'], // every reading lands on the same entry
    ['/api/admin%3Bx', '/api/*'], // an escaped `;` is no delimiter to any router
    ['/public/..;/api/admin/x', 'none'],
    // A trailing slash after an exact end: Express serves it as /api/users/7, Fastify does not.
    ['/api/users/7/', 'none'],
    // Flask-CORS CVE-2024-6866: case. A case-insensitive router serves /API/ADMIN as /api/admin.
    ['/API/admin/users', 'none'],
    ['/api/ADMIN/users', 'none'],
    ['/Public/a.css', 'none'],
    // Encoded slashes are not slashes, and a router that decodes them would read another entry.
    ['/api%2Fadmin/users', 'none'],
    ['/api/admin%2Fusers', 'none'], // literally /api/*, decoded /api/admin/*
    ['/public/a%2Fb', '/public/*'], // both readings agree
    ['/api/users/a%2Fb', 'none'],
    // Flask-CORS CVE-2024-6844: "+" is a plus, not a space; it is just a character.
    ['/api/users/a+b', '/api/users/:id'],
    // Dot segments and empty segments: browsers never send them; routers resolve them differently.
    ['/public/../api/admin/x', 'none'],
    ['/public/%2e%2e/api/admin/x', 'none'],
    ['/api//admin/x', 'none'],
    ['/api\\admin', 'none'],
    ['*', 'none'],
  ];
  for (const [target, expected] of cases) {
    it(`matches ${JSON.stringify(target)} to ${expected}`, () => {
      expect(landing(table.match(target))).toBe(expected);
    });
  }

  it('gives no policy for an entry that is false, and the default where nothing matches', () => {
    expect(table.match('/api/admin/x').policy).toBeNull();
    expect(table.match('/other').policy?.toJSON().origins).toEqual(['https://partner.example']);
  });

  it('gives no policy where nothing matches and there is no default', () => {
    const t = compilePathTable({ '/api/*': app });
    expect(t.match('/other')).toMatchObject({ via: 'fallback', policy: null });
  });

  it('treats patterns with capitals case-sensitively and refuses lower-case look-alikes', () => {
    const t = compilePathTable({ '/Docs/*': open });
    expect(landing(t.match('/Docs/x'))).toBe('/Docs/*');
    expect(landing(t.match('/docs/x'))).toBe('none');
  });

  it('says why a path is unreadable', () => {
    expect(table.match('/public/../admin')).toMatchObject({
      via: 'unreadable',
      problem: 'dot-segment',
    });
  });

  it('never gives a path a policy another router reading of it would not get (property)', () => {
    const segment = fc.constantFrom(
      'api',
      'API',
      'admin',
      'Admin',
      'users',
      '7',
      'public',
      'a%2Fb',
    );
    const variants = (target: string) => [
      target.toLowerCase(),
      target.endsWith('/') ? target.slice(0, -1) : `${target}/`,
      target.replace(/%2F/gi, '/'),
    ];
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), fc.boolean(), (segments, slash) => {
        const target = `/${segments.join('/')}${slash && segments.length > 0 ? '/' : ''}`;
        const landed = landing(table.match(target));
        if (landed === 'none') return;
        for (const variant of variants(target)) {
          expect(['none', landed]).toContain(landing(table.match(variant)));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compilePathTable: matchRoute, the route the router chose', () => {
  const table = compilePathTable(
    { '/admin/*': false, '/api/users/:id': partner, '/*': open },
    { policies: { default: app } },
  );

  it('gives a route inside one entry that entry, whatever path was routed to it', () => {
    const admin = table.matchRoute('/admin');
    expect(admin).toEqual({ policy: null, pattern: '/admin/*', via: 'route', route: '/admin' });
    expect(table.matchRoute('/admin/:id')?.pattern).toBe('/admin/*');
    expect(table.matchRoute('/health')?.policy).toBe(table.match('/health').policy);
    expect(table.matchRoute('/health')?.pattern).toBe('/*');
  });

  it('decides nothing for a route whose paths fall in different entries', () => {
    expect(table.matchRoute('/*')).toBeUndefined();
    expect(table.matchRoute('/:section')).toBeUndefined();
    expect(table.matchRoute('/Admin')).toBeUndefined(); // a case-insensitive router: /admin
    expect(table.matchRoute('/api/users/:id')).toBeUndefined(); // Fastify: /api/users/ too
    expect(table.matchRoute('/:id(\\d+)')).toBeUndefined();
  });

  it('gives the fallback to a route no entry can match', () => {
    const narrow = compilePathTable({ '/admin/*': false }, { policies: { default: partner } });
    const health = narrow.matchRoute('/health');
    expect(health).toEqual({
      policy: narrow.registry.default,
      pattern: null,
      via: 'route',
      route: '/health',
    });
  });

  it('judges each route once', () => {
    expect(table.matchRoute('/admin/:id')).toBe(table.matchRoute('/admin/:id'));
  });
});

describe('compilePathTable: names and policies', () => {
  it('looks names up in the registry', () => {
    const t = compilePathTable(
      { '/partners/*': 'partners', '/internal/*': 'internal' },
      { policies: { policies: { partners: partner, internal: false } } },
    );
    expect(t.match('/partners/x').policy?.toJSON().origins).toEqual(['https://partner.example']);
    expect(t.match('/internal/x')).toMatchObject({ via: 'entry', policy: null });
  });

  it('accepts a registry and compiled policies', () => {
    const registry = definePolicies({ policies: { partners: partner } });
    const policy = compilePolicy(app);
    const t = compilePathTable(
      [
        ['/a/*', policy],
        ['/b/*', 'partners'],
      ],
      { policies: registry },
    );
    expect(t.match('/a/x').policy).toBe(policy);
    expect(t.registry).toBe(registry);
    expect(t.patterns).toEqual(['/a/*', '/b/*']);
  });

  it('compiles one options object once', () => {
    const t = compilePathTable({ '/a/*': app, '/b/*': app });
    expect(t.match('/a/x').policy).toBe(t.match('/b/x').policy);
  });
});

describe('compilePathTable: start-up errors', () => {
  it('collects every problem in one corsproof: error', () => {
    let error: unknown;
    try {
      compilePathTable(
        {
          '/*': open,
          '/api/*': app,
          'api/x': app,
          '/users/{id}': app,
          '/p/*': 'parnters',
          '/q/*': { origins: ['https://app.example'], credentials: true, maxAge: -5 },
        },
        { policies: { policies: { partners: partner } } },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsRoutesError);
    const e = error as CorsRoutesError;
    expect(e.message).toMatch(/^corsproof: the CORS routes have \d+ problems:/);
    expect(e.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining([
        'PATH_PATTERN_UNREACHABLE',
        'PATH_PATTERN_INVALID',
        'POLICY_UNKNOWN',
        'MAX_AGE_INVALID',
      ]),
    );
    const unknown = e.issues.find((i) => i.code === 'POLICY_UNKNOWN');
    expect(unknown?.path).toBe('paths["/p/*"]');
    expect(unknown?.reason).toContain('"partners"');
    expect(e.issues.find((i) => i.code === 'MAX_AGE_INVALID')?.path).toBe('paths["/q/*"].maxAge');
  });

  it('refuses a pattern an earlier one makes unreachable (first match wins)', () => {
    expect(codes(() => compilePathTable({ '/api/*': app, '/api/users/*': open }))).toEqual([
      'PATH_PATTERN_UNREACHABLE',
    ]);
    expect(codes(() => compilePathTable({ '/api/:id': app, '/api/me': open }))).toEqual([
      'PATH_PATTERN_UNREACHABLE',
    ]);
    expect(codes(() => compilePathTable({ '/api/me': open, '/api/:id': app }))).toEqual([]);
  });

  it('refuses duplicates, parameter names aside', () => {
    expect(codes(() => compilePathTable({ '/a/:x': app, '/a/:y': open }))).toEqual([
      'PATH_PATTERN_DUPLICATE',
    ]);
  });

  it('refuses patterns differing only in case', () => {
    expect(codes(() => compilePathTable({ '/API/*': app, '/api/*': open }))).toEqual([
      'PATH_PATTERN_CASE_CONFLICT',
    ]);
  });

  it('refuses a table that is not one, and malformed pairs', () => {
    expect(codes(() => compilePathTable('/api/*' as never))).toEqual(['PATHS_NOT_TABLE']);
    expect(codes(() => compilePathTable([['/api/*']] as never))).toEqual(['PATHS_NOT_TABLE']);
  });

  it('refuses true and other non-policies', () => {
    expect(codes(() => compilePathTable({ '/a/*': true } as never))).toEqual(['POLICY_INVALID']);
    expect(codes(() => compilePathTable({ '/a/*': 42 } as never))).toEqual(['POLICY_INVALID']);
  });
});
