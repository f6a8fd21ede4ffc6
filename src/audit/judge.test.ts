import type { HeaderEntry } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import type { CorsStatus, Step } from '../check/index.js';
import { CHROMIUM } from '../check/index.js';
import { finalResponse, preflightPasses, readPasses } from './judge.js';

const ORIGIN = 'https://app.example';
const URL_ = 'https://api.example/x';

type Lines = readonly HeaderEntry[];

/** A step that got a response: a request hop (by default) or a preflight. */
function answered(
  responseHeaders: Lines,
  options: {
    kind?: 'preflight' | 'request';
    hop?: number;
    status?: number;
    requestHeaders?: Lines;
    cors?: CorsStatus;
  } = {},
): Step {
  const kind = options.kind ?? 'request';
  return {
    kind,
    hop: options.hop ?? 0,
    request: {
      method: kind === 'preflight' ? 'OPTIONS' : 'GET',
      url: URL_,
      headers: options.requestHeaders ?? [['Origin', ORIGIN]],
      body: null,
    },
    curl: '',
    outcome: 'response',
    response: {
      status: options.status ?? (kind === 'preflight' ? 204 : 200),
      statusText: '',
      headers: responseHeaders,
      body: { bytes: 0, truncated: false, preview: '' },
      timeMs: 1,
    },
    cors: options.cors ?? 'passed',
    decisiveHeaders: [],
    redirectTo: null,
  };
}

function failedToConnect(kind: 'preflight' | 'request' = 'request'): Step {
  return {
    kind,
    hop: 0,
    request: { method: 'GET', url: URL_, headers: [['Origin', ORIGIN]], body: null },
    curl: '',
    outcome: 'network-error',
    error: { code: 'CONNECTION_REFUSED', message: 'refused', detail: 'ECONNREFUSED' },
  };
}

const ECHO: HeaderEntry = ['Access-Control-Allow-Origin', ORIGIN];
const STAR: HeaderEntry = ['Access-Control-Allow-Origin', '*'];
const CRED: HeaderEntry = ['Access-Control-Allow-Credentials', 'true'];
const redirect = (location: string, extra: Lines = [ECHO]): Step =>
  answered([['Location', location], ...extra], { status: 302 });

describe('readPasses', () => {
  it.each<[string, readonly Step[], { omit: boolean; include: boolean; wildcard: boolean }]>([
    [
      'a reflected origin without credentials is readable only without credentials',
      [answered([ECHO])],
      { omit: true, include: false, wildcard: false },
    ],
    [
      'a reflected origin with Access-Control-Allow-Credentials: true is readable both ways',
      [answered([ECHO, CRED])],
      { omit: true, include: true, wildcard: false },
    ],
    [
      'a * is readable without credentials only, and says so',
      [answered([STAR])],
      { omit: true, include: false, wildcard: true },
    ],
    [
      'a * with credentials allowed is still unreadable with credentials',
      [answered([STAR, CRED])],
      { omit: true, include: false, wildcard: true },
    ],
    [
      'no Access-Control-Allow-Origin is readable in neither mode',
      [answered([])],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'another origin is readable in neither mode',
      [answered([['Access-Control-Allow-Origin', 'https://other.example'], CRED])],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'a chain that ends at a redirect is readable in neither mode',
      [redirect('https://elsewhere.example/')],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'a chain that ends in a network error is readable in neither mode',
      [failedToConnect()],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'no steps at all is readable in neither mode',
      [],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'every hop must pass: a redirect without credentials support limits the whole chain',
      [redirect('https://api.example/y'), answered([ECHO, CRED], { hop: 1 })],
      { omit: true, include: false, wildcard: false },
    ],
    [
      'a same-origin hop the checker did not CORS-check passes in both modes',
      [
        answered([['Location', URL_]], { status: 302, cors: 'not-applicable' }),
        answered([ECHO, CRED], { hop: 1 }),
      ],
      { omit: true, include: true, wildcard: false },
    ],
    [
      'a preflight that approves the request counts as a hop that passes',
      [
        answered([ECHO, CRED, ['Access-Control-Allow-Methods', 'PUT']], {
          kind: 'preflight',
          requestHeaders: [
            ['Origin', ORIGIN],
            ['Access-Control-Request-Method', 'PUT'],
          ],
        }),
        answered([ECHO, CRED]),
      ],
      { omit: true, include: true, wildcard: false },
    ],
    [
      'a preflight that refuses the method makes the chain unreadable',
      [
        answered([ECHO, ['Access-Control-Allow-Methods', 'POST']], {
          kind: 'preflight',
          requestHeaders: [
            ['Origin', ORIGIN],
            ['Access-Control-Request-Method', 'PUT'],
          ],
        }),
        answered([ECHO]),
      ],
      { omit: false, include: false, wildcard: false },
    ],
  ])('%s', (_, steps, passes) => {
    expect(readPasses(steps, CHROMIUM)).toEqual(passes);
  });
});

describe('preflightPasses', () => {
  const asking = (method: string, names?: string): Lines => [
    ['Origin', ORIGIN],
    ['Access-Control-Request-Method', method],
    ...(names === undefined ? [] : [['Access-Control-Request-Headers', names] as HeaderEntry]),
  ];

  it.each<[string, Step[], { omit: boolean; include: boolean; wildcard: boolean }]>([
    [
      'a preflight approving the method for the origin passes without credentials only',
      [
        answered([ECHO, ['Access-Control-Allow-Methods', 'PUT']], {
          kind: 'preflight',
          requestHeaders: asking('PUT'),
        }),
      ],
      { omit: true, include: false, wildcard: false },
    ],
    [
      'a preflight that also allows credentials passes in both modes',
      [
        answered([ECHO, CRED, ['Access-Control-Allow-Methods', 'PUT']], {
          kind: 'preflight',
          requestHeaders: asking('PUT'),
        }),
      ],
      { omit: true, include: true, wildcard: false },
    ],
    [
      'a * origin with * methods passes without credentials only, and says it is the wildcard',
      [
        answered([STAR, ['Access-Control-Allow-Methods', '*'], CRED], {
          kind: 'preflight',
          requestHeaders: asking('PUT'),
        }),
      ],
      { omit: true, include: false, wildcard: true },
    ],
    [
      'a preflight that does not list the method fails in both modes',
      [answered([ECHO, CRED], { kind: 'preflight', requestHeaders: asking('PUT') })],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'a preflight that does not list a requested header fails in both modes',
      [
        answered([ECHO, CRED, ['Access-Control-Allow-Methods', 'PUT']], {
          kind: 'preflight',
          requestHeaders: asking('PUT', 'content-type'),
        }),
      ],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'a non-2xx preflight fails in both modes',
      [
        answered([ECHO, CRED, ['Access-Control-Allow-Methods', 'PUT']], {
          kind: 'preflight',
          status: 403,
          requestHeaders: asking('PUT'),
        }),
      ],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'a preflight that got no response fails in both modes',
      [failedToConnect('preflight')],
      { omit: false, include: false, wildcard: false },
    ],
    [
      'a chain without a preflight has none that passes',
      [answered([ECHO, CRED])],
      { omit: false, include: false, wildcard: false },
    ],
  ])('%s', (_, steps, passes) => {
    expect(preflightPasses(steps, CHROMIUM)).toEqual(passes);
  });
});

describe('finalResponse', () => {
  it('is the last response when it is a request answered without a redirect', () => {
    const last = answered([ECHO], { hop: 1 });
    expect(finalResponse([redirect('https://api.example/y'), last])).toBe(
      last.outcome === 'response' ? last.response : undefined,
    );
  });

  it.each<[string, Step[]]>([
    ['no steps', []],
    ['a chain that ends at a redirect', [redirect('https://api.example/y')]],
    ['a chain that ends in a network error', [failedToConnect()]],
    ['a chain that ends at a preflight', [answered([ECHO], { kind: 'preflight' })]],
  ])('is null for %s', (_, steps) => {
    expect(finalResponse(steps)).toBeNull();
  });
});
