import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, fleetPrefix, REDIS_URL, redisOrSkip } from '../../../../test/support/redis.js';
import { createHostLimit, parseHostRate, rateKeyOf } from './host-limit.js';
import { openFleetRedis } from './redis.js';

describe('parseHostRate', () => {
  it.each([
    ['10/s', { jobs: 10, perSeconds: 1 }],
    ['100/min', { jobs: 100, perSeconds: 60 }],
    ['5/10s', { jobs: 5, perSeconds: 10 }],
    [' 2 / h ', { jobs: 2, perSeconds: 3_600 }],
  ])('reads %j', (text, rate) => {
    expect(parseHostRate(text)).toEqual(rate);
  });

  it.each(['0/s', '10', '10/d', '-1/s', '1.5/s', 'ten/s'])(
    'refuses %j, saying what it takes',
    (text) => {
      expect(parseHostRate(text)).toMatch(/^--per-host-rate must be .* such as 10\/s/);
    },
  );
});

describe('rateKeyOf', () => {
  it('counts every port and path of a host under its lower-case name', () => {
    expect(rateKeyOf('https://API.example.com:8443/a?b')).toBe('api.example.com');
    expect(rateKeyOf('http://api.example.com/other')).toBe('api.example.com');
  });
});

const redisUp = (await redisOrSkip()) !== undefined;

describe.skipIf(!redisUp)('createHostLimit (Redis)', () => {
  const prefix = fleetPrefix('host-limit');
  const redis = openFleetRedis({ url: REDIS_URL, prefix });
  afterAll(async () => {
    await redis.close();
    await dropPrefix(prefix);
  });

  it('lets the allowed jobs through and gives each refused one its own later window', async () => {
    // 3 per 10 s: the test runs well within one window.
    const limit = createHostLimit(redis.patient('limit'), prefix, { jobs: 3, perSeconds: 10 });
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) waits.push(await limit.take('a.example'));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (const wait of waits.slice(3, 6)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(10_000);
    }
    for (const wait of waits.slice(6, 9)) {
      expect(wait).toBeGreaterThan(10_000);
      expect(wait).toBeLessThanOrEqual(20_000);
    }
    // Another host has its own count.
    expect(await limit.take('b.example')).toBe(0);
  });

  it('shares the count between processes: two limiters on one Redis see one limit', async () => {
    const rate = { jobs: 2, perSeconds: 10 };
    const first = createHostLimit(redis.patient('limit-1'), prefix, rate);
    const second = createHostLimit(redis.patient('limit-2'), prefix, rate);
    expect(await first.take('shared.example')).toBe(0);
    expect(await second.take('shared.example')).toBe(0);
    expect(await first.take('shared.example')).toBeGreaterThan(0);
    expect(await second.take('shared.example')).toBeGreaterThan(0);
  });
});
