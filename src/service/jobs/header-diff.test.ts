import { describe, expect, it } from 'vitest';
import type { Step } from '../../check/index.js';
import { corsHeaders, diffHeaders, isCorsRelevant } from './header-diff.js';

function step(kind: 'preflight' | 'request', status: number, headers: [string, string][]): Step {
  return {
    kind,
    hop: 0,
    request: { method: 'GET', url: 'https://x.example/', headers: [], body: null },
    curl: '',
    outcome: 'response',
    response: {
      status,
      statusText: '',
      headers,
      body: { bytes: 0, truncated: false, preview: '' },
      timeMs: 1,
    },
    cors: 'passed',
    decisiveHeaders: [],
    redirectTo: null,
  };
}

describe('header snapshots and diffs', () => {
  it('CORS-relevant headers are Access-Control-* and Vary', () => {
    expect(
      ['Access-Control-Allow-Origin', 'vary', 'ACCESS-CONTROL-MAX-AGE'].every(isCorsRelevant),
    ).toBe(true);
    expect(['Content-Type', 'Set-Cookie', 'X-Access-Control'].some(isCorsRelevant)).toBe(false);
  });

  it('a snapshot keeps the last preflight and the last request, lower-cased, lines joined', () => {
    const snapshot = corsHeaders({
      steps: [
        step('preflight', 204, [['Access-Control-Allow-Origin', '*']]),
        step('request', 301, [['Location', '/b']]),
        step('request', 200, [
          ['Access-Control-Allow-Origin', 'https://a.example'],
          ['access-control-allow-origin', 'https://b.example'],
          ['Content-Type', 'text/plain'],
        ]),
      ],
    });
    expect(snapshot).toEqual({
      preflight: { ':status': '204', 'access-control-allow-origin': '*' },
      response: {
        ':status': '200',
        'access-control-allow-origin': 'https://a.example, https://b.example',
      },
    });
  });

  it('a network error leaves its exchange empty', () => {
    const failed: Step = {
      kind: 'request',
      hop: 0,
      request: { method: 'GET', url: 'https://x.example/', headers: [], body: null },
      curl: '',
      outcome: 'network-error',
      error: { code: 'TIMEOUT', message: '', detail: '' },
    };
    expect(corsHeaders({ steps: [failed] })).toEqual({ preflight: {}, response: {} });
  });

  it('the diff lists added, removed and changed headers per exchange, sorted', () => {
    const before = {
      preflight: { ':status': '204', vary: 'Origin' },
      response: { 'access-control-allow-origin': '*' },
    };
    const after = {
      preflight: { ':status': '403' },
      response: { 'access-control-allow-origin': '*', vary: 'Origin' },
    };
    expect(diffHeaders(before, after)).toEqual([
      { exchange: 'preflight', name: ':status', before: '204', after: '403' },
      { exchange: 'preflight', name: 'vary', before: 'Origin', after: null },
      { exchange: 'response', name: 'vary', before: null, after: 'Origin' },
    ]);
    expect(diffHeaders(after, after)).toEqual([]);
    expect(diffHeaders(null, { preflight: {}, response: { vary: 'x' } })).toEqual([
      { exchange: 'response', name: 'vary', before: null, after: 'x' },
    ]);
  });
});
