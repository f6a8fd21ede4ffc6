import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from './check.js';
import { pinnedLookup } from './resolve.js';
import { createCheckDispatcher } from './transport.js';

let server: http.Server;
let port = 0;
let seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('createCheckDispatcher({ resolve })', () => {
  it('connects to the pinned address and keeps the host name in the URL and Host', async () => {
    seen = [];
    const dispatcher = createCheckDispatcher({ resolve: { 'API.corsproof.test': '127.0.0.1' } });
    try {
      const url = `http://api.corsproof.test:${port}/x`;
      const result = await check({ url, origin: 'http://127.0.0.1:1234', dispatcher });
      expect(result.verdict).toBe('allowed');
      expect(seen[0]?.host).toBe(`api.corsproof.test:${port}`);
      expect(result.steps[0]?.request.url).toBe(url);
      // Not a potentially trustworthy URL (plain http, not loopback by name): no fetch metadata.
      expect(Object.keys(seen[0] ?? {}).filter((n) => n.startsWith('sec-'))).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });

  it('leaves other names to DNS', async () => {
    const lookup = pinnedLookup({ 'api.corsproof.test': '127.0.0.1' });
    const answer = await new Promise((resolve, reject) =>
      lookup('localhost', { all: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );
    expect(answer).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
    );
  });

  it('answers both the single-address and the all-addresses form net.connect uses', async () => {
    const lookup = pinnedLookup({ 'v6.corsproof.test': '::1' });
    const single = await new Promise((resolve) =>
      lookup('v6.corsproof.test', {}, (_, address, family) => resolve([address, family])),
    );
    const all = await new Promise((resolve) =>
      lookup('v6.corsproof.test.', { all: true }, (_, addresses) => resolve(addresses)),
    );
    expect(single).toEqual(['::1', 6]);
    expect(all).toEqual([{ address: '::1', family: 6 }]);
  });

  it.each([
    [{ 'api.example.com': 'localhost' }, /not an IPv4 or IPv6 address/],
    [{ 'api.example.com:443': '127.0.0.1' }, /not a host name/],
    [{ '': '127.0.0.1' }, /not a host name/],
  ])('refuses %j with a message that names the entry', (map, message) => {
    expect(() => createCheckDispatcher({ resolve: map })).toThrow(message);
  });
});
