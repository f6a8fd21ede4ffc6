/**
 * The auditor's special-character probes (src/audit/probes.ts) claim that WebKit, and only WebKit,
 * lets a page have an origin whose host holds these characters, so a sloppy matcher that trusts
 * `https://app.example.com!.attacker.example` matters for Safari users. Real WebKit is asked: a page
 * at `http://a<c>b.localhost:P` fetches a loopback server, and the `Origin` it sent is compared.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIAL_HOST_CHARACTERS } from '../../src/audit/probes.js';
import { launchWebKit, type WebKitHarness, webkitSkipReason } from './webkit.js';

const skipReason = webkitSkipReason();
if (skipReason) console.warn(`[webkit origins] ${skipReason}`);

describe.skipIf(skipReason !== undefined)('origins WebKit sends', () => {
  let webkit: WebKitHarness;
  let server: http.Server;
  let target: string;
  const origins = new Map<string, string | undefined>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      origins.set(req.url ?? '', req.headers.origin);
      res.writeHead(200, { 'access-control-allow-origin': '*' });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    webkit = await launchWebKit();
  }, 60_000);

  afterAll(async () => {
    await webkit?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each(SPECIAL_HOST_CHARACTERS.map(([c]) => [c] as const))(
    'a page at a host with %j has that origin',
    async (c) => {
      const host = `a${c}b.localhost`;
      const path = `/${encodeURIComponent(c)}`;
      const outcome = await webkit.fetch(`${target}${path}`, {}, { from: host });
      expect(outcome.ok).toBe(true);
      expect(origins.get(path)).toBe(`http://${host}:${webkit.pagePort}`);
    },
  );

  it('turns a host with ";" into an opaque origin, so no probe uses it', async () => {
    await webkit.fetch(`${target}/semicolon`, {}, { from: 'a;b.localhost' });
    expect(origins.get('/semicolon')).toBe('null');
    expect(SPECIAL_HOST_CHARACTERS.map(([c]) => c)).not.toContain(';');
  });
});
