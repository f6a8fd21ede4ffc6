/**
 * The pool's proxy and TLS options (curl's --proxy, --cacert, -k): requests go the way asked, and
 * the curl commands say so, so a reader who runs them goes the same way.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { check } from './check.js';
import { CheckInputError } from './errors.js';
import { createCheckDispatcher } from './transport.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../service/guard/__fixtures__/${name}`, import.meta.url));

const ORIGIN = 'https://app.example';
const servers: (http.Server | https.Server)[] = [];
const tunnels: string[] = [];
let target = '';
let tlsPort = 0;
let proxy = '';

async function listen<S extends http.Server | https.Server>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const answer = (_: http.IncomingMessage, res: http.ServerResponse) =>
  res.writeHead(200, { 'access-control-allow-origin': '*' }).end('ok');

beforeAll(async () => {
  target = `http://127.0.0.1:${await listen(http.createServer(answer))}`;
  tlsPort = await listen(
    https.createServer(
      { cert: fixture('rebind.test.crt'), key: fixture('rebind.test.key') },
      answer,
    ),
  );
  // A forward proxy that tunnels CONNECT and forwards absolute-form requests, logging both.
  const forward = http.createServer((req, res) => {
    tunnels.push(`GET ${req.url}`);
    const upstream = http.request(
      req.url ?? '',
      { method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  forward.on('connect', (req, socket, head) => {
    tunnels.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  proxy = `http://127.0.0.1:${await listen(forward)}`;
});

afterAll(async () => {
  await Promise.all(
    servers.map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

afterEach(() => {
  tunnels.length = 0;
});

describe('createCheckDispatcher with a proxy', () => {
  it('sends through the proxy given, and the curl commands name it', async () => {
    const dispatcher = createCheckDispatcher({ proxy });
    try {
      const result = await check({ url: `${target}/x`, origin: ORIGIN, dispatcher });
      expect(result.verdict).toBe('allowed');
      expect(tunnels.join(' ')).toContain(new URL(target).host);
      expect(result.curl[0]).toMatch(new RegExp(`^curl -sS -i --proxy '?${proxy}'? `));
    } finally {
      await dispatcher.close();
    }
  });

  it("takes the environment's HTTP_PROXY for 'env', and none when it is unset", async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy;
    const viaEnv = createCheckDispatcher({ proxy: 'env' });
    try {
      expect(
        (await check({ url: `${target}/x`, origin: ORIGIN, dispatcher: viaEnv })).verdict,
      ).toBe('allowed');
      expect(tunnels.length).toBeGreaterThan(0);
    } finally {
      await viaEnv.close();
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    tunnels.length = 0;
    const direct = createCheckDispatcher({ proxy: 'env' });
    try {
      await check({ url: `${target}/x`, origin: ORIGIN, dispatcher: direct });
      expect(tunnels).toEqual([]);
    } finally {
      await direct.close();
    }
  });

  it('refuses --resolve with a proxy, which resolves the names itself', () => {
    expect(() => createCheckDispatcher({ proxy, resolve: { 'api.example': '127.0.0.1' } })).toThrow(
      CheckInputError,
    );
  });
});

describe('createCheckDispatcher with TLS options', () => {
  const url = () => `https://rebind.test:${tlsPort}/x`;
  const resolve = { 'rebind.test': '127.0.0.1' };

  it('refuses a self-signed certificate by default, as a browser does', async () => {
    const dispatcher = createCheckDispatcher({ resolve });
    try {
      const result = await check({ url: url(), origin: ORIGIN, dispatcher });
      expect(result.verdict === 'error' && result.error.code).toBe('TLS_ERROR');
    } finally {
      await dispatcher.close();
    }
  });

  it('trusts it with --cacert, and the curl commands carry --cacert', async () => {
    const ca = { pem: fixture('rebind.test.crt'), file: 'certs/dev ca.pem' };
    const dispatcher = createCheckDispatcher({ resolve, ca });
    try {
      const result = await check({ url: url(), origin: ORIGIN, dispatcher });
      expect(result.verdict).toBe('allowed');
      expect(result.curl[0]).toContain("--cacert 'certs/dev ca.pem'");
      expect(result.curl[0]).toContain('--resolve');
    } finally {
      await dispatcher.close();
    }
  });

  it('accepts any certificate with -k, and says -k in the curl commands', async () => {
    const dispatcher = createCheckDispatcher({ resolve, insecure: true });
    try {
      const result = await check({ url: url(), origin: ORIGIN, dispatcher });
      expect(result.verdict).toBe('allowed');
      expect(result.curl[0]).toMatch(/^curl -sS -i -k /);
    } finally {
      await dispatcher.close();
    }
  });
});
