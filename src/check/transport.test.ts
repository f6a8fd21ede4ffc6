import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentRequest } from './result.js';
import {
  createCheckDispatcher,
  exchange,
  MAX_BODY_BYTES,
  toNetworkError,
  wireHeaders,
} from './transport.js';

let server: http.Server;
let raw: net.Server;
let base: string;
let rawBase: string;
let dispatcher: Dispatcher;
const seen: { method: string; headers: string[]; body: string }[] = [];

/** Raw TCP answers, for responses node:http would refuse to write. */
const RAW_ANSWERS: Record<string, string> = {
  '/two-locations':
    'HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n',
  '/two-dispositions-then-locations':
    'HTTP/1.1 302 Found\r\nContent-Disposition: inline\r\ncontent-disposition: attachment\r\nLocation: /a\r\nLOCATION: /b\r\nContent-Length: 0\r\n\r\n',
  '/two-dispositions':
    'HTTP/1.1 200 OK\r\nContent-Disposition: inline\r\ncontent-disposition: attachment\r\nContent-Length: 0\r\n\r\n',
  '/same-location-twice':
    'HTTP/1.1 302 Found\r\nLocation: /a\r\nlocation:  /a \r\nContent-Length: 0\r\n\r\n',
  '/garbage': 'NOT HTTP AT ALL\r\n\r\n',
  '/early-hints':
    'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 2\r\n\r\nok',
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        headers: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      switch (req.url) {
        case '/dup':
          res.writeHead(200, [
            'Access-Control-Allow-Origin',
            'https://a.example',
            'access-control-allow-origin',
            '*',
            'X-Latin',
            'caf\u00e9',
          ]);
          return res.end('hello');
        case '/big':
          res.writeHead(200, { 'content-type': 'text/plain' });
          // Far more than the cap, in chunks: the exchange must stop reading.
          for (let i = 0; i < 64; i++) res.write('x'.repeat(16 * 1024));
          return res.end();
        case '/slow':
          return; // never answers
        case '/reset':
          req.socket.destroy();
          return;
        case '/huge-headers':
          res.writeHead(200, { 'x-big': 'a'.repeat(300 * 1024) });
          return res.end();
        default:
          res.writeHead(204);
          return res.end();
      }
    });
  });
  raw = net.createServer((socket) => {
    socket.once('data', (data) => {
      const path = data.toString('latin1').split(' ')[1] ?? '';
      socket.end(RAW_ANSWERS[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rawBase = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  dispatcher = createCheckDispatcher();
});

afterAll(async () => {
  await dispatcher.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => raw.close(r));
});

const get = (url: string, over: Partial<SentRequest> = {}): SentRequest => ({
  method: 'GET',
  url,
  headers: [],
  body: null,
  ...over,
});

describe('exchange', () => {
  it('keeps every header line as received, in order, with latin-1 bytes', async () => {
    const r = await exchange(dispatcher, get(`${base}/dup`), 5000);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.response.status).toBe(200);
    expect(r.response.headers.slice(0, 3)).toEqual([
      ['Access-Control-Allow-Origin', 'https://a.example'],
      ['access-control-allow-origin', '*'],
      ['X-Latin', 'caf\u00e9'],
    ]);
    expect(r.response.body).toEqual({ bytes: 5, truncated: false, preview: 'hello' });
  });

  it('sends the headers as given, duplicates and order kept, and the body as UTF-8', async () => {
    seen.length = 0;
    const request = get(`${base}/echo`, {
      method: 'PUT',
      headers: [
        ['X-B', '2'],
        ['X-A', '1'],
        ['x-a', '3'],
      ],
      body: 'caf\u00e9',
    });
    await exchange(dispatcher, request, 5000);
    const sent = seen[0];
    expect(sent?.method).toBe('PUT');
    expect(sent?.body).toBe('caf\u00e9');
    const names = sent?.headers.filter((_, i) => i % 2 === 0);
    expect(names).toEqual(['host', 'connection', 'X-B', 'X-A', 'x-a', 'content-length']);
    expect(wireHeaders(request)).toEqual([
      ['Host', new URL(base).host],
      ['X-B', '2'],
      ['X-A', '1'],
      ['x-a', '3'],
      ['Content-Length', '5'],
    ]);
  });

  it('reads at most 64 KiB of a body', async () => {
    const r = await exchange(dispatcher, get(`${base}/big`), 5000);
    expect(r.ok && r.response.body).toMatchObject({ bytes: MAX_BODY_BYTES, truncated: true });
  });

  it('ignores 1xx informational responses', async () => {
    const r = await exchange(dispatcher, get(`${rawBase}/early-hints`), 5000);
    expect(r.ok && r.response.status).toBe(200);
    expect(r.ok && r.response.headers).toContainEqual(['X-Final', '1']);
  });
});

describe('network errors come back as codes, never as exceptions', () => {
  it('TIMEOUT', async () => {
    const r = await exchange(dispatcher, get(`${base}/slow`), 200);
    expect(r).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
  });

  it('CONNECTION_REFUSED', async () => {
    const closed = net.createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((res) => closed.close(res));
    const r = await exchange(dispatcher, get(`http://127.0.0.1:${port}/`), 5000);
    expect(r).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
  });

  it('TLS_ERROR when the server does not speak TLS', async () => {
    const r = await exchange(dispatcher, get(`${base.replace('http:', 'https:')}/`), 5000);
    expect(r).toMatchObject({ ok: false, error: { code: 'TLS_ERROR' } });
  });

  it('CONNECTION_RESET', async () => {
    const r = await exchange(dispatcher, get(`${base}/reset`), 5000);
    expect(r).toMatchObject({ ok: false, error: { code: 'CONNECTION_RESET' } });
  });

  it('HEADERS_TOO_LARGE above 256 KiB', async () => {
    const r = await exchange(dispatcher, get(`${base}/huge-headers`), 5000);
    expect(r).toMatchObject({ ok: false, error: { code: 'HEADERS_TOO_LARGE' } });
  });

  it('INVALID_RESPONSE for something that is not HTTP', async () => {
    const r = await exchange(dispatcher, get(`${rawBase}/garbage`), 5000);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_RESPONSE' } });
  });

  it('INVALID_RESPONSE for two different Location headers, as Chromium refuses them', async () => {
    const r = await exchange(dispatcher, get(`${rawBase}/two-locations`), 5000);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'INVALID_RESPONSE', detail: expect.stringContaining('MULTIPLE_LOCATION') },
    });
  });

  it.each([
    ['/two-dispositions-then-locations', 'MULTIPLE_LOCATION'],
    ['/two-dispositions', 'MULTIPLE_CONTENT_DISPOSITION'],
  ])(
    'names the first conflicting header in Location, Content-Disposition order (%s)',
    async (path, code) => {
      const r = await exchange(dispatcher, get(`${rawBase}${path}`), 5000);
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'INVALID_RESPONSE', detail: expect.stringContaining(`_${code}:`) },
      });
    },
  );

  it('accepts the same Location twice, whatever the case and the whitespace', async () => {
    const r = await exchange(dispatcher, get(`${rawBase}/same-location-twice`), 5000);
    expect(r).toMatchObject({ ok: true, response: { status: 302 } });
  });

  it.each([
    ['ENOTFOUND', 'DNS_FAILURE'],
    ['EAI_AGAIN', 'DNS_FAILURE'],
    ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS_ERROR'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS_ERROR'],
    ['CERT_HAS_EXPIRED', 'TLS_ERROR'],
    ['EHOSTUNREACH', 'UNREACHABLE'],
    ['HPE_INVALID_CONSTANT', 'INVALID_RESPONSE'],
    ['SOMETHING_ELSE', 'NETWORK_ERROR'],
  ])('maps %s to %s', (code, expected) => {
    const error = Object.assign(new Error('x'), { code });
    expect(toNetworkError(error).code).toBe(expected);
    // undici wraps connect errors: the code may sit on `cause`.
    expect(toNetworkError(Object.assign(new Error('y'), { cause: { code } })).code).toBe(expected);
  });
});
