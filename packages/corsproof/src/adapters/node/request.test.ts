import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { corsRequestFromNode, readCorsHeaders, readRequestMethodHeader } from './request.js';

describe('corsRequestFromNode', () => {
  it('reads the method and the CORS request headers', () => {
    const req = {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-a,x-b',
        'access-control-request-private-network': 'true',
      },
    };
    expect(corsRequestFromNode(req)).toEqual({
      method: 'OPTIONS',
      origin: 'https://app.example.com',
      requestMethod: 'PUT',
      requestHeaders: 'x-a,x-b',
      requestPrivateNetwork: 'true',
      raw: req,
    });
  });

  it('leaves absent headers undefined and defaults the method to GET', () => {
    expect(corsRequestFromNode({ headers: {} })).toMatchObject({
      method: 'GET',
      origin: undefined,
      requestMethod: undefined,
      requestHeaders: undefined,
    });
  });

  it('joins header lines given as an array with ", ", as Fetch "get" does', () => {
    const headers = { 'access-control-request-headers': ['x-a', 'x-b'] } as unknown as Record<
      string,
      string
    >;
    expect(corsRequestFromNode({ method: 'OPTIONS', headers }).requestHeaders).toBe('x-a, x-b');
  });

  it('keeps an empty header as an empty string, not as absent', () => {
    const r = corsRequestFromNode({ headers: { origin: '', 'access-control-request-method': '' } });
    expect(r.origin).toBe('');
    expect(r.requestMethod).toBe('');
  });

  it('hands a framework request to predicates as raw when given', () => {
    const framework = { tenant: 'acme' };
    expect(corsRequestFromNode({ headers: {} }, framework).raw).toBe(framework);
  });

  it('reads rawHeaders when the request has them, whatever the case of the names', () => {
    const req = {
      method: 'OPTIONS',
      headers: {},
      rawHeaders: [
        'Host',
        'api.example',
        'Origin',
        'https://app.example',
        'Access-Control-Request-Method',
        'PUT',
        'ACCESS-CONTROL-REQUEST-HEADERS',
        'x-a',
        'access-control-request-headers',
        'x-b',
      ],
    };
    expect(corsRequestFromNode(req)).toMatchObject({
      origin: 'https://app.example',
      requestMethod: 'PUT',
      requestHeaders: 'x-a, x-b',
      requestPrivateNetwork: undefined,
    });
    expect(readRequestMethodHeader(req.rawHeaders)).toBe('PUT');
    expect(readRequestMethodHeader(['Origin', 'x'])).toBeUndefined();
  });

  it('joins a repeated Origin with ", " as req.headers does, so it is refused as invalid', () => {
    expect(readCorsHeaders(['origin', 'https://a.example', 'Origin', 'https://b.example'])).toEqual(
      {
        origin: 'https://a.example, https://b.example',
        requestMethod: undefined,
        requestHeaders: undefined,
        requestPrivateNetwork: undefined,
      },
    );
  });

  it('reads from a real request exactly what req.headers holds', async () => {
    const seen: [unknown, unknown][] = [];
    const server = http.createServer((req, res) => {
      const fromRaw = corsRequestFromNode(req);
      const h = req.headers;
      seen.push([
        [
          fromRaw.origin,
          fromRaw.requestMethod,
          fromRaw.requestHeaders,
          fromRaw.requestPrivateNetwork,
        ],
        [
          h.origin,
          h['access-control-request-method'],
          h['access-control-request-headers'],
          h['access-control-request-private-network'],
        ],
      ]);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (headers: [string, string][]) =>
      new Promise<void>((resolve, reject) => {
        // A header list (not an object) keeps repeated lines apart; Node then adds no Host.
        const lines = [['Host', `127.0.0.1:${port}`], ...headers].flat();
        const req = http.request({ port, host: '127.0.0.1', method: 'OPTIONS', headers: lines });
        req.on('response', (res) => {
          if (res.statusCode !== 200) reject(new Error(`answered ${res.statusCode}`));
          res.resume().on('end', resolve);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      await send([
        ['Origin', 'https://app.example'],
        ['Access-Control-Request-Method', 'PUT'],
        ['Access-Control-Request-Headers', 'x-a'],
        ['access-control-request-headers', ' x-b '],
        ['Access-Control-Request-Private-Network', 'true'],
      ]);
      await send([['X-Other', '1']]);
      await send([
        ['origin', 'https://a.example'],
        ['origin', 'https://b.example'],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toHaveLength(3);
    for (const [fromRaw, fromHeaders] of seen) expect(fromRaw).toEqual(fromHeaders);
  });
});
