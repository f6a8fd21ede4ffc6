import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter, ServiceBusyError } from './concurrency-limit.js';

/** Whether a promise has settled, after letting pending reactions run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('createConcurrencyLimiter', () => {
  it('grants up to maxConcurrent slots at once', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 2, maxQueued: 1 });
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.active).toBe(2);
    const third = limiter.acquire();
    expect(await settled(third)).toBe(false);
    expect(limiter.queued).toBe(1);
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 1 });
    await limiter.acquire();
    void limiter.acquire();
    const error = await limiter.acquire().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ServiceBusyError);
    expect(error).toMatchObject({ code: 'CORSPROOF_BUSY' });
  });

  it('hands a released slot to the first waiter, in order', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 2 });
    const release = await limiter.acquire();
    const order: string[] = [];
    const first = limiter.acquire().then((r) => {
      order.push('first');
      return r;
    });
    const second = limiter.acquire().then((r) => {
      order.push('second');
      return r;
    });
    release();
    (await first)();
    (await second)();
    expect(order).toEqual(['first', 'second']);
    expect(limiter.active).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 0 });
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.active).toBe(0);
    await limiter.acquire();
    expect(limiter.active).toBe(1);
  });

  it('gives up the place in the queue when the signal aborts', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 1 });
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.active).toBe(0);
  });

  it('refuses an already aborted signal without taking a slot', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 0 });
    await expect(limiter.acquire(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    expect(limiter.active).toBe(0);
  });

  it('releases the slot of run() whether the task resolves or throws', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: 0 });
    expect(await limiter.run(async () => 42)).toBe(42);
    await expect(
      limiter.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(limiter.active).toBe(0);
  });

  it('rejects nonsensical options', () => {
    expect(() => createConcurrencyLimiter({ maxConcurrent: 0, maxQueued: 0 })).toThrow(RangeError);
    expect(() => createConcurrencyLimiter({ maxConcurrent: 1, maxQueued: -1 })).toThrow(RangeError);
    expect(() => createConcurrencyLimiter({ maxConcurrent: 1.5, maxQueued: 0 })).toThrow(
      RangeError,
    );
  });
});
