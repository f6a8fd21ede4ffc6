import type { OutgoingHttpHeader, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../policy/decision.js';
import { endPreflight, setDecisionHeaders } from './response.js';

/** The part of ServerResponse the adapter touches, backed by a Map. */
function fakeResponse(initial: Record<string, OutgoingHttpHeader> = {}) {
  const headers = new Map<string, OutgoingHttpHeader>(Object.entries(initial));
  const res = {
    statusCode: 200,
    ended: false,
    headers,
    setHeader(name: string, value: OutgoingHttpHeader) {
      headers.set(name.toLowerCase(), value);
      return res;
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase());
    },
    end() {
      res.ended = true;
      return res;
    },
  };
  return res;
}

/** The fake stands in for a ServerResponse: the adapter calls only what it implements. */
const asResponse = (fake: ReturnType<typeof fakeResponse>) => fake as unknown as ServerResponse;

const allowed: Decision = {
  kind: 'actual-allowed',
  headers: [
    ['access-control-allow-origin', 'https://a.example'],
    ['access-control-allow-credentials', 'true'],
  ],
  vary: 'Origin',
};

describe('setDecisionHeaders', () => {
  it('sets every header of the decision and the Vary', () => {
    const res = fakeResponse();
    setDecisionHeaders(asResponse(res), allowed);
    expect(Object.fromEntries(res.headers)).toEqual({
      'access-control-allow-origin': 'https://a.example',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
  });

  it.each([
    ['a string', 'Accept-Encoding', 'Accept-Encoding, Origin'],
    ['an array', ['Accept', 'Cookie'], 'Accept, Cookie, Origin'],
    ['a value already holding Origin', 'origin', 'origin'],
    ['a star', '*', '*'],
    ['a number', 5, '5, Origin'],
  ] as const)('merges its Vary into %s', (_what, existing, expected) => {
    const res = fakeResponse({ vary: existing as OutgoingHttpHeader });
    setDecisionHeaders(asResponse(res), allowed);
    expect(res.getHeader('vary')).toBe(expected);
  });

  it('leaves Vary alone for a decision that does not vary', () => {
    const res = fakeResponse({ vary: 'Accept' });
    setDecisionHeaders(asResponse(res), {
      kind: 'not-cors',
      headers: [['access-control-allow-origin', '*']],
      vary: null,
    });
    expect(res.getHeader('vary')).toBe('Accept');
    expect(res.getHeader('access-control-allow-origin')).toBe('*');
  });
});

describe('endPreflight', () => {
  it('ends a 204 without Content-Length', () => {
    const res = fakeResponse();
    endPreflight(asResponse(res), {
      kind: 'preflight-accepted',
      status: 204,
      headers: [['access-control-allow-origin', 'https://a.example']],
      vary: 'Origin, Access-Control-Request-Method',
    });
    expect(res.statusCode).toBe(204);
    expect(res.ended).toBe(true);
    expect(res.getHeader('content-length')).toBeUndefined();
    expect(res.getHeader('vary')).toBe('Origin, Access-Control-Request-Method');
  });

  it('ends any other status with Content-Length 0', () => {
    const res = fakeResponse();
    endPreflight(asResponse(res), {
      kind: 'preflight-refused',
      status: 403,
      headers: [],
      vary: 'Origin',
      reason: { code: 'origin-not-allowed', detail: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.getHeader('content-length')).toBe('0');
    expect(res.ended).toBe(true);
  });
});
