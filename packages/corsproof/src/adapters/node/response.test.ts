import http, { type OutgoingHttpHeader, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../policy/decision.js';
import { endPreflight, setDecisionHeaders, writePreflight } from './response.js';

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

describe('writePreflight', () => {
  const accepted = Object.freeze({
    kind: 'preflight-accepted' as const,
    status: 204,
    headers: Object.freeze([
      Object.freeze(['access-control-allow-origin', 'https://a.example'] as const),
      Object.freeze(['access-control-allow-methods', 'PUT'] as const),
    ]),
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  });

  /** Answers one request with `answer` and returns the status and headers the client got. */
  async function answerWith(answer: (res: ServerResponse) => void) {
    const server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<{ status: number; headers: http.IncomingHttpHeaders }>(
        (resolve, reject) => {
          http
            .request({ port, host: '127.0.0.1', method: 'OPTIONS' }, (res) => {
              res
                .resume()
                .on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
            })
            .on('error', reject)
            .end();
        },
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  const cors = (headers: http.IncomingHttpHeaders) =>
    Object.fromEntries(
      Object.entries(headers).filter(
        ([n]) => n !== 'date' && n !== 'connection' && n !== 'keep-alive',
      ),
    );

  it('writes what endPreflight writes, for 204 and for other statuses', async () => {
    for (const decision of [
      accepted,
      { ...accepted, status: 200 },
      { ...accepted, status: 403, headers: [] },
    ]) {
      const fast = await answerWith((res) => writePreflight(res, decision));
      const slow = await answerWith((res) => endPreflight(res, decision));
      expect(fast.status).toBe(decision.status);
      expect(fast.status).toBe(slow.status);
      expect(cors(fast.headers)).toEqual(cors(slow.headers));
    }
  });

  it('merges a Vary set earlier, and keeps headers set earlier', async () => {
    const got = await answerWith((res) => {
      res.setHeader('vary', 'Accept-Encoding');
      res.setHeader('x-request-id', '7');
      writePreflight(res, accepted);
    });
    expect(got.headers.vary).toBe(
      'Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    );
    expect(got.headers['x-request-id']).toBe('7');
    expect(got.headers['access-control-allow-origin']).toBe('https://a.example');
  });

  it('falls back to setHeader on a response without writeHead', () => {
    const res = fakeResponse();
    writePreflight(asResponse(res), accepted);
    expect(res.ended).toBe(true);
    expect(res.statusCode).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
  });
});
