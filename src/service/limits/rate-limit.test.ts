import { describe, expect, it } from 'vitest';
import { clientKey, createRateLimiter } from './rate-limit.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
    set(ms: number) {
      time = ms;
    },
  };
}

describe('RateLimiter.charge', () => {
  it('takes a cost within the capacity like take', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 1, now: clock.now });
    expect(limiter.charge('a', 4)).toEqual({ allowed: true, remaining: 6 });
    expect(limiter.charge('a', 7)).toEqual({ allowed: false, retryAfterMs: 1_000 });
  });

  it('admits a cost above the capacity from a full bucket and leaves the rest owed', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 1, now: clock.now });
    expect(limiter.charge('a', 30)).toEqual({ allowed: true, remaining: 0 });
    // 20 owed: one token is 21 s away.
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 21_000 });
    clock.advance(21_000);
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
  });

  it('refuses a cost above the capacity until the bucket is full', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 1, now: clock.now });
    limiter.take('a', 3);
    expect(limiter.charge('a', 100)).toEqual({ allowed: false, retryAfterMs: 3_000 });
  });

  it('admits a cost above the capacity once the bucket is full but for what the request paid', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 1, now: clock.now });
    limiter.take('a', 1);
    expect(limiter.charge('a', 100, 1)).toEqual({ allowed: true, remaining: 0 });
  });

  it('refuses a cost that is not a positive number', () => {
    const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 1 });
    expect(() => limiter.charge('a', 0)).toThrow(RangeError);
    expect(() => limiter.charge('a', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('createRateLimiter', () => {
  it('allows a burst of capacity, then refuses with the wait until the next token', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5, now: clock.now });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 2_000 });
  });

  it('refills continuously with time, up to capacity', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    clock.advance(500);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(500);
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    clock.advance(60_000);
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 1 });
  });

  it('keeps one bucket per client', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, now: clock.now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('charges a cost of several tokens', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ capacity: 5, refillPerSecond: 1, now: clock.now });
    expect(limiter.take('a', 4)).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.take('a', 3)).toEqual({ allowed: false, retryAfterMs: 2_000 });
    expect(() => limiter.take('a', 6)).toThrow(RangeError);
  });

  it('does not drain or refill when the clock steps back', () => {
    const clock = fakeClock(10_000);
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
    limiter.take('a');
    clock.set(0);
    expect(limiter.take('a')).toEqual({ allowed: true, remaining: 0 });
    clock.advance(1_000);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('forgets the least recently seen client past maxClients', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({
      capacity: 1,
      refillPerSecond: 0.001,
      now: clock.now,
      maxClients: 2,
    });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a'); // a is now the most recent
    limiter.take('c'); // forgets b
    expect(limiter.size).toBe(2);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('rejects nonsensical options', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: -1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ capacity: Number.NaN, refillPerSecond: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['not an address', 'not an address'],
  ])('keys %s as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
