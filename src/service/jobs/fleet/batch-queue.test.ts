/**
 * The fleet's batch queue over a real Redis, in one process: several services sharing one store
 * and one key prefix stand for the instances and workers of a fleet.
 */
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFakeRunner,
  createTestService,
  delay,
  type FakeRunner,
  fakeCheckResult,
  type TestService,
} from '../../../../test/service/helpers.js';
import { dropPrefix, fleetPrefix, REDIS_URL, redisOrSkip } from '../../../../test/support/redis.js';
import { openSqliteStore, type SqliteStore } from '../../store/index.js';
import { systemClock } from '../clock.js';
import type { FleetOptions } from './fleet.js';
import { type FleetRedis, openFleetRedis } from './redis.js';

const redisUp = (await redisOrSkip()) !== undefined;

/** What each test opened, closed after it in reverse order. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function targets(hosts: readonly string[]): { url: string; origin: string }[] {
  return hosts.map((host, i) => ({
    url: `https://${host}/t/${i}`,
    origin: 'https://app.example.com',
  }));
}

interface Fleet {
  readonly prefix: string;
  readonly store: SqliteStore;
  /** A process of the fleet: an API instance (work false) or one that runs targets too. */
  member(options?: Partial<Omit<FleetOptions, 'redis'>>, runner?: FakeRunner): Promise<TestService>;
}

async function fleet(): Promise<Fleet> {
  const prefix = fleetPrefix('queue');
  const store = openSqliteStore(':memory:');
  cleanups.push(async () => {
    await store.close();
    await dropPrefix(prefix);
  });
  return {
    prefix,
    store,
    async member(options = {}, runner = createFakeRunner()) {
      const redis: FleetRedis = openFleetRedis({ url: REDIS_URL, prefix });
      const service = await createTestService({
        store,
        runner,
        clock: systemClock,
        fleet: { redis, hostRate: null, ...options },
      });
      cleanups.push(async () => {
        await service.app.close();
        await redis.close();
      });
      return service;
    },
  };
}

async function post(service: TestService, body: object) {
  return service.app.inject({ method: 'POST', url: '/api/batches', payload: body });
}

/** Resolves when batch `id` is done in the store; fails after `ms`. */
async function finished(store: SqliteStore, id: string, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const batch = await store.batches.get(id);
    if (batch?.status === 'done') return batch;
    if (Date.now() > until)
      throw new Error(`batch not done within ${ms} ms: ${JSON.stringify(batch?.progress)}`);
    await delay(20);
  }
}

async function storedResults(store: SqliteStore, id: string) {
  return store.batches.listTargets(id, { limit: 1_000 });
}

describe.skipIf(!redisUp)('fleet batch queue (BullMQ on Redis)', () => {
  it('runs every target of a batch once in another process and stores one result each', async () => {
    const f = await fleet();
    const api = await f.member({ work: false });
    const runner = createFakeRunner();
    await f.member({ reconcile: false }, runner);
    const hosts = Array.from({ length: 12 }, (_, i) => `h${i}.example`);
    const res = await post(api, { kind: 'check', targets: targets(hosts) });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json() as { id: string };
    const batch = await finished(f.store, id);
    expect(batch.progress).toMatchObject({ done: 12, total: 12, passed: 12 });
    const rows = await storedResults(f.store, id);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(12);
    // The API instance ran nothing: the worker ran each target exactly once.
    expect(api.runner.checks).toHaveLength(0);
    expect(runner.checks.map((c) => c.url).sort()).toEqual(
      targets(hosts)
        .map((t) => t.url)
        .sort(),
    );
  });

  it('queues a target once however often its batch is queued, and never runs a done one again', async () => {
    const f = await fleet();
    const api = await f.member({ work: false });
    const res = await post(api, {
      kind: 'check',
      targets: targets(['a.example', 'b.example', 'c.example']),
    });
    const { id } = res.json() as { id: string };
    await api.batches.enqueue(id);
    await api.batches.enqueue(id);
    const queue = new Queue('batch-targets', {
      connection: { url: REDIS_URL },
      prefix: f.prefix,
    });
    cleanups.push(() => queue.close());
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3);

    const runner = createFakeRunner();
    const worker = await f.member({ reconcile: false }, runner);
    await finished(f.store, id);
    // Queued again once done: the jobs find their targets done and do nothing.
    await api.batches.enqueue(id);
    await worker.batches.idle();
    expect(runner.checks).toHaveLength(3);
    expect((await f.store.batches.get(id))?.progress.done).toBe(3);
  });

  it('delays the targets of a host over its limit, and runs them all', async () => {
    const f = await fleet();
    const api = await f.member({ work: false });
    const started = new Map<string, number>();
    const runner = createFakeRunner();
    runner.onCheck = (input) => {
      started.set(input.url, Date.now());
      return fakeCheckResult(input);
    };
    await f.member({ reconcile: false, hostRate: { jobs: 2, perSeconds: 1 } }, runner);
    // Five targets of one host, one of another.
    const list = targets([
      'slow.example',
      'slow.example',
      'slow.example',
      'slow.example',
      'slow.example',
      'other.example',
    ]);
    const res = await post(api, { kind: 'check', targets: list });
    const { id } = res.json() as { id: string };
    const batch = await finished(f.store, id, 15_000);
    expect(batch.progress).toMatchObject({ done: 6, passed: 6, errors: 0 });
    const slow = list
      .filter((t) => t.url.includes('slow'))
      .map((t) => started.get(t.url) as number)
      .sort((a, b) => a - b);
    // 2 per second: the third and fifth wait for the next windows.
    expect(slow[2]! - slow[0]!).toBeGreaterThanOrEqual(900);
    expect(slow[4]! - slow[0]!).toBeGreaterThanOrEqual(1_900);
    // The other host was not held behind them.
    expect(started.get(list[5]!.url)! - slow[0]!).toBeLessThan(900);
  });

  it('answers 503 with Retry-After when Redis does not answer, and stores nothing', async () => {
    const store = openSqliteStore(':memory:');
    // Nothing listens on port 1 of loopback.
    const redis = openFleetRedis({ url: 'redis://127.0.0.1:1', prefix: fleetPrefix('down') });
    const service = await createTestService({ store, clock: systemClock, fleet: { redis } });
    cleanups.push(async () => {
      await service.app.close();
      await redis.close();
      await store.close();
    });
    const res = await post(service, { kind: 'check', targets: targets(['a.example']) });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('10');
    expect(res.json()).toMatchObject({ error: 'busy' });
    expect(res.json().message).toMatch(
      /^corsproof: the batch queue \(Redis at 127\.0\.0\.1:1\) cannot be reached/,
    );
    expect(await store.batches.list({ limit: 10 })).toEqual([]);
    const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual({ store: true, workers: true, queue: false });
  });
});
