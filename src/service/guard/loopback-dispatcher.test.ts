/**
 * The `--demo` dispatcher on loopback only: the demo API listens on 127.0.0.1, and every name is
 * resolved by an injected lookup, so nothing here reaches another host.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLoopbackRoutingDispatcher } from './loopback-dispatcher.js';
import { TargetRefusedError } from './refusal.js';
import type { LookupFunction } from './resolver.js';

let server: Server;
let port = 0;
let dispatcher: ReturnType<typeof createLoopbackRoutingDispatcher> | undefined;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('demo'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(async () => {
  await dispatcher?.destroy();
  dispatcher = undefined;
  server.closeAllConnections();
});

/** A resolver with fixed answers; names it does not know fail as unknown. */
function answers(table: Record<string, string[]>): LookupFunction {
  return async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function outcome(url: string, lookup: LookupFunction): Promise<string> {
  dispatcher = createLoopbackRoutingDispatcher({ lookup, connectTimeoutMs: 500 });
  try {
    const res = await fetch(url, { dispatcher });
    return `${res.status} ${await res.text()}`;
  } catch (error) {
    const refused = TargetRefusedError.find(error);
    return refused === undefined ? `network error: ${String(error)}` : `refused: ${refused.reason}`;
  }
}

describe('the --demo dispatcher', () => {
  it('reaches a *.localhost name that resolves to loopback', async () => {
    const lookup = answers({ 'app.localhost': ['127.0.0.1'] });
    expect(await outcome(`http://app.localhost:${port}/`, lookup)).toBe('200 demo');
  });

  it('reaches loopback IP literals', async () => {
    expect(await outcome(`http://127.0.0.1:${port}/`, answers({}))).toBe('200 demo');
  });

  it.each([
    ['a private address', 'evil.localhost', ['10.255.255.1']],
    ['the metadata address', 'metadata.localhost', ['169.254.169.254']],
    ['loopback and a private address', 'mixed.localhost', ['127.0.0.1', '192.168.1.1']],
    ['a private address, for localhost itself', 'localhost', ['10.0.0.1']],
  ])('refuses a loopback name that resolves to %s, before connecting', async (_n, name, addrs) => {
    const result = await outcome(`http://${name}:${port}/`, answers({ [name]: addrs }));
    expect(result).toMatch(/^refused: corsproof: /);
    expect(result).toContain(addrs.at(-1));
  });
});
