import type { HeaderEntry } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import type { Step } from '../check/index.js';
import type { Leg } from './legs.js';
import { taintedOriginNull } from './tainted-origin.js';

const TRUSTED = 'https://app.example';
const A = 'https://api.example/x';
const B = 'https://data.example/x';

function step(
  hop: number,
  url: string,
  origin: string,
  status: number,
  headers: HeaderEntry[],
): Step {
  return {
    kind: 'request',
    hop,
    request: { method: 'GET', url, headers: [['Origin', origin]], body: null },
    curl: '',
    outcome: 'response',
    response: {
      status,
      statusText: '',
      headers,
      body: { bytes: 0, truncated: false, preview: '' },
      timeMs: 0,
    },
    cors: 'passed',
    decisiveHeaders: [],
    redirectTo: null,
  };
}

/** The trusted origin's GET: A redirects to B, B's answer is `final`. */
function chain(finalOrigin: string, final: HeaderEntry[], passes = true): Leg {
  const steps = [
    step(0, A, TRUSTED, 307, [
      ['Location', B],
      ['Access-Control-Allow-Origin', TRUSTED],
    ]),
    step(1, B, finalOrigin, 200, final),
  ];
  const last = steps[1] as Step & { outcome: 'response' };
  return {
    summary: {
      method: 'GET',
      requestMethod: null,
      sent: true,
      status: 200,
      acao: null,
      acac: null,
      vary: null,
      acam: null,
      acah: null,
      maxAge: null,
      location: null,
      redirects: 1,
      passes: { omit: passes, include: passes, wildcard: false },
      failure: null,
      error: null,
    },
    evidence: [],
    final: last.response,
    answer: null,
    preflight: null,
    result: { verdict: 'allowed', steps } as unknown as Leg['result'],
    error: null,
    requests: 2,
  };
}

describe('taintedOriginNull', () => {
  it('reports an endpoint behind a cross-origin redirect that allows null, raised with credentials', () => {
    const f = taintedOriginNull(
      TRUSTED,
      chain('null', [
        ['Access-Control-Allow-Origin', 'null'],
        ['Access-Control-Allow-Credentials', 'true'],
      ]),
    );
    expect(f?.id).toBe('tainted-origin-null');
    expect(f?.severity).toBe('high');
    expect(f?.message).toContain(`redirected (307) from ${A} to ${B}`);
  });

  it('is medium without credentials', () => {
    const f = taintedOriginNull(TRUSTED, chain('null', [['Access-Control-Allow-Origin', 'null']]));
    expect(f?.severity).toBe('medium');
  });

  it('leaves * at the end to wildcard-origin', () => {
    expect(
      taintedOriginNull(TRUSTED, chain('null', [['Access-Control-Allow-Origin', '*']])),
    ).toBeNull();
  });

  it('does not report a redirect that kept the origin (no taint)', () => {
    expect(
      taintedOriginNull(TRUSTED, chain(TRUSTED, [['Access-Control-Allow-Origin', 'null']], false)),
    ).toBeNull();
  });
});
