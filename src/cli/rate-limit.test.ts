import { describe, expect, it } from 'vitest';
import { HostRateLimiter, type LimiterClock, politeConcurrency } from './rate-limit.js';

/** A clock that only moves when told: `sleep` records the wait and resolves at once. */
function fakeClock(): LimiterClock & { time: number; waits: number[] } {
  const clock = {
    time: 0,
    waits: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
    },
  };
  return clock;
}

describe('HostRateLimiter', () => {
  it('spaces requests to one host 1000 / rate ms apart, in the order asked', async () => {
    const clock = fakeClock();
    const limiter = new HostRateLimiter(4, clock);
    await Promise.all([limiter.take('a'), limiter.take('a'), limiter.take('a')]);
    expect(clock.waits).toEqual([250, 500]);
  });

  it('keeps hosts apart', async () => {
    const clock = fakeClock();
    const limiter = new HostRateLimiter(1, clock);
    await Promise.all([limiter.take('a'), limiter.take('b')]);
    expect(clock.waits).toEqual([]);
  });

  it('lets a request go at once after a quiet spell', async () => {
    const clock = fakeClock();
    const limiter = new HostRateLimiter(2, clock);
    await limiter.take('a');
    clock.time = 10_000;
    await limiter.take('a');
    expect(clock.waits).toEqual([]);
  });

  it('refuses a rate of zero', () => {
    expect(() => new HostRateLimiter(0)).toThrow(/rate must be above 0/);
  });
});

describe('politeConcurrency', () => {
  it('keeps the queue within half the timeout', () => {
    expect(politeConcurrency(8, 20, 10_000)).toBe(8);
    expect(politeConcurrency(8, 1, 10_000)).toBe(5);
    expect(politeConcurrency(8, 1, 1_000)).toBe(1);
  });
});
