import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM, createCheckDispatcher } from '../check/index.js';
import {
  type LegContext,
  sendGet,
  sendPreflight,
  sendPrivateNetworkPreflight,
  sendWithoutOrigin,
} from './legs.js';

const TRUSTED = 'https://app.example';

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

let server: http.Server;
let base = '';
let dispatcher: Dispatcher;
let seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const origin = req.headers.origin;
    if (req.url === '/moved') {
      res.writeHead(302, {
        location: '/x',
        ...(origin ? { 'access-control-allow-origin': origin } : {}),
      });
      res.end();
      return;
    }
    res.setHeader('vary', 'Origin');
    res.setHeader('set-cookie', 'session=s3cret');
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      if (req.headers['access-control-request-private-network'] === 'true') {
        res.setHeader('access-control-allow-private-network', 'true');
      }
      res.setHeader('access-control-allow-methods', 'PUT');
      res.setHeader('access-control-allow-headers', 'content-type');
      res.setHeader('access-control-max-age', '600');
      res.writeHead(204).end();
      return;
    }
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dispatcher = createCheckDispatcher({ connections: 4 });
});

afterAll(async () => {
  await dispatcher.close();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

function context(path: string, overrides: Partial<LegContext> = {}): LegContext {
  return {
    url: new URL(`${base}${path}`),
    headers: [],
    cookie: null,
    credentials: false,
    browser: 'chromium',
    profile: CHROMIUM,
    timeoutMs: 5_000,
    dispatcher,
    signal: undefined,
    ...overrides,
  };
}

describe('sendGet', () => {
  it('sends one GET from the origin and sums up the answer', async () => {
    const leg = await sendGet(context('/x'), TRUSTED);
    expect(seen.map((r) => [r.method, r.headers.origin])).toEqual([['GET', TRUSTED]]);
    expect(leg.summary).toMatchObject({
      method: 'GET',
      requestMethod: null,
      sent: true,
      status: 200,
      acao: TRUSTED,
      acac: 'true',
      vary: 'Origin',
      location: null,
      redirects: 0,
      passes: { omit: true, include: true, wildcard: false },
      failure: null,
      error: null,
    });
    expect(leg.final?.status).toBe(200);
    expect(leg.preflight).toBeNull();
    expect(leg.requests).toBe(1);
    expect(leg.evidence.map((e) => e.label)).toEqual([`GET from ${TRUSTED}`]);
    // Size and type only: the body never goes into the record.
    expect(leg.answer).toEqual({ status: 200, bytes: 2, truncated: false, contentType: null });
  });

  it('follows a redirect and labels each hop of the evidence', async () => {
    const leg = await sendGet(context('/moved'), TRUSTED);
    expect(seen.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/moved'],
      ['GET', '/x'],
    ]);
    expect(leg.summary.redirects).toBe(1);
    expect(leg.requests).toBe(2);
    expect(leg.evidence.map((e) => e.label)).toEqual([
      `GET from ${TRUSTED}`,
      `GET from ${TRUSTED} (redirect hop 1)`,
    ]);
  });

  it('sends the session cookie with credentials, but never writes it into the evidence', async () => {
    const leg = await sendGet(
      context('/x', { credentials: true, cookie: 'session=s3cret' }),
      TRUSTED,
    );
    expect(seen[0]?.headers.cookie).toBe('session=s3cret');
    const [evidence] = leg.evidence;
    const cookie = evidence?.request.headers.find(([n]) => n.toLowerCase() === 'cookie');
    const setCookie = evidence?.response?.headers.find(([n]) => n.toLowerCase() === 'set-cookie');
    expect(cookie?.[1]).toBe('(redacted)');
    expect(setCookie?.[1]).toBe('(redacted)');
    expect(JSON.stringify(leg.evidence)).not.toContain('s3cret');
  });

  it('is a leg with an error, not an exception, when the target cannot be reached', async () => {
    const ctx = { ...context('/x'), url: new URL('http://127.0.0.1:59996/x') };
    const leg = await sendGet(ctx, TRUSTED);
    expect(leg.error?.code).toBe('CONNECTION_REFUSED');
    expect(leg.summary.error).toBe('CONNECTION_REFUSED');
    expect(leg.summary.passes).toEqual({ omit: false, include: false, wildcard: false });
    expect(leg.final).toBeNull();
  });
});

describe('sendPreflight', () => {
  it('sends only the preflight for the method, never the request itself', async () => {
    const leg = await sendPreflight(context('/x'), TRUSTED, 'PUT');
    expect(seen.map((r) => r.method)).toEqual(['OPTIONS']);
    expect(seen[0]?.headers['access-control-request-method']).toBe('PUT');
    expect(seen[0]?.headers['access-control-request-headers']).toBe('content-type');
    expect(leg.summary).toMatchObject({
      method: 'OPTIONS',
      requestMethod: 'PUT',
      status: 204,
      acam: 'PUT',
      acah: 'content-type',
      maxAge: '600',
      passes: { omit: true, include: true, wildcard: false },
    });
    expect(leg.preflight?.status).toBe(204);
    expect(leg.final).toBeNull();
    expect(leg.evidence.map((e) => e.label)).toEqual([`preflight from ${TRUSTED} for PUT`]);
  });

  it("replaces the page's header of the same name with the leg's own", async () => {
    const ctx = context('/x', {
      headers: [
        ['content-type', 'text/plain'],
        ['X-Trace', '1'],
      ],
    });
    await sendPreflight(ctx, TRUSTED, 'PATCH', [['Content-Type', 'application/json']]);
    expect(seen[0]?.headers['access-control-request-headers']).toBe('content-type,x-trace');
  });

  it('sends no Access-Control-Request-Headers when the leg adds no unsafe header', async () => {
    await sendPreflight(context('/x'), TRUSTED, 'DELETE', []);
    expect(seen[0]?.headers['access-control-request-headers']).toBeUndefined();
  });
});

describe('sendWithoutOrigin', () => {
  it("sends a GET without Origin, with the browser's User-Agent, and does not judge it", async () => {
    const leg = await sendWithoutOrigin(context('/x'));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.headers.origin).toBeUndefined();
    expect(seen[0]?.headers['user-agent']).toBe(CHROMIUM.userAgent);
    expect(leg.summary).toMatchObject({
      sent: true,
      status: 200,
      acao: null,
      vary: 'Origin',
      passes: { omit: false, include: false, wildcard: false },
    });
    expect(leg.final?.status).toBe(200);
    expect(leg.result).toBeNull();
    expect(leg.evidence.map((e) => e.label)).toEqual(['GET without Origin']);
  });

  it('does not follow a redirect: the Vary comparison is about this URL', async () => {
    const leg = await sendWithoutOrigin(context('/moved'));
    expect(seen.map((r) => r.path)).toEqual(['/moved']);
    expect(leg.final?.status).toBe(302);
  });

  it('sends the cookie only when the run has credentials, and redacts it', async () => {
    await sendWithoutOrigin(context('/x', { cookie: 'session=s3cret' }));
    const leg = await sendWithoutOrigin(
      context('/x', { cookie: 'session=s3cret', credentials: true }),
    );
    expect(seen.map((r) => r.headers.cookie)).toEqual([undefined, 'session=s3cret']);
    expect(JSON.stringify(leg.evidence)).not.toContain('s3cret');
  });

  it('throws the abort reason instead of reporting a cancelled request as evidence', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sendWithoutOrigin(context('/x', { signal: controller.signal }))).rejects.toBe(
      reason,
    );
  });
});

describe('sendPrivateNetworkPreflight', () => {
  it('asks as Chromium does before a private GET, and judges the answer per mode', async () => {
    const leg = await sendPrivateNetworkPreflight(context('/x'), TRUSTED);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('OPTIONS');
    expect(seen[0]?.headers).toMatchObject({
      origin: TRUSTED,
      'access-control-request-method': 'GET',
      'access-control-request-private-network': 'true',
    });
    expect(leg.summary.passes).toEqual({ omit: true, include: true, wildcard: false });
    expect(leg.preflight?.headers).toContainEqual(['access-control-allow-private-network', 'true']);
    expect(leg.evidence[0]?.label).toBe(`private network preflight from ${TRUSTED}`);
  });
});
