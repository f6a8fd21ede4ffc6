import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, fleetPrefix, REDIS_URL, redisOrSkip } from '../../../../test/support/redis.js';
import type { BatchEvent } from '../batch-events.js';
import { createFleetBatchEvents } from './batch-events.js';
import { openFleetRedis } from './redis.js';

const redisUp = (await redisOrSkip()) !== undefined;

/** The next event `listen` is given, or a rejection after `ms`. */
function nextEvent(
  listen: (listener: (event: BatchEvent) => void) => void,
  ms = 5_000,
): Promise<BatchEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
    listen((event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

const PROGRESS = { done: 1, total: 2, passed: 1, failed: 0, errors: 0 };
const RESULT: BatchEvent = {
  type: 'result',
  target: {
    position: 0,
    state: 'done',
    seq: 1,
    outcome: 'passed',
    input: {
      url: 'https://api.example.com/',
      origin: 'https://app.example.com',
      method: 'GET',
      headers: [],
    } as never,
    notices: [],
    result: { verdict: 'allowed' },
    finishedAt: 1,
  },
  progress: PROGRESS,
};

describe.skipIf(!redisUp)('fleet batch events (Redis pub/sub)', () => {
  const prefix = fleetPrefix('events');
  // Two processes of a fleet: an instance with a stream (a) and a worker (b).
  const a = openFleetRedis({ url: REDIS_URL, prefix });
  const b = openFleetRedis({ url: REDIS_URL, prefix });
  const instance = createFleetBatchEvents(a);
  const worker = createFleetBatchEvents(b);
  afterAll(async () => {
    await instance.close();
    await worker.close();
    await a.close();
    await b.close();
    await dropPrefix(prefix);
  });

  it('a result published by another process reaches a listener subscribed before it', async () => {
    let listener: ((event: BatchEvent) => void) | undefined;
    const unsubscribe = await instance.subscribe('bat_1', (event) => listener?.(event));
    // Published right after the subscription resolved: it must arrive.
    const received = nextEvent((l) => {
      listener = l;
    });
    worker.publish('bat_1', RESULT);
    expect(await received).toEqual(RESULT);
    unsubscribe();
  });

  it('keeps batches apart and stops calling a listener once it unsubscribed', async () => {
    const seen: BatchEvent[] = [];
    const stopFirst = await instance.subscribe('bat_2', (event) => seen.push(event));
    let listener: ((event: BatchEvent) => void) | undefined;
    const stopOther = await instance.subscribe('bat_3', (event) => listener?.(event));
    stopFirst();
    const received = nextEvent((l) => {
      listener = l;
    });
    worker.publish('bat_2', RESULT);
    worker.publish('bat_3', { type: 'done', progress: PROGRESS });
    // Published in order on one connection, so bat_2's event was handled before bat_3's arrived.
    expect(await received).toEqual({ type: 'done', progress: PROGRESS });
    expect(seen).toEqual([]);
    stopOther();
  });

  it('tells its listeners to read the store after its connection was cut and came back', async () => {
    let listener: ((event: BatchEvent) => void) | undefined;
    const unsubscribe = await instance.subscribe('bat_4', (event) => listener?.(event));
    const received = nextEvent((l) => {
      listener = l;
    });
    const admin = new Redis(REDIS_URL);
    try {
      const clients = (await admin.client('LIST')) as string;
      const line = clients.split('\n').find((l) => l.includes(` name=${prefix}-events `));
      const id = /(?:^| )id=(\d+)/.exec(line ?? '')?.[1];
      expect(id, 'the subscriber connection is listed').toBeDefined();
      await admin.client('KILL', 'ID', id as string);
    } finally {
      admin.disconnect();
    }
    expect(await received).toEqual({ type: 'stale' });
    // And it is subscribed again.
    const again = nextEvent((l) => {
      listener = l;
    });
    // ioredis re-subscribes on 'ready'; a publish could race it, so repeat until one arrives.
    const publisher = setInterval(() => worker.publish('bat_4', RESULT), 50);
    try {
      expect(await again).toEqual(RESULT);
    } finally {
      clearInterval(publisher);
    }
    unsubscribe();
  });
});
