import { describe, expect, it } from 'vitest';
import { CheckInputError } from './errors.js';
import { type CheckOptions, resolveOptions } from './options.js';
import { CHROMIUM, FIREFOX } from './profiles.js';
import { planRequest } from './request-plan.js';

const URL_ = 'https://api.example/items';
const ORIGIN = 'https://app.example';

function plan(over: Partial<CheckOptions> = {}, profile = CHROMIUM) {
  return planRequest(resolveOptions({ url: URL_, origin: ORIGIN, ...over }), profile);
}

function needsPreflight(over: Partial<CheckOptions>, profile = CHROMIUM): boolean {
  return plan(over, profile).preflight.needed;
}

function inputError(over: Partial<CheckOptions>): string {
  try {
    plan(over);
  } catch (error) {
    if (error instanceof CheckInputError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('request validation (fetch() throws a TypeError)', () => {
  it.each([
    ['a relative URL', { url: '/items' }, 'INVALID_URL'],
    ['a URL with userinfo', { url: 'https://user:pw@api.example/' }, 'URL_CREDENTIALS'],
    ['a non-http URL', { url: 'ftp://api.example/' }, 'UNSUPPORTED_SCHEME'],
    ['an origin with a path', { origin: 'https://app.example/x' }, 'INVALID_ORIGIN'],
    ['an origin with a trailing slash', { origin: 'https://app.example/' }, 'INVALID_ORIGIN'],
    ['a missing origin', { origin: undefined }, 'INVALID_ORIGIN'],
    ['TRACE', { method: 'TRACE' }, 'FORBIDDEN_METHOD'],
    ['connect in lower case', { method: 'connect' }, 'FORBIDDEN_METHOD'],
    ['a method with a space', { method: 'GE T' }, 'INVALID_METHOD'],
    ['a header name with a colon', { headers: { 'x:a': '1' } }, 'INVALID_HEADER_NAME'],
    ['a header value with a newline', { headers: { 'x-a': 'a\nb' } }, 'INVALID_HEADER_VALUE'],
    ['a header value beyond latin-1', { headers: { 'x-a': '\u0100' } }, 'INVALID_HEADER_VALUE'],
    ['GET with a body', { body: 'x' }, 'BODY_NOT_ALLOWED'],
    ['HEAD with a body', { method: 'head', body: 'x' }, 'BODY_NOT_ALLOWED'],
    ['an unknown browser', { browser: 'safari' as never }, 'INVALID_OPTION'],
    ['a timeout of 0', { timeoutMs: 0 }, 'INVALID_OPTION'],
    ['21 redirects', { maxRedirects: 21 }, 'INVALID_OPTION'],
  ] as const)('refuses %s', (_name, over, code) => {
    expect(inputError(over as Partial<CheckOptions>)).toBe(code);
  });

  it('says what to fix, prefixed with corsproof', () => {
    expect(() => plan({ origin: 'https://app.example/' })).toThrow(
      /^corsproof: "https:\/\/app\.example\/" is not an origin: .*trailing/,
    );
  });

  it('normalizes the origin as a browser serializes it, and drops the fragment', () => {
    const resolved = resolveOptions({ url: `${URL_}#top`, origin: 'HTTPS://App.Example:443' });
    expect(resolved.origin).toBe('https://app.example');
    expect(resolved.originAsGiven).toBe('HTTPS://App.Example:443');
    expect(resolved.url.href).toBe(URL_);
  });

  it('accepts the opaque origin null', () => {
    expect(plan({ origin: 'null' }).origin).toBe('null');
  });
});

describe('method normalization (fetch.bs "normalize")', () => {
  it.each([
    ['get', 'GET'],
    ['Post', 'POST'],
    ['delete', 'DELETE'],
    ['options', 'OPTIONS'],
    ['patch', 'patch'],
    ['PATCH', 'PATCH'],
    ['custom', 'custom'],
  ])('%s becomes %s', (method, expected) => {
    expect(plan({ method }).method).toBe(expected);
  });
});

describe('forbidden request headers are dropped, not sent', () => {
  it.each([
    'Cookie',
    'Host',
    'Origin',
    'Referer',
    'Content-Length',
    'Connection',
    'Access-Control-Request-Method',
    'Sec-Fetch-Site',
    'Proxy-Authorization',
    'Keep-Alive',
  ])('%s', (name) => {
    const p = plan({ headers: [[name, 'x']] });
    expect(p.headers).toEqual([]);
    expect(p.dropped).toEqual([{ name, value: 'x' }]);
    expect(p.preflight.needed).toBe(false);
  });

  it('drops a method-override header only when it names a forbidden method', () => {
    expect(plan({ headers: { 'X-HTTP-Method-Override': 'TRACE' } }).dropped).toHaveLength(1);
    expect(plan({ headers: { 'X-HTTP-Method-Override': 'PUT' } }).unsafeHeaderNames).toEqual([
      'x-http-method-override',
    ]);
  });
});

describe('header lists', () => {
  it('trims values and combines same names into one line, as Chromium does', () => {
    const p = plan({
      headers: [
        ['X-A', ' 1 '],
        ['x-a', '2'],
        ['Accept', 'a'],
      ],
    });
    expect(p.headers).toEqual([
      ['X-A', '1, 2'],
      ['Accept', 'a'],
    ]);
  });

  it('judges combined values: two safelisted Content-Types make an unsafe one', () => {
    expect(
      needsPreflight({
        method: 'POST',
        headers: [
          ['Content-Type', 'text/plain'],
          ['Content-Type', 'text/plain'],
        ],
      }),
    ).toBe(true);
  });

  it('judges each line in Firefox, which sends only the first Content-Type', () => {
    const p = plan(
      {
        method: 'POST',
        headers: [
          ['Content-Type', 'text/plain'],
          ['Content-Type', 'multipart/form-data'],
          ['Accept', 'a'],
          ['Accept', 'b'],
        ],
      },
      FIREFOX,
    );
    expect(p.preflight.needed).toBe(false);
    expect(p.headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['Accept', 'a, b'],
    ]);
    const htmlToo = [
      ['Content-Type', 'text/plain'],
      ['Content-Type', 'text/html'],
    ] as [string, string][];
    expect(plan({ method: 'POST', headers: htmlToo }, FIREFOX).unsafeHeaderNames).toEqual([
      'content-type',
    ]);
  });

  it('has no 1024-byte total in Firefox (twenty 128-byte Accept lines, measured)', () => {
    const headers = Array.from({ length: 20 }, (): [string, string] => ['Accept', 'a'.repeat(128)]);
    expect(needsPreflight({ headers }, FIREFOX)).toBe(false);
    expect(needsPreflight({ headers }, CHROMIUM)).toBe(true);
  });

  it('gives a string body the Content-Type text/plain;charset=UTF-8', () => {
    const p = plan({ method: 'POST', body: 'hi' });
    expect(p.headers).toEqual([['Content-Type', 'text/plain;charset=UTF-8']]);
    expect(p.preflight.needed).toBe(false);
  });

  it('keeps the page Content-Type over the default', () => {
    expect(
      plan({ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).headers,
    ).toEqual([['content-type', 'application/json']]);
  });
});

describe('preflight triggers (WPT cors-no-preflight, cors-preflight-not-cors-safelisted)', () => {
  const noPreflight: [string, Partial<CheckOptions>][] = [
    ['GET', {}],
    ['HEAD', { method: 'HEAD' }],
    ['POST', { method: 'POST' }],
    ['Accept', { headers: { Accept: 'application/json' } }],
    ['Accept-Language', { headers: { 'Accept-Language': 'fr-FR, en;q=0.5' } }],
    ['Content-Language', { headers: { 'Content-Language': 'de' } }],
    ['text/plain', { method: 'POST', headers: { 'Content-Type': 'text/plain' } }],
    ['Text/Plain', { method: 'POST', headers: { 'Content-Type': 'Text/Plain' } }],
    [
      'text/plain;charset=utf-8',
      { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=utf-8' } },
    ],
    [
      'form-urlencoded',
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
    ],
    [
      'multipart with boundary',
      { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' } },
    ],
    ['Range bytes=0-', { headers: { Range: 'bytes=0-' } }],
    ['Range bytes=1-2', { headers: { Range: 'bytes=1-2' } }],
    ['Accept of 128 bytes', { headers: { Accept: 'a'.repeat(128) } }],
  ];
  it.each(noPreflight)('%s needs no preflight', (_name, over) => {
    expect(needsPreflight(over)).toBe(false);
  });

  const preflight: [string, Partial<CheckOptions>, string][] = [
    ['PUT', { method: 'PUT' }, 'PUT is not GET, HEAD or POST'],
    ['patch', { method: 'patch' }, 'sends it as written ("patch", not "PATCH")'],
    ['accept: "', { headers: { Accept: '"' } }, 'unsafe'],
    ['accept of 129 bytes', { headers: { Accept: 'a'.repeat(129) } }, '129 bytes long'],
    ['accept-language: @', { headers: { 'Accept-Language': '@' } }, 'may only hold'],
    [
      'authorization',
      { headers: { Authorization: 'Bearer x' } },
      'Authorization is never safelisted',
    ],
    [
      'content-type: text/html',
      { headers: { 'Content-Type': 'text/html' } },
      'is not application/x-www-form-urlencoded',
    ],
    [
      'content-type: application/json',
      { headers: { 'Content-Type': 'application/json' } },
      'application/json',
    ],
    [
      'long text/plain',
      { headers: { 'Content-Type': `text/plain; long=${'a'.repeat(120)}` } },
      'bytes long',
    ],
    ['range: bytes 0-', { headers: { Range: 'bytes 0-' } }, 'bytes=N-'],
    ['range: bytes=-500 (suffix)', { headers: { Range: 'bytes=-500' } }, 'bytes=N-'],
    ['test: hi', { headers: { test: 'hi' } }, 'test is not a CORS-safelisted request header'],
  ];
  it.each(preflight)('%s needs a preflight, and the plan says why', (_name, over, why) => {
    const p = plan(over);
    expect(p.preflight.needed).toBe(true);
    if (p.preflight.needed)
      expect(p.preflight.triggers.map((t) => t.detail).join(' ')).toContain(why);
  });

  it('lists the unsafe names lower-cased, sorted, de-duplicated', () => {
    expect(
      plan({
        headers: [
          ['X-B', '1'],
          ['x-a', '2'],
          ['Content-Type', 'text/html'],
        ],
      }).unsafeHeaderNames,
    ).toEqual(['content-type', 'x-a', 'x-b']);
  });

  it('makes every safelisted header unsafe past the 1024-byte budget (Chromium client hints)', () => {
    const headers: [string, string][] = [
      ['Accept', 'a'.repeat(128)],
      ['Accept-Language', 'a'.repeat(128)],
      ['Content-Language', 'a'.repeat(128)],
      ['Intervention', 'a'.repeat(128)],
      ['Width', '1'.repeat(128)],
      ['Viewport-Width', '1'.repeat(128)],
      ['RTT', '1'.repeat(128)],
      ['DPR', '1'.repeat(128)],
    ];
    expect(needsPreflight({ headers })).toBe(false);
    const over = plan({ headers: [...headers, ['Device-Memory', '12']] });
    expect(over.unsafeHeaderNames).toHaveLength(9);
    if (over.preflight.needed)
      expect(over.preflight.triggers[0]?.detail).toContain('1024-byte budget');
  });
});

describe('browser differences: client hints (notes 1.2)', () => {
  it.each([
    ['DPR', '2'],
    ['Device-Memory', '0.5'],
    ['Width', '100'],
    ['Viewport-Width', '100'],
    ['RTT', '50'],
    ['Downlink', '1.5'],
    ['ECT', '4g'],
    ['Save-Data', 'on'],
    ['Intervention', '<anything>'],
  ])('%s: %s is safelisted by Chromium, not by Firefox', (name, value) => {
    expect(needsPreflight({ headers: { [name]: value } }, CHROMIUM)).toBe(false);
    expect(needsPreflight({ headers: { [name]: value } }, FIREFOX)).toBe(true);
  });

  it.each([
    ['DPR', '2.'],
    ['Width', '1.5'],
    ['RTT', '5.5'],
    ['ECT', '4G'],
    ['Save-Data', 'off'],
  ])('%s: %s fails the value grammar, even in Chromium', (name, value) => {
    expect(needsPreflight({ headers: { [name]: value } }, CHROMIUM)).toBe(true);
  });
});

describe('same-origin', () => {
  it('is noted, with the preflight still planned for a later cross-origin hop', () => {
    const p = plan({ origin: 'https://api.example', method: 'PUT' });
    expect(p.sameOrigin).toBe(true);
    expect(p.preflight.needed).toBe(true);
  });
});
