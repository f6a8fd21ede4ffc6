import { describe, expect, it } from 'vitest';
import type { ConformCase } from './case.js';
import { compareOutcomes } from './compare.js';
import type { Outcome } from './outcome.js';

const CASE: ConformCase = {
  id: 'GET / https://evil.test',
  title: 'an origin',
  aspect: 'origin',
  probe: 'fetch',
  path: '/',
  pattern: null,
  origin: 'https://evil.test',
  method: 'GET',
  headers: [],
  credentials: 'omit',
  preflightOnly: false,
  exposeProbe: ['x-total-count', 'x-corsproof-unexposed'],
};

const ALLOWED: Outcome = {
  verdict: 'allowed',
  message: null,
  code: null,
  readable: ['x-total-count'],
  varyOrigin: true,
  preflightSeconds: null,
  curl: ['curl -sS -i http://127.0.0.1/'],
};

const BLOCKED: Outcome = {
  verdict: 'blocked',
  message: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  code: 'MissingAllowOriginHeader',
  readable: null,
  varyOrigin: true,
  preflightSeconds: null,
  curl: ['curl -sS -i http://127.0.0.1/'],
};

const kinds = (expected: Outcome, actual: Outcome) =>
  compareOutcomes(CASE, expected, actual).map((d) => d.kind);

describe('compareOutcomes', () => {
  it('finds nothing when the live outcome is the intended one', () => {
    expect(compareOutcomes(CASE, ALLOWED, ALLOWED)).toEqual([]);
    expect(compareOutcomes(CASE, BLOCKED, BLOCKED)).toEqual([]);
  });

  it('accepts a refusal for another reason than the intended one: the browser blocks both', () => {
    expect(kinds(BLOCKED, { ...BLOCKED, code: 'AllowOriginMismatch' })).toEqual([]);
  });

  it('reports an allowed origin the server refuses, with the browser message', () => {
    const [d] = compareOutcomes(CASE, ALLOWED, BLOCKED);
    expect(d?.kind).toBe('refused-but-policy-allows');
    expect(d?.expected).toBe('allowed');
    expect(d?.actual).toBe('blocked (MissingAllowOriginHeader)');
    expect(d?.message).toContain("No 'Access-Control-Allow-Origin' header");
    expect(d?.curl).toEqual(BLOCKED.curl);
  });

  it('reports a refused origin the server lets in', () => {
    const [d] = compareOutcomes(CASE, BLOCKED, ALLOWED);
    expect(d?.kind).toBe('allowed-but-policy-refuses');
    expect(d?.message).toBe(
      'the policy refuses https://evil.test, but the live server lets the page read the response',
    );
  });

  it('reports exposed headers hidden, and headers exposed beyond the policy', () => {
    expect(kinds(ALLOWED, { ...ALLOWED, readable: [] })).toEqual(['exposed-header-hidden']);
    expect(
      kinds(ALLOWED, { ...ALLOWED, readable: ['x-total-count', 'x-corsproof-unexposed'] }),
    ).toEqual(['header-exposed-beyond-policy']);
  });

  it('reports a missing Vary: Origin only where the intended answer varies', () => {
    expect(kinds(ALLOWED, { ...ALLOWED, varyOrigin: false })).toEqual(['vary-origin-missing']);
    expect(kinds({ ...ALLOWED, varyOrigin: false }, { ...ALLOWED, varyOrigin: true })).toEqual([]);
  });

  it('reports a preflight cached for another time than the policy gives', () => {
    const [d] = compareOutcomes(
      CASE,
      { ...ALLOWED, preflightSeconds: 600 },
      { ...ALLOWED, preflightSeconds: 5 },
    );
    expect(d?.kind).toBe('max-age-differs');
    expect([d?.expected, d?.actual]).toEqual(['preflight cached 600 s', 'preflight cached 5 s']);
  });

  it('reports no answer as a network error and nothing else', () => {
    const error: Outcome = {
      ...BLOCKED,
      verdict: 'error',
      code: 'CONNECTION_REFUSED',
      message: 'connection refused',
      varyOrigin: null,
    };
    expect(kinds(ALLOWED, error)).toEqual(['network-error']);
  });
});
