/**
 * Webhooks of monitor transitions, against a real receiver on loopback that fails twice and then
 * accepts. Backoff runs on the fake clock; the test waits for each send to finish, never for time.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookTransport } from '../../src/service/jobs/webhook-transport.js';
import type { WebhookSend } from '../../src/service/jobs/webhooks.js';
import {
  checkBody,
  createTestService,
  type FakeCheck,
  fakeCheckResult,
  settle,
  type TestService,
} from './helpers.js';

let service: TestService | undefined;
let receiver: http.Server | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

/** A receiver answering `statuses` in turn (then 200). */
async function startReceiver(statuses: number[]): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  receiver = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const status = statuses.shift() ?? 200;
      got.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got };
}

/** The real transport, telling the test when each send has finished. */
function observedTransport() {
  const real = createWebhookTransport('loopback');
  const waiters: (() => void)[] = [];
  let finished = 0;
  const send: WebhookSend = async (url, headers, body) => {
    try {
      return await real(url, headers, body);
    } finally {
      finished++;
      for (const wake of waiters.splice(0)) wake();
    }
  };
  /** Resolves once `n` sends have finished, and their outcome is stored. */
  const sends = async (n: number) => {
    while (finished < n) await new Promise<void>((resolve) => waiters.push(resolve));
    await settle();
  };
  return { send, sends };
}

const PASSING: FakeCheck = { verdict: 'allowed' };
const FAILING: FakeCheck = { verdict: 'blocked', response: [['Content-Type', 'text/plain']] };

async function setup(send: WebhookSend) {
  let behaviour = PASSING;
  const s = await createTestService({
    privateTargets: 'loopback',
    webhookSend: send,
    webhookRetry: { maxAttempts: 5, baseDelayMs: 1_000 },
  });
  service = s;
  s.runner.onCheck = (input) => fakeCheckResult(input, behaviour);
  const made = await s.app.inject({
    method: 'POST',
    url: '/api/monitors',
    payload: { ...checkBody(), intervalSeconds: 60 },
  });
  const id = made.json().id as string;
  await s.clock.advance(0);
  return { s, id, fail: () => (behaviour = FAILING) };
}

describe('monitor webhooks', () => {
  it('retries with backoff until the receiver accepts: delivered once, three attempts logged', async () => {
    const hook = await startReceiver([500, 503]);
    const { send, sends } = observedTransport();
    const { s, id, fail } = await setup(send);
    const secret = 'a-secret-of-sixteen-chars';
    const set = await s.app.inject({
      method: 'POST',
      url: `/api/monitors/${id}/webhook`,
      payload: { url: hook.url, secret },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ url: hook.url, format: 'json' });

    fail();
    await s.clock.advance(60_000);
    await sends(1);
    expect(hook.got.map((r) => r.status)).toEqual([500]);
    // Not before the backoff is over.
    await s.clock.advance(999);
    expect(hook.got).toHaveLength(1);
    await s.clock.advance(1);
    await sends(2);
    await s.clock.advance(2_000);
    await sends(3);
    expect(hook.got.map((r) => r.status)).toEqual([500, 503, 200]);
    await s.clock.advance(3_600_000);
    expect(hook.got.filter((r) => r.status === 200)).toHaveLength(1);

    const last = hook.got[2];
    const event = JSON.parse(last?.body ?? '{}');
    expect(event).toMatchObject({
      type: 'monitor.transition',
      monitor: id,
      from: 'passed',
      to: 'failed',
    });
    const signature = String(last?.headers['corsproof-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
    const expected = createHmac('sha256', secret).update(`${t}.${last?.body}`).digest('hex');
    expect(v1).toBe(expected);

    const log = await s.app.inject({ method: 'GET', url: `/api/monitors/${id}/webhook` });
    const [delivery] = log.json().deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, nextAttemptAt: null });
    expect(delivery.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 200]);
    expect(Date.parse(delivery.log[1].at) - Date.parse(delivery.log[0].at)).toBe(1_000);
    expect(Date.parse(delivery.log[2].at) - Date.parse(delivery.log[1].at)).toBe(2_000);
  });

  it('sends Slack-compatible text when asked, and answers a generated secret once', async () => {
    const hook = await startReceiver([]);
    const { send, sends } = observedTransport();
    const { s, id, fail } = await setup(send);
    const set = await s.app.inject({
      method: 'POST',
      url: `/api/monitors/${id}/webhook`,
      payload: { url: hook.url, format: 'slack' },
    });
    expect(set.json().secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const shown = await s.app.inject({ method: 'GET', url: `/api/monitors/${id}/webhook` });
    expect(shown.body).not.toContain(set.json().secret);

    fail();
    await s.clock.advance(60_000);
    await sends(1);
    const body = JSON.parse(hook.got[0]?.body ?? '{}');
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain('went from passed to failed');
  });

  it('gives up after the last attempt and refuses a private webhook URL', async () => {
    const hook = await startReceiver([500, 500, 500, 500, 500]);
    const { send, sends } = observedTransport();
    const { s, id, fail } = await setup(send);
    await s.app.inject({
      method: 'POST',
      url: `/api/monitors/${id}/webhook`,
      payload: { url: hook.url, secret: 'x'.repeat(16) },
    });
    fail();
    await s.clock.advance(60_000);
    for (let n = 1; n <= 5; n++) {
      await sends(n);
      await s.clock.advance(1_000 * 2 ** (n - 1));
    }
    const log = await s.app.inject({ method: 'GET', url: `/api/monitors/${id}/webhook` });
    expect(log.json().deliveries[0]).toMatchObject({ status: 'failed', attempts: 5 });
    expect(hook.got).toHaveLength(5);

    const strict = await createTestService();
    try {
      const monitor = await strict.app.inject({
        method: 'POST',
        url: '/api/monitors',
        payload: { ...checkBody(), intervalSeconds: 60 },
      });
      const refused = await strict.app.inject({
        method: 'POST',
        url: `/api/monitors/${monitor.json().id}/webhook`,
        payload: { url: 'http://10.0.0.1/hook' },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().field).toBe('url');
    } finally {
      await strict.close();
    }
  });
});
