import { describe, expect, it } from 'vitest';
import { compilePolicy } from './compile.js';
import type { RefusalCode } from './decision.js';
import { explain, explainDecision } from './explain.js';
import type { CorsRequest } from './options.js';

const policy = compilePolicy({
  origins: ['https://app.example.com'],
  methods: ['PUT'],
  requestHeaders: ['X-Custom'],
});
const APP = 'https://app.example.com';
const pre = (origin: string, requestMethod: string, requestHeaders?: string): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  requestMethod,
  requestHeaders,
});

describe('explain', () => {
  it('calls a request without Origin not CORS', () => {
    const e = explain(policy, { method: 'GET' });
    expect(e).toMatchObject({ verdict: 'not-cors' });
    expect(e).not.toHaveProperty('fix');
  });

  it('lists the headers of an accepted preflight', () => {
    expect(explain(policy, pre(APP, 'PUT', 'x-custom'))).toMatchObject({
      verdict: 'allowed',
      summary:
        'preflight accepted with status 204: access-control-allow-origin: https://app.example.com; access-control-allow-methods: PUT; access-control-allow-headers: x-custom',
    });
  });

  it('lists the headers of an allowed request', () => {
    expect(explain(policy, { method: 'GET', origin: APP })).toMatchObject({
      verdict: 'allowed',
      summary: 'CORS request allowed: access-control-allow-origin: https://app.example.com',
    });
  });

  it.each([
    [
      'origin-not-allowed',
      pre('https://evil.example', 'PUT'),
      'preflight refused: the origin "https://evil.example" is not in origins',
      'add "https://evil.example" to origins if that site should call this API',
    ],
    [
      'origin-null',
      pre('null', 'PUT'),
      'preflight refused: the origin is "null" (a sandboxed iframe, a data: URL or a redirected request), which corsproof never allows',
      'call the API from a page with a real origin, without cross-origin redirects on the way',
    ],
    [
      'origin-invalid',
      pre(`${APP}/`, 'PUT'),
      'preflight refused: the Origin header "https://app.example.com/" is not an origin as browsers send it',
      'send one origin, serialized as a browser does (lower case, no path, no default port)',
    ],
    [
      'method-invalid',
      pre(APP, 'TRACE'),
      'preflight refused: Access-Control-Request-Method "TRACE" is not a method a browser can send',
      'send a valid method token',
    ],
    [
      'method-not-allowed',
      pre(APP, 'patch'),
      'preflight refused: the method "patch" is not in methods (methods are case-sensitive: "patch" is not "PATCH")',
      'add "patch" to methods',
    ],
    [
      'headers-invalid',
      pre(APP, 'PUT', 'x a'),
      'preflight refused: Access-Control-Request-Headers has "x a", which is not a header name',
      'send a comma-separated list of header names',
    ],
    [
      'headers-too-large',
      pre(APP, 'PUT', 'x'.repeat(9000)),
      'preflight refused: Access-Control-Request-Headers is larger than any browser sends (9000 characters)',
      'send fewer custom headers',
    ],
    [
      'headers-not-allowed',
      pre(APP, 'PUT', 'x-custom, X-Other'),
      'preflight refused: the request header "x-other" is not in requestHeaders',
      'add "x-other" to requestHeaders',
    ],
  ] as const)(
    'explains %s with the value and the fix',
    (code: RefusalCode, request, summary, fix) => {
      const e = explain(policy, request);
      expect(e).toMatchObject({ verdict: 'refused', summary, fix });
      expect(e).toHaveProperty('decision.reason.code', code);
    },
  );

  it('says an actual request from an unlisted origin is left without CORS headers', () => {
    expect(explain(policy, { method: 'GET', origin: 'https://evil.example' })).toMatchObject({
      summary:
        'response left without CORS headers: the origin "https://evil.example" is not in origins',
    });
  });

  it('waits for an async predicate', async () => {
    const asyncPolicy = compilePolicy({ origins: async (o) => o === APP });
    const e = explain(asyncPolicy, { method: 'GET', origin: APP });
    expect(e).toBeInstanceOf(Promise);
    expect(await e).toMatchObject({ verdict: 'allowed' });
  });

  it('explains a decision on its own', () => {
    expect(explainDecision({ kind: 'not-cors', headers: [], vary: 'Origin' }).summary).toMatch(
      /^not a CORS request/,
    );
  });
});
