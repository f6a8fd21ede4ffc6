/**
 * End to end on loopback only: every server listens on 127.0.0.1, and every name a test uses is
 * resolved by an injected lookup, so nothing here reaches another host.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type Agent, fetch, request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGuardedDispatcher, createGuardedLookup } from './dispatcher.js';
import { TargetRefusedError } from './refusal.js';
import type { LookupAddress, LookupFunction } from './resolver.js';

interface Seen {
  connections: number;
  requests: { host: string | undefined; url: string | undefined }[];
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const ok: Handler = (_req, res) => res.end('ok');

let server: Server;
let port = 0;
let seen: Seen = { connections: 0, requests: [] };
let handler: Handler = ok;
const dispatchers: Agent[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.requests.push({ host: req.headers.host, url: req.url });
    handler(req, res);
  });
  server.on('connection', () => {
    seen.connections += 1;
  });
  port = await listen(server);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = { connections: 0, requests: [] };
});

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.destroy()));
  server.closeAllConnections();
  handler = ok;
});

function listen(s: Server | HttpsServer): Promise<number> {
  return new Promise((resolve) => {
    s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
}

function guarded(options: Parameters<typeof createGuardedDispatcher>[0] = {}): Agent {
  const dispatcher = createGuardedDispatcher(options);
  dispatchers.push(dispatcher);
  return dispatcher;
}

/**
 * An injected lookup that answers from a script, one answer list per call, and counts calls. Past
 * the script it fails, so a test never connects anywhere by accident. Scripts that could connect
 * (private targets allowed, or a guard bug) only ever put 127.0.0.1 first.
 */
function scriptedLookup(...answers: string[][]): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const answer = answers[calls.length - 1];
    if (answer === undefined) throw new Error(`unexpected lookup #${calls.length} of ${hostname}`);
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

async function refusalOf(promise: Promise<unknown>): Promise<TargetRefusedError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  const refusal = TargetRefusedError.find(error);
  if (!refusal) throw new Error(`expected a TargetRefusedError, got ${String(error)}`);
  return refusal;
}

describe('createGuardedDispatcher', () => {
  it('refuses a loopback literal before any byte reaches the server', async () => {
    const error = await request(`http://127.0.0.1:${port}/`, { dispatcher: guarded() }).then(
      () => undefined,
      (err: unknown) => err,
    );
    // undici rejects with our error itself, not a wrapper.
    expect(error).toBeInstanceOf(TargetRefusedError);
    const refusal = error as TargetRefusedError;
    expect(refusal.code).toBe('CORSPROOF_TARGET_REFUSED');
    expect(refusal.refusal).toBe('NON_PUBLIC_ADDRESS');
    expect(refusal.address).toBe('127.0.0.1');
    expect(refusal.reason).toContain('--allow-private-targets');
    expect(seen.connections).toBe(0);
  });

  it('refuses an IPv6 loopback literal and a mapped one', async () => {
    const dispatcher = guarded();
    for (const host of ['[::1]', '[::ffff:127.0.0.1]']) {
      const refusal = await refusalOf(request(`http://${host}:${port}/`, { dispatcher }));
      expect(refusal.refusal).toBe('NON_PUBLIC_ADDRESS');
    }
    expect(seen.connections).toBe(0);
  });

  it('connects to a loopback literal when private targets are allowed', async () => {
    const res = await request(`http://127.0.0.1:${port}/x`, {
      dispatcher: guarded({ allowPrivateTargets: true }),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('ok');
    expect(seen.requests).toEqual([{ host: `127.0.0.1:${port}`, url: '/x' }]);
  });

  it('refuses a name the injected lookup resolves to loopback, without connecting', async () => {
    const lookup = scriptedLookup(['127.0.0.1']);
    const refusal = await refusalOf(
      request(`http://rebind.test:${port}/`, { dispatcher: guarded({ lookup }) }),
    );
    expect(refusal.refusal).toBe('NON_PUBLIC_ADDRESS');
    expect(refusal.hostname).toBe('rebind.test');
    expect(refusal.address).toBe('127.0.0.1');
    expect(lookup.calls).toEqual(['rebind.test']);
    expect(seen.connections).toBe(0);
  });

  it('refuses a name that resolves to a public and a loopback address', async () => {
    // Loopback first: were the guard broken, the socket would reach our server, not the public host.
    const lookup = scriptedLookup(['127.0.0.1', '93.184.216.34']);
    const refusal = await refusalOf(
      request(`http://mixed.test:${port}/`, { dispatcher: guarded({ lookup }) }),
    );
    expect(refusal.address).toBe('127.0.0.1');
    expect(seen.connections).toBe(0);
  });

  it('refuses localhost without asking the resolver', async () => {
    const lookup = scriptedLookup(['127.0.0.1']);
    const refusal = await refusalOf(
      request(`http://localhost:${port}/`, { dispatcher: guarded({ lookup }) }),
    );
    expect(refusal.refusal).toBe('NON_PUBLIC_HOSTNAME');
    expect(lookup.calls).toEqual([]);
    expect(seen.connections).toBe(0);
  });

  it('connects a name to the address it validated, keeping the name in Host', async () => {
    // rebind.test has no DNS record: reaching the server proves the socket used our answer.
    const lookup = scriptedLookup(['127.0.0.1']);
    const res = await request(`http://rebind.test:${port}/`, {
      dispatcher: guarded({ allowPrivateTargets: true, lookup }),
    });
    await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(seen.requests).toEqual([{ host: `rebind.test:${port}`, url: '/' }]);
  });

  it('keeps a connection pinned: a second request does not resolve again', async () => {
    // One socket per origin, so the second request waits for the first socket instead of opening
    // another; a second lookup would fail the request.
    const lookup = scriptedLookup(['127.0.0.1']);
    const dispatcher = guarded({ allowPrivateTargets: true, lookup, connectionsPerOrigin: 1 });
    for (let i = 0; i < 2; i++) {
      const res = await request(`http://rebind.test:${port}/${i}`, { dispatcher });
      await res.body.text();
      expect(res.statusCode).toBe(200);
    }
    expect(lookup.calls).toEqual(['rebind.test']);
    expect(seen.connections).toBe(1);
    expect(seen.requests.map((r) => r.host)).toEqual([
      `rebind.test:${port}`,
      `rebind.test:${port}`,
    ]);
  });

  it('resolves and validates again for every new connection', async () => {
    handler = (_req, res) => {
      res.setHeader('connection', 'close');
      res.end('ok');
    };
    // Each new connection asks the lookup again, so a rebinding meets a fresh validation (the
    // refusal of such a second answer is shown on createGuardedLookup below).
    const lookup = scriptedLookup(['127.0.0.1'], ['127.0.0.1']);
    const dispatcher = guarded({ allowPrivateTargets: true, lookup });
    for (let i = 0; i < 2; i++) {
      const res = await request(`http://rebind.test:${port}/`, { dispatcher });
      await res.body.text();
    }
    expect(lookup.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(seen.connections).toBe(2);
  });

  it('surfaces the refusal as the cause of fetch()’s TypeError', async () => {
    const error = await fetch(`http://127.0.0.1:${port}/`, { dispatcher: guarded() }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBeInstanceOf(TargetRefusedError);
    expect(seen.connections).toBe(0);
  });

  it('refuses a bad port even with private targets allowed', async () => {
    const refusal = await refusalOf(
      request('http://127.0.0.1:6000/', { dispatcher: guarded({ allowPrivateTargets: true }) }),
    );
    expect(refusal.refusal).toBe('BAD_PORT');
  });

  it('times out a target that never sends headers', async () => {
    handler = () => {};
    const error = await request(`http://127.0.0.1:${port}/`, {
      dispatcher: guarded({ allowPrivateTargets: true, headersTimeoutMs: 100 }),
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('aborts a response larger than maxResponseSize', async () => {
    handler = (_req, res) => res.end('x'.repeat(4096));
    const error = await request(`http://127.0.0.1:${port}/`, {
      dispatcher: guarded({ allowPrivateTargets: true, maxResponseSize: 1024 }),
    })
      .then((res) => res.body.text())
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
  });
});

describe('createGuardedDispatcher over TLS', () => {
  // A self-signed certificate for rebind.test, valid until 2126 (see __fixtures__).
  const fixture = (name: string) =>
    readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  const cert = fixture('rebind.test.crt');
  const key = fixture('rebind.test.key');
  let tlsServer: HttpsServer;
  let tlsPort = 0;
  const servernames: (string | false | null)[] = [];

  beforeAll(async () => {
    tlsServer = createTlsServer({ cert, key }, (req, res) => {
      servernames.push((req.socket as TLSSocket).servername);
      res.end(req.headers.host);
    });
    tlsPort = await listen(tlsServer);
  });

  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  });

  it('keeps the name for SNI, certificate check and Host while connecting to the pinned address', async () => {
    const lookup = scriptedLookup(['127.0.0.1']);
    const res = await request(`https://rebind.test:${tlsPort}/`, {
      dispatcher: guarded({ allowPrivateTargets: true, lookup, ca: cert }),
    });
    expect(await res.body.text()).toBe(`rebind.test:${tlsPort}`);
    expect(servernames).toEqual(['rebind.test']);
  });

  it('refuses the TLS target by address when private targets are off', async () => {
    const lookup = scriptedLookup(['127.0.0.1']);
    const refusal = await refusalOf(
      request(`https://rebind.test:${tlsPort}/`, { dispatcher: guarded({ lookup, ca: cert }) }),
    );
    expect(refusal.refusal).toBe('NON_PUBLIC_ADDRESS');
  });
});

describe('createGuardedLookup', () => {
  type Answer = { error: NodeJS.ErrnoException | null; address: unknown; family?: number };

  function call(
    hook: ReturnType<typeof createGuardedLookup>,
    options: { all?: boolean; family?: number },
  ): Promise<Answer> {
    return new Promise((resolve) => {
      hook('rebind.test', options, (error, address, family) => resolve({ error, address, family }));
    });
  }

  it('answers with every validated address when asked for all (autoSelectFamily)', async () => {
    const hook = createGuardedLookup({
      lookup: scriptedLookup(['93.184.216.34', '2606:4700::6810:85e5']),
    });
    expect(await call(hook, { all: true })).toEqual({
      error: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::6810:85e5', family: 6 },
      ],
      family: undefined,
    });
  });

  it('answers with the first address of the family asked for', async () => {
    const hook = createGuardedLookup({
      lookup: scriptedLookup(['93.184.216.34', '2606:4700::6810:85e5']),
    });
    expect(await call(hook, { family: 6 })).toEqual({
      error: null,
      address: '2606:4700::6810:85e5',
      family: 6,
    });
  });

  it('validates every resolution: a rebinding to loopback on the next connection is refused', async () => {
    const hook = createGuardedLookup({ lookup: scriptedLookup(['93.184.216.34'], ['127.0.0.1']) });
    expect((await call(hook, { all: true })).error).toBeNull();
    const second = await call(hook, { all: true });
    expect(second.error).toBeInstanceOf(TargetRefusedError);
    expect((second.error as TargetRefusedError).address).toBe('127.0.0.1');
  });

  it('passes DNS failures through unchanged', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND rebind.test'), {
      code: 'ENOTFOUND',
    });
    const hook = createGuardedLookup({ lookup: () => Promise.reject(failure) });
    expect((await call(hook, {})).error).toBe(failure);
  });
});
