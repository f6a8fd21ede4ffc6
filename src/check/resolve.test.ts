import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { check } from './check.js';
import { PinnedHosts } from './resolve.js';
import { createCheckDispatcher } from './transport.js';

const PAGE = 'http://127.0.0.1:1234';
let server: http.Server;
let tlsServer: https.Server;
let port = 0;
let tlsPort = 0;
let seen: http.IncomingHttpHeaders[] = [];
let serverNames: string[] = [];

/** A self-signed certificate for rebind.test, shared with the service guard's tests. */
const fixture = (name: string) =>
  readFileSync(new URL(`../service/guard/__fixtures__/${name}`, import.meta.url));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    const put = req.method === 'OPTIONS';
    res
      .writeHead(put ? 204 : 200, {
        'access-control-allow-origin': '*',
        ...(put ? { 'access-control-allow-methods': 'PUT' } : {}),
      })
      .end();
  });
  tlsServer = https.createServer({
    cert: fixture('rebind.test.crt'),
    key: fixture('rebind.test.key'),
    SNICallback: (name, callback) => {
      serverNames.push(name);
      callback(null, undefined);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  tlsPort = (tlsServer.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  tlsServer.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => tlsServer.close(r));
});

/** A pool with pinned names, closed after the test. */
const opened: Dispatcher[] = [];
function pinnedPool(resolve: Record<string, string>): Dispatcher {
  const dispatcher = createCheckDispatcher({ resolve });
  opened.push(dispatcher);
  return dispatcher;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dispatcher) => dispatcher.close()));
});

describe('createCheckDispatcher({ resolve })', () => {
  it('connects to the pinned address, keeping the name in the URL, Host and curl commands', async () => {
    seen = [];
    const dispatcher = pinnedPool({ 'API.corsproof.test': '127.0.0.1' });
    const url = `http://api.corsproof.test:${port}/x`;
    const result = await check({ url, origin: PAGE, method: 'PUT', dispatcher });
    expect(result.verdict).toBe('allowed');
    expect(seen.map((h) => h.host)).toEqual([
      `api.corsproof.test:${port}`,
      `api.corsproof.test:${port}`,
    ]);
    expect(result.steps[0]?.request.url).toBe(url);
    // Not a potentially trustworthy URL (plain http, a name that is not loopback): no fetch
    // metadata on the request; the Chromium preflight keeps only its mode.
    expect(Object.keys(seen[0] ?? {}).filter((n) => n.startsWith('sec-'))).toEqual([
      'sec-fetch-mode',
    ]);
    expect(Object.keys(seen[1] ?? {}).filter((n) => n.startsWith('sec-'))).toEqual([]);
    for (const command of result.curl) {
      expect(command).toMatch(
        new RegExp(`^curl -sS -i --resolve api\\.corsproof\\.test:${port}:127\\.0\\.0\\.1 `),
      );
    }
    expect(result.steps.map((s) => s.curl)).toEqual(result.curl);
  });

  it('pins a host:port only on that port, and that pin wins over the name', async () => {
    const dispatcher = pinnedPool({
      [`api.corsproof.test:${port}`]: '127.0.0.1',
      'api.corsproof.test': '127.0.0.9',
    });
    const on = await check({
      url: `http://api.corsproof.test:${port}/`,
      origin: PAGE,
      dispatcher,
    });
    expect(on.verdict).toBe('allowed');
    // Another port takes the name's pin, 127.0.0.9, where nothing listens (the servers listen
    // on 127.0.0.1 only): refused there, not a DNS failure and not the port's pin.
    const off = await check({
      url: `http://api.corsproof.test:${tlsPort}/`,
      origin: PAGE,
      dispatcher,
    });
    expect(off.verdict === 'error' && off.error.code).toBe('CONNECTION_REFUSED');
  });

  it('keeps the name for TLS: the server sees it as the SNI server name', async () => {
    serverNames = [];
    const dispatcher = pinnedPool({ 'rebind.test': '127.0.0.1' });
    const result = await check({
      url: `https://rebind.test:${tlsPort}/`,
      origin: 'https://app.example',
      dispatcher,
    });
    // The self-signed certificate is refused, as a browser would refuse it: but the handshake
    // reached our server under the pinned name.
    expect(result.verdict).toBe('error');
    if (result.verdict === 'error') expect(result.error.code).toBe('TLS_ERROR');
    expect(serverNames).toEqual(['rebind.test']);
    expect(result.curl[0]).toContain(`--resolve rebind.test:${tlsPort}:127.0.0.1 `);
  });

  it('warns about Local Network Access by the pinned address, not the name', async () => {
    const dispatcher = pinnedPool({ 'api.corsproof.test': '127.0.0.1' });
    const result = await check({
      url: `http://api.corsproof.test:${port}/`,
      origin: 'http://app.example.com',
      dispatcher,
    });
    expect(result.warnings.map((w) => w.code)).toContain('LOCAL_NETWORK_ACCESS');
    // WebKit does not ship Local Network Access: the note would be wrong there.
    const webkit = await check({
      url: `http://api.corsproof.test:${port}/`,
      origin: 'http://app.example.com',
      dispatcher,
      browser: 'webkit',
    });
    expect(webkit.warnings.map((w) => w.code)).not.toContain('LOCAL_NETWORK_ACCESS');
  });

  it('writes an IPv6 address in brackets in the curl --resolve, as curl reads it', async () => {
    const dispatcher = pinnedPool({ 'v6.corsproof.test': '::1' });
    const result = await check({
      url: 'https://v6.corsproof.test/x',
      origin: PAGE,
      dispatcher,
      timeoutMs: 2_000,
    });
    expect(result.curl[0]).toContain("--resolve 'v6.corsproof.test:443:[::1]' ");
  });

  it('matches names without regard to case or a final dot', () => {
    const pins = new PinnedHosts({ 'API.Example.com.': '203.0.113.7' });
    expect(pins.addressFor('api.example.com', 443)).toBe('203.0.113.7');
    expect(pins.addressFor('api.example.com.', 80)).toBe('203.0.113.7');
    expect(pins.addressFor('example.com', 443)).toBeNull();
  });

  it.each([
    [{ 'api.example.com': 'localhost' }, /not an IPv4 or IPv6 address/],
    [{ 'api.example.com:99999': '127.0.0.1' }, /not a host name or host:port/],
    [{ 'https://api.example.com': '127.0.0.1' }, /not a host name or host:port/],
    [{ '': '127.0.0.1' }, /not a host name or host:port/],
  ])('refuses %j with a message that names the entry', (map, message) => {
    expect(() => createCheckDispatcher({ resolve: map })).toThrow(message);
  });
});
