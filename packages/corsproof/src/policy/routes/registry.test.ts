import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../compile.js';
import { CorsConfigError } from '../errors.js';
import { CorsRoutesError } from './errors.js';
import { claim, createCorsFactory, type PolicySelector } from './factory.js';
import { definePolicies, isCorsPolicy, isPolicyRegistry } from './registry.js';

const partner = { origins: ['https://partner.example'], credentials: true };

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof CorsRoutesError) return error.issues;
    throw error;
  }
  return [];
}

describe('definePolicies', () => {
  it('compiles named policies and the default once', () => {
    const compiled = compilePolicy({ origins: '*' });
    const registry = definePolicies({
      default: { origins: ['https://app.example'] },
      policies: { partners: partner, public: compiled, internal: false },
    });
    expect(registry.names).toEqual(['partners', 'public', 'internal']);
    expect(registry.hasDefault).toBe(true);
    expect(registry.default?.toJSON().origins).toEqual(['https://app.example']);
    expect(registry.get('partners')?.toJSON().credentials).toBe(true);
    expect(registry.get('public')).toBe(compiled);
    expect(registry.get('internal')).toBeNull();
    expect(isPolicyRegistry(registry)).toBe(true);
    expect(isCorsPolicy(compiled)).toBe(true);
    expect(isCorsPolicy({ origins: '*' })).toBe(false);
  });

  it('has no default unless one is given; default false is an explicit none', () => {
    expect(definePolicies()).toMatchObject({ hasDefault: false, default: null });
    expect(definePolicies({ default: false })).toMatchObject({ hasDefault: true, default: null });
  });

  it('rejects an unknown name with the names it knows', () => {
    const registry = definePolicies({ policies: { partners: partner } });
    const [issue] = issuesOf(() => registry.get('parnters'));
    expect(issue?.code).toBe('POLICY_UNKNOWN');
    expect(() => registry.get('parnters')).toThrow(
      /^corsproof: the CORS routes have a problem:\n {2}- "parnters": no policy is registered under this name \(the registered ones are "partners"\)/,
    );
  });

  it('resolves names, options, policies and false, saying where a problem is', () => {
    const registry = definePolicies({ policies: { partners: partner } });
    expect(registry.resolve('partners')).toBe(registry.get('partners'));
    expect(registry.resolve(false)).toBeNull();
    expect(registry.resolve({ origins: '*' })?.toJSON().origins).toBe('*');
    // One policy's options fail as compilePolicy does, their paths saying where the policy is.
    let error: unknown;
    try {
      registry.resolve({ origins: '*', credentials: true }, 'route GET /x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as CorsConfigError).issues[0]).toMatchObject({
      code: 'WILDCARD_ORIGIN_WITH_CREDENTIALS',
      path: 'route GET /x.origins',
    });
    expect(() => registry.resolve(true as never)).toThrow(CorsRoutesError);
  });

  it('collects every problem of every policy at once', () => {
    const issues = issuesOf(() =>
      definePolicies({
        default: { origins: ['https://app.example'], maxAge: 1e9 },
        policies: { a: { origins: '*', credentials: true }, b: true, '': partner } as never,
        origins: ['https://app.example'],
      } as never),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual(
      expect.arrayContaining([
        ['UNKNOWN_OPTION', 'origins'],
        ['MAX_AGE_INVALID', 'default.maxAge'],
        ['WILDCARD_ORIGIN_WITH_CREDENTIALS', 'policies.a.origins'],
        ['POLICY_INVALID', 'policies.b'],
        ['POLICY_NAME_INVALID', 'policies.'],
      ]),
    );
  });

  it('refuses policies that are not an object', () => {
    expect(issuesOf(() => definePolicies({ policies: [partner] } as never))[0]?.code).toBe(
      'POLICIES_NOT_OBJECT',
    );
  });
});

describe('createCorsFactory', () => {
  const registry = definePolicies({
    default: { origins: ['https://app.example'] },
    policies: { partners: partner, none: false },
  });
  const factory = createCorsFactory(registry, (selector: PolicySelector) => selector);

  it('builds middleware for the default, a name, options, none and a table', () => {
    expect(factory().select('/')).toBe(registry.default);
    expect(factory('partners').select('/')).toBe(registry.get('partners'));
    expect(factory.route('partners').select('/')).toBe(registry.get('partners'));
    expect(factory({ origins: '*' }).select('/')?.toJSON().origins).toBe('*');
    expect(factory.none().select('/')).toBeNull();
    expect(factory(false).select('/')).toBeNull();
    const byPath = factory.paths({ '/p/*': 'partners' });
    expect(byPath.byPath).toBe(true);
    expect(byPath.select('/p/x')).toBe(registry.get('partners'));
    expect(byPath.select('/other')).toBe(registry.default);
    expect(factory.policies).toBe(registry);
  });

  it('throws at creation for unknown names and a missing default', () => {
    expect(() => factory.route('nope')).toThrow(CorsRoutesError);
    const bare = createCorsFactory(definePolicies(), (s: PolicySelector) => s);
    expect(issuesOf(() => bare())[0]?.code).toBe('POLICY_DEFAULT_MISSING');
  });
});

describe('claim', () => {
  it('lets the first middleware decide a request and no other', () => {
    const request = {};
    expect(claim(request)).toBe(true);
    expect(claim(request)).toBe(false);
    expect(claim({})).toBe(true);
  });

  it('marks the request itself, under a registry symbol another copy of corsproof also reads', () => {
    const request = {};
    claim(request);
    expect((request as Record<symbol, unknown>)[Symbol.for('corsproof.decided')]).toBe(true);
    expect(Object.keys(request)).toEqual([]);
    const claimedElsewhere = { [Symbol.for('corsproof.decided')]: true };
    expect(claim(claimedElsewhere)).toBe(false);
  });

  it('still claims a frozen request once', () => {
    const request = Object.freeze({});
    expect(claim(request)).toBe(true);
    expect(claim(request)).toBe(false);
  });
});
