/**
 * A batch pays for its work: so many tokens per target, as the same checks or audits sent one by
 * one would, and a client (and the service) may have only so many batches unfinished at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** Milliseconds the rate limiter sees; it moves only when the test says. */
let now = 0;

async function start(
  options: { capacity?: number; perClient?: number; total?: number } = {},
): Promise<TestService> {
  now = 0;
  service = await createTestService({
    // Batches stay pending: nothing runs them until the test starts the queue.
    startJobs: false,
    limits: {
      rate: { capacity: options.capacity ?? 100, refillPerSecond: 1, now: () => now },
      maxActiveBatchesPerClient: options.perClient ?? 100,
      maxActiveBatches: options.total ?? 100,
    },
  });
  return service;
}

function targets(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    url: `https://api${i}.example.com/`,
    origin: 'https://app.example.com',
  }));
}

function post(s: TestService, url: string, payload: object) {
  return s.app.inject({ method: 'POST', url, payload });
}

const batch = (kind: 'check' | 'audit', n: number) => ({ kind, targets: targets(n) });
const check = { url: 'https://api.example.com/', origin: 'https://app.example.com' };

describe('what a batch costs', () => {
  it('costs a token per check target, on top of the token to be heard', async () => {
    const s = await start({ capacity: 100 });
    expect((await post(s, '/api/batches', batch('check', 59))).statusCode).toBe(202);
    // 100 - 60 = 40 left: a batch of 40 targets needs 41.
    const refused = await post(s, '/api/batches', batch('check', 40));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({ error: 'rate-limited' });
    expect(refused.json().message).toMatch(/costs 40 tokens/);
    // The refused batch paid its token to be heard: 39 left, for a batch of 38.
    expect((await post(s, '/api/batches', batch('check', 38))).statusCode).toBe(202);
    expect((await post(s, '/api/checks', check)).statusCode).toBe(429);
  });

  it('costs ten tokens per audit target, as ten checks', async () => {
    const s = await start({ capacity: 100 });
    expect((await post(s, '/api/batches', batch('audit', 9))).statusCode).toBe(202);
    // 100 - 1 - 90 = 9 left: one more audit target is refused, a check is not.
    expect((await post(s, '/api/batches', batch('audit', 1))).statusCode).toBe(429);
    expect((await post(s, '/api/checks', check)).statusCode).not.toBe(429);
  });

  it('a batch larger than the bucket runs, and its client then waits out the rest', async () => {
    const s = await start({ capacity: 100 });
    expect((await post(s, '/api/batches', batch('check', 1000))).statusCode).toBe(202);
    const next = await post(s, '/api/checks', check);
    expect(next.statusCode).toBe(429);
    // 1 + 1000 tokens taken from 100: 901 owed, so the next token is 902 s away.
    expect(Number(next.headers['retry-after'])).toBe(902);
    now += 902_000;
    expect((await post(s, '/api/checks', check)).statusCode).not.toBe(429);
  });

  it('a refused batch costs only the token to be heard', async () => {
    const s = await start({ capacity: 100 });
    const bad = { kind: 'check', targets: [...targets(50), { url: 'ftp://x', origin: 'null' }] };
    expect((await post(s, '/api/batches', bad)).statusCode).toBe(400);
    expect((await post(s, '/api/batches', batch('check', 98))).statusCode).toBe(202);
  });
});

describe('caps on unfinished batches', () => {
  it('refuses a client its next batch with 429 past its cap, until one finishes', async () => {
    const s = await start({ perClient: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await post(s, '/api/batches', batch('check', 1))).statusCode).toBe(202);
    }
    const refused = await post(s, '/api/batches', batch('check', 1));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toMatchObject({ error: 'limit-reached', field: 'targets' });
    expect(refused.json().message).toMatch(/already has 2 batches unfinished.*\(2\)/);
    await s.batches.start();
    await s.batches.idle();
    expect((await post(s, '/api/batches', batch('check', 1))).statusCode).toBe(202);
  });

  it('refuses everyone with 503 once the service holds its cap', async () => {
    const s = await start({ perClient: 10, total: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await post(s, '/api/batches', batch('check', 1))).statusCode).toBe(202);
    }
    const refused = await post(s, '/api/batches', batch('check', 1));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toMatchObject({ error: 'busy' });
    expect(refused.json().message).toMatch(/already has 2 batches unfinished, its maximum \(2\)/);
  });

  it('a batch refused by a cap costs no tokens for its targets', async () => {
    const s = await start({ capacity: 100, perClient: 1 });
    expect((await post(s, '/api/batches', batch('check', 10))).statusCode).toBe(202);
    expect((await post(s, '/api/batches', batch('check', 80))).statusCode).toBe(429);
    // 100 - 11 - 1 = 88 left for single checks.
    for (let i = 0; i < 88; i++) expect((await post(s, '/api/checks', check)).statusCode).toBe(201);
  });
});
