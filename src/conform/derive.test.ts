import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { deriveCases, samplePaths, UNLISTED_HEADER } from './derive.js';

const APP = 'https://app.example.com';

describe('deriveCases', () => {
  it('tries the origin, its look-alikes, null and credentials for a one-origin policy', () => {
    const cases = deriveCases(parsePolicyFile({ origins: [APP] }), '/items');
    expect(cases.filter((c) => c.aspect === 'origin').map((c) => c.origin)).toEqual([
      APP,
      'https://app.example.com.corsproof-evil.test',
      'https://corsproofevilapp.example.com',
      'http://app.example.com',
      'https://app.example.com:8443',
      'null',
    ]);
    expect(cases.every((c) => c.path === '/items')).toBe(true);
    const credentialed = cases.filter((c) => c.credentials === 'include');
    expect(credentialed.map((c) => [c.aspect, c.origin, c.method])).toEqual([
      ['credentials', APP, 'GET'],
    ]);
  });

  it('tries each listed method and one unlisted, preflight only', () => {
    const cases = deriveCases(
      parsePolicyFile({ origins: [APP], methods: ['PUT', 'POST', 'DELETE'] }),
    );
    const methods = cases.filter((c) => c.aspect === 'method');
    expect(methods.map((c) => c.method)).toEqual(['PUT', 'DELETE', 'PATCH']);
    expect(methods.every((c) => c.preflightOnly && c.origin === APP)).toBe(true);
  });

  it('tries each listed request header with a value that needs a preflight, and one unlisted', () => {
    const cases = deriveCases(
      parsePolicyFile({ origins: [APP], requestHeaders: ['Content-Type', 'X-Request-Id'] }),
    );
    expect(cases.filter((c) => c.aspect === 'request-header').map((c) => c.headers)).toEqual([
      [['content-type', 'application/json']],
      [['x-request-id', 'corsproof-conform']],
      [[UNLISTED_HEADER, 'corsproof-conform']],
    ]);
  });

  it("samples '*' methods and headers without an unlisted one, Authorization included", () => {
    const cases = deriveCases(
      parsePolicyFile({ origins: [APP], methods: '*', requestHeaders: '*' }),
    );
    expect(cases.filter((c) => c.aspect === 'method').map((c) => c.method)).toEqual([
      'PUT',
      'DELETE',
      'PROPFIND',
    ]);
    const names = cases.filter((c) => c.aspect === 'request-header').map((c) => c.headers[0]?.[0]);
    expect(names).toEqual(['x-corsproof-any', 'authorization']);
  });

  it('sends method and header cases with credentials when the policy allows them', () => {
    const cases = deriveCases(
      parsePolicyFile({
        origins: [APP],
        credentials: true,
        methods: ['PUT'],
        requestHeaders: ['X-A'],
      }),
    );
    const of = (aspect: string) =>
      cases.filter((c) => c.aspect === aspect).map((c) => c.credentials);
    expect(of('method')).toEqual(['include', 'include']);
    expect(of('request-header')).toEqual(['include', 'include']);
  });

  it('adds a private network preflight only where the policy answers it', () => {
    const file = parsePolicyFile({
      default: { origins: [APP] },
      paths: { '/lan/*': { origins: [APP], privateNetwork: true } },
    });
    const pna = deriveCases(file).filter((c) => c.probe === 'private-network');
    expect(pna.map((c) => [c.path, c.origin, c.preflightOnly])).toEqual([
      ['/lan/corsproof-conform', APP, true],
    ]);
  });

  it('compares the readability of every exposed header and of one nobody exposes', () => {
    const cases = deriveCases(
      parsePolicyFile({ origins: [APP], exposeHeaders: ['X-Total-Count'] }),
    );
    expect(cases[0]?.exposeProbe).toEqual(['x-total-count', 'x-corsproof-unexposed']);
  });

  it('tries every path with the origins of every policy in the file', () => {
    const file = parsePolicyFile({
      default: false,
      policies: { partners: { origins: ['https://partner.test'] } },
      paths: { '/partners/*': 'partners', '/admin/*': false },
    });
    const cases = deriveCases(file);
    const closed = cases.filter((c) => c.path === '/admin/corsproof-conform');
    expect(closed.map((c) => c.origin)).toContain('https://partner.test');
    expect(closed.some((c) => c.aspect === 'method' && c.method === 'PUT')).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('tries one origin for an any-origin policy', () => {
    const origins = deriveCases(parsePolicyFile({ origins: '*' }))
      .filter((c) => c.aspect === 'origin')
      .map((c) => c.origin);
    expect(origins).toEqual(['https://corsproof-conform.example', 'null']);
  });
});

describe('samplePaths', () => {
  it('picks per pattern a path the table really routes to it, and an unmatched path', () => {
    const file = parsePolicyFile({
      default: false,
      paths: {
        '/orders/:id': { origins: [APP] },
        '/orders/*': false,
        '/health': { origins: '*' },
      },
    });
    expect(samplePaths(file, '/').map((s) => [s.path, s.pattern])).toEqual([
      ['/orders/1', '/orders/:id'],
      ['/orders/corsproof/conform/1', '/orders/*'],
      ['/health', '/health'],
      ['/corsproof-conform-unmatched', null],
    ]);
  });

  it('has no unmatched path when a pattern matches every path', () => {
    const file = parsePolicyFile({ paths: { '/api/*': { origins: [APP] }, '/*': false } });
    expect(samplePaths(file, '/').map((s) => s.pattern)).toEqual(['/api/*', '/*']);
  });

  it('uses the given target when the file has no path table', () => {
    const file = parsePolicyFile({ origins: [APP] });
    expect(samplePaths(file, '/v1/items?x=1')).toEqual([
      { path: '/v1/items?x=1', pattern: null, policy: file.default },
    ]);
  });
});
