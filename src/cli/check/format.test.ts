import { describe, expect, it } from 'vitest';
import type { CheckResult, Step } from '../../check/index.js';
import { withFixSnippets } from '../../generate/index.js';
import { formatCheckResult, formatEmulationSummary } from './format.js';

const step: Step = {
  kind: 'preflight',
  hop: 0,
  request: {
    method: 'OPTIONS',
    url: 'https://api.example/x',
    headers: [
      ['Origin', 'https://app.example'],
      ['Access-Control-Request-Method', 'PUT'],
      ['User-Agent', 'ua'],
    ],
    body: null,
  },
  curl: 'curl -sS -i -X OPTIONS https://api.example/x',
  outcome: 'response',
  response: {
    status: 204,
    statusText: 'No Content',
    headers: [
      ['Access-Control-Allow-Origin', 'https://app.example'],
      ['Access-Control-Allow-Methods', 'GET'],
    ],
    body: { bytes: 0, truncated: false, preview: '' },
    timeMs: 1,
  },
  cors: 'failed',
  decisiveHeaders: ['access-control-allow-methods'],
  redirectTo: null,
};

const blocked: CheckResult = {
  browser: 'chromium',
  scope: 'full',
  plan: {
    url: 'https://api.example/x',
    origin: 'https://app.example',
    method: 'PUT',
    credentials: 'same-origin',
    headers: [],
    dropped: [],
    body: null,
    unsafeHeaderNames: [],
    sameOrigin: false,
    preflight: {
      needed: true,
      triggers: [{ kind: 'method', method: 'PUT', detail: 'PUT is not GET, HEAD or POST' }],
    },
  },
  steps: [step],
  curl: [step.curl],
  warnings: [{ code: 'LOCAL_NETWORK_ACCESS', message: 'a warning' }],
  preflightCache: null,
  emulation: null,
  verdict: 'blocked',
  allowed: false,
  failures: [
    {
      code: 'MethodDisallowedByPreflightResponse',
      step: 0,
      message: 'Access to fetch at ... Method PUT is not allowed',
      explanation: 'The preflight allowed "GET", not PUT.',
      failedParameter: 'PUT',
      fix: {
        summary: 'Add PUT to Access-Control-Allow-Methods.',
        where: 'preflight',
        header: { name: 'Access-Control-Allow-Methods', value: 'PUT' },
        policy: {
          origin: 'https://app.example',
          credentials: false,
          methods: ['PUT'],
          requestHeaders: [],
        },
      },
    },
  ],
};

describe('formatCheckResult', () => {
  it('starts with the verdict, walks the exchange, marks the decisive header, then the fix', () => {
    const text = formatCheckResult(blocked);
    const lines = text.split('\n');
    expect(lines[0]).toBe('BLOCKED  PUT https://api.example/x from https://app.example (Chromium)');
    // The engine checked is the one named, whichever it is.
    const webkit = formatCheckResult({ ...blocked, browser: 'webkit' }).split('\n')[0];
    expect(webkit).toBe('BLOCKED  PUT https://api.example/x from https://app.example (WebKit)');
    expect(text).toContain('  - PUT is not GET, HEAD or POST');
    expect(text).toContain('1. OPTIONS https://api.example/x  (preflight)');
    expect(text).toContain('   > Access-Control-Request-Method: PUT');
    expect(text).not.toContain('User-Agent');
    expect(text).toContain('   < Access-Control-Allow-Methods: GET  <-- decisive');
    expect(text).toMatch(/Fix: Add PUT[^\n]*\n\s+Access-Control-Allow-Methods: PUT/);
    expect(text).toContain('--fix-for');
    expect(text).toContain('curl -sS -i -X OPTIONS');
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked, and shows the snippets rendered by the generators', () => {
    const text = formatCheckResult(withFixSnippets(blocked, ['express']), {
      color: true,
      curl: false,
    });
    expect(text).toContain('\u001b[31m');
    expect(text).toContain('\u001b[1mexpress\u001b[22m (cors.mjs):');
    expect(text).toContain("import { cors } from 'corsproof/express';");
    expect(text).toContain("methods: ['PUT'],");
    expect(text).not.toContain('--fix-for');
    expect(text).not.toContain('curl -sS');
  });

  it("shows a target's warnings, and its error where it cannot express the fix", () => {
    const text = formatCheckResult(withFixSnippets(blocked, ['flask']));
    expect(text).toContain('flask (cors_settings.py):');
    expect(text).toMatch(/! flask: Flask answers preflights with its automatic OPTIONS response/);
    const insecure = {
      ...blocked,
      failures: [
        {
          ...blocked.failures[0],
          fix: {
            ...blocked.failures[0].fix,
            policy: {
              origin: 'http://app.example',
              credentials: true,
              methods: [],
              requestHeaders: [],
            },
          },
        },
      ],
    } as const;
    const refused = formatCheckResult(withFixSnippets(insecure, ['nginx']));
    expect(refused).toMatch(
      /\n {2}nginx: corsproof: the CORS policy has a problem:\n {4}- origins\[0\].*dangerouslyAllowInsecureOrigins/,
    );
    expect(refused).not.toContain('nginx (cors.conf)');
  });
});

describe('formatEmulationSummary', () => {
  const { failures: _failures, ...common } = blocked;
  const allowed: CheckResult = {
    ...common,
    plan: { ...blocked.plan, method: 'GET' },
    verdict: 'allowed',
    allowed: true,
    response: null,
  };
  const post: CheckResult = { ...blocked, plan: { ...blocked.plan, method: 'POST' } };

  it('passes only when every probe passes, naming each', () => {
    expect(formatEmulationSummary("Galxe's CORS Check", [allowed, allowed])).toBe(
      "Galxe's CORS Check: PASSED (GET passed, GET passed)\n",
    );
    expect(formatEmulationSummary("Galxe's CORS Check", [allowed, post])).toBe(
      "Galxe's CORS Check: FAILED (GET passed, POST blocked)\n",
    );
  });
});
