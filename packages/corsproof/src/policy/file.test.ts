import { describe, expect, it } from 'vitest';
import { CorsConfigError } from './errors.js';
import { parsePolicyFile } from './file.js';
import { CorsRoutesError } from './routes/errors.js';

describe('parsePolicyFile', () => {
  it('reads a single policy as the default for every path', () => {
    const file = parsePolicyFile({ $schema: 'x', origins: ['https://app.example.com'] });
    expect(file.default?.toJSON().origins).toEqual(['https://app.example.com']);
    expect(file.paths).toEqual([]);
    expect(file.policyFor('/anything')).toBe(file.default);
  });

  it('reads named policies and a path table, first match wins', () => {
    const file = parsePolicyFile({
      default: { origins: ['https://app.example.com'] },
      policies: { public: { origins: '*' }, closed: false },
      paths: {
        '/admin/*': false,
        '/public/*': 'public',
        '/orders/:id': { origins: ['https://shop.example'], methods: ['PUT'] },
      },
    });
    expect([...file.policies.keys()]).toEqual(['public', 'closed']);
    expect(file.policies.get('closed')).toBeNull();
    expect(file.paths.map((r) => [r.pattern, r.choice.kind])).toEqual([
      ['/admin/*', 'none'],
      ['/public/*', 'named'],
      ['/orders/:id', 'inline'],
    ]);
    expect(file.policyFor('/admin/users')).toBeNull();
    expect(file.policyFor('/public/x')?.toJSON().origins).toBe('*');
    expect(file.policyFor('/orders/7')?.toJSON().methods).toEqual(['PUT']);
    expect(file.policyFor('/elsewhere')).toBe(file.default);
  });

  it('refuses a single policy with every problem listed', () => {
    const attempt = () => parsePolicyFile({ origins: ['null'], maxAge: -1 });
    expect(attempt).toThrow(CorsConfigError);
    try {
      attempt();
    } catch (error) {
      const issues = (error as CorsConfigError).issues.map((i) => [i.code, i.path]);
      expect(issues).toEqual([
        ['ORIGIN_NULL', 'origins[0]'],
        ['MAX_AGE_INVALID', 'maxAge'],
      ]);
    }
  });

  it('refuses a path naming an unknown policy, and a document that is not an object', () => {
    expect(() => parsePolicyFile({ paths: { '/x': 'missing' } })).toThrow(/POLICY_UNKNOWN/);
    expect(() => parsePolicyFile([])).toThrow(CorsRoutesError);
  });
});
