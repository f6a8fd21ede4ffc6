/**
 * The checker against targets that misbehave: each ends in the error a browser would give (or the
 * verdict it would reach), said in the right words, and nothing is left running.
 */
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, startHostileServer } from '../../test/hostile/targets.js';
import { check } from './check.js';
import type { CheckResult } from './result.js';
import { createCheckDispatcher } from './transport.js';

const PAGE = 'https://app.example';
// Far beyond the test's own timeout: a result that waited for one of these would fail the test.
const PATIENT = { timeoutMs: 600_000, deadlineMs: 3_600_000 };

let server: HostileServer;
let dispatcher: Dispatcher;

beforeAll(async () => {
  server = await startHostileServer();
  dispatcher = createCheckDispatcher({ connections: 4 });
});

afterAll(async () => {
  await dispatcher.destroy();
  await server.close();
});

function errorOf(result: CheckResult) {
  expect(result.verdict).toBe('error');
  return result.verdict === 'error' ? result.error : null;
}

describe('a connection reset', () => {
  it('before the response head is CONNECTION_RESET at once, not a timeout', async () => {
    for (const path of ['/reset', '/rst']) {
      const result = await check({ url: `${server.base}${path}`, origin: PAGE, ...PATIENT });
      expect(errorOf(result)).toMatchObject({
        code: 'CONNECTION_RESET',
        message: 'The connection was closed or reset before a complete response arrived.',
        step: 0,
      });
    }
  });

  it('in the middle of the body is CONNECTION_RESET, saying it came after the head', async () => {
    const result = await check({ url: `${server.base}/reset-mid-body`, origin: PAGE, ...PATIENT });
    const error = errorOf(result);
    expect(error?.code).toBe('CONNECTION_RESET');
    expect(error?.message).toMatch(/after the response headers, \d+ bytes into the body\)\.$/);
    expect(error?.detail).not.toMatch(/CORSPROOF_(TIMEOUT|DEADLINE)/);
  });
});

describe('an endless redirect loop', () => {
  it("is the browser's redirect-limit failure for every one of 16 checks at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, () =>
        check({ url: `${server.base}/loop/0`, origin: PAGE, dispatcher, ...PATIENT }),
      ),
    );
    for (const result of results) {
      expect(result.verdict).toBe('blocked');
      if (result.verdict !== 'blocked') continue;
      expect(result.failures[0]).toMatchObject({
        code: 'TooManyRedirects',
        message: 'Failed to load resource: net::ERR_TOO_MANY_REDIRECTS',
      });
      // fetch.bs "HTTP-redirect fetch" step 6: the 21st redirect is the network error, so 21
      // requests were sent (hops 0 to 20).
      expect(result.steps).toHaveLength(21);
    }
    // 336 requests through 4 connections: on a busy machine that takes a while.
  }, 120_000);

  it("is Firefox's failed CORS request in Firefox's words", async () => {
    const result = await check({
      url: `${server.base}/loop/0`,
      origin: PAGE,
      browser: 'firefox',
      dispatcher,
      ...PATIENT,
    });
    expect(result.verdict === 'blocked' && result.failures[0]).toMatchObject({
      code: 'TooManyRedirects',
      message: expect.stringContaining('(Reason: CORS request did not succeed)'),
    });
  });
});

describe('a target that drips a byte a second', () => {
  it("hits the whole check's deadline, names it, and cancels the request", async () => {
    const before = server.cancelled();
    const result = await check({
      url: `${server.base}/drip`,
      origin: PAGE,
      timeoutMs: 600_000,
      deadlineMs: 300,
    });
    const error = errorOf(result);
    expect(error?.code).toBe('TIMEOUT');
    expect(error?.message).toContain('ran past its deadline of 300 ms (deadlineMs, --deadline)');
    expect(error?.detail).toMatch(/^CORSPROOF_DEADLINE: /);
    // The server saw the connection close: the request was cancelled, not left running.
    await server.cancelledAtLeast(before + 1);
  });

  it('hits the per-request timeout when that comes first, and names it', async () => {
    const result = await check({ url: `${server.base}/drip`, origin: PAGE, timeoutMs: 300 });
    const error = errorOf(result);
    expect(error?.code).toBe('TIMEOUT');
    expect(error?.message).toContain('per-request timeout of 300 ms (timeoutMs, --timeout)');
    expect(error?.detail).toMatch(/^CORSPROOF_TIMEOUT: /);
  });

  it('keeps a complete head whose body is slow past the per-request timeout', async () => {
    const result = await check({ url: `${server.base}/drip-body`, origin: PAGE, timeoutMs: 300 });
    expect(result.verdict).toBe('allowed');
    const step = result.steps[0];
    expect(step?.outcome === 'response' && step.response.body.truncated).toBe(true);
  });

  it("ends a slow body at the whole check's deadline as a timeout", async () => {
    const result = await check({
      url: `${server.base}/drip-body`,
      origin: PAGE,
      timeoutMs: 600_000,
      deadlineMs: 300,
    });
    const error = errorOf(result);
    expect(error?.code).toBe('TIMEOUT');
    expect(error?.message).toContain('deadline of 300 ms');
    expect(error?.message).toContain('into the body');
  });
});

describe('other hostile answers', () => {
  it('refuses headers larger than a browser accepts', async () => {
    const result = await check({ url: `${server.base}/huge-headers`, origin: PAGE, ...PATIENT });
    expect(errorOf(result)?.code).toBe('HEADERS_TOO_LARGE');
  });

  it('reads 64 KiB of an endless body, judges the head, and hangs up', async () => {
    const before = server.cancelled();
    const result = await check({ url: `${server.base}/endless-body`, origin: PAGE, ...PATIENT });
    expect(result.verdict).toBe('allowed');
    const step = result.steps[0];
    expect(step?.outcome === 'response' && step.response.body).toMatchObject({
      bytes: 64 * 1024,
      truncated: true,
    });
    await server.cancelledAtLeast(before + 1);
  });
});

describe('deadlineMs', () => {
  it.each([0, -1, 1.5, 3_600_001, Number.NaN])('refuses %s, naming the option', async (value) => {
    await expect(
      check({ url: `${server.base}/`, origin: PAGE, deadlineMs: value }),
    ).rejects.toMatchObject({ name: 'CheckInputError', option: 'deadlineMs' });
  });
});
