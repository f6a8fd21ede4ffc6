/**
 * `check({ signal })`: an abort cancels the exchange in flight and rejects with the signal's
 * reason, as fetch() does, and however many checks share one signal it carries one listener.
 */
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent, Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { check } from './check.js';
import { CheckInputError } from './errors.js';
import type { CheckOptions } from './options.js';
import { createCheckDispatcher } from './transport.js';

const PAGE = 'https://app.example';

let server: http.Server;
let base = '';
let dispatcher: Dispatcher;
/** Requests the server has seen, and how many of their connections have closed. */
let arrived: string[] = [];
let closed = 0;
const waiters: (() => void)[] = [];
const closeWaiters: (() => void)[] = [];

beforeAll(async () => {
  // /ok answers at once; anything else hangs until the client gives up on it.
  server = http.createServer((req, res) => {
    if (req.url === '/ok') {
      res.writeHead(200, { 'access-control-allow-origin': '*' }).end('ok');
      return;
    }
    arrived.push(`${req.method} ${req.url}`);
    req.socket.once('close', () => {
      closed++;
      for (const wake of closeWaiters.splice(0)) wake();
    });
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dispatcher = createCheckDispatcher({ connections: 64 });
});

beforeEach(() => {
  arrived = [];
  closed = 0;
});

afterAll(async () => {
  await dispatcher.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Resolves once `n` connections of requests the server saw have closed. */
async function connectionsClosed(n: number): Promise<void> {
  while (closed < n) await new Promise<void>((wake) => closeWaiters.push(wake));
}

/** Resolves once the server has seen `n` requests. */
async function requestsArrived(n: number): Promise<void> {
  while (arrived.length < n) await new Promise<void>((wake) => waiters.push(wake));
}

function hanging(options: Partial<CheckOptions>) {
  return check({ url: `${base}/hang`, origin: PAGE, dispatcher, ...options });
}

describe('check() with an AbortSignal', () => {
  it('rejects with the reason of an already aborted signal and sends nothing', async () => {
    const reason = new Error('not now');
    await expect(hanging({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(arrived).toEqual([]);
  });

  it('still refuses bad arguments first, as fetch() does', async () => {
    await expect(
      hanging({ method: 'TRACE', signal: AbortSignal.abort(new Error('not now')) }),
    ).rejects.toBeInstanceOf(CheckInputError);
  });

  it.each([
    ['the actual request', { method: 'GET' }, 'GET /hang'],
    ['the preflight', { method: 'PUT' }, 'OPTIONS /hang'],
    ['an emulated checker’s preflight', { emulate: 'galxe', origin: undefined }, 'OPTIONS /hang'],
  ] as const)('cancels %s in flight and rejects with the reason', async (_, options, sent) => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = hanging({ ...options, signal: controller.signal, timeoutMs: 60_000 });
    await requestsArrived(1);
    const reason = new Error('user gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    // Long before the exchange's own 60 s timeout, and the connection is gone.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(arrived).toEqual([sent]);
    // Waits on the close event itself (the test's own timeout bounds it), then nothing more closed.
    await connectionsClosed(1);
    expect(closed).toBe(1);
  });

  it('stops a request undici starts only after the abort (aborted while connecting)', async () => {
    // A dispatcher that takes the request and starts it later, as undici does once connected.
    let start: (() => void) | undefined;
    let aborted: unknown;
    const slow = {
      dispatch(_options: unknown, handler: { onRequestStart?: (controller: object) => void }) {
        start = () => handler.onRequestStart?.({ abort: (reason: unknown) => (aborted = reason) });
        return true;
      },
    } as unknown as Agent;
    const controller = new AbortController();
    const reason = new Error('gave up while connecting');
    const pending = check({
      url: `${base}/x`,
      origin: PAGE,
      dispatcher: slow,
      signal: controller.signal,
    });
    await new Promise((r) => setImmediate(r));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    start?.();
    expect(aborted).toBeInstanceOf(Error);
  });

  it('keeps one abort listener on a signal shared by many checks in flight', async () => {
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const pending = Array.from({ length: 40 }, () =>
        hanging({ signal: controller.signal, timeoutMs: 60_000 }).then(
          () => 'resolved',
          (e: unknown) => e,
        ),
      );
      await requestsArrived(40);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      const reason = new Error('shutdown');
      controller.abort(reason);
      expect(await Promise.all(pending)).toEqual(Array(40).fill(reason));
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('gives the verdict as usual with a signal that does not abort', async () => {
    const controller = new AbortController();
    const result = await check({ url: `${base}/ok`, origin: PAGE, signal: controller.signal });
    expect(result.verdict).toBe('allowed');
  });

  it('refuses a signal that is not an AbortSignal, naming the option', async () => {
    const notASignal = { aborted: false } as unknown as AbortSignal;
    await expect(hanging({ signal: notASignal })).rejects.toMatchObject({
      name: 'CheckInputError',
      option: 'signal',
    });
  });
});
