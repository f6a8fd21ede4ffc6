import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresOrSkip } from './postgres.js';
import { REDIS_URL, redisOrSkip } from './redis.js';
import { isCi, reasonOf, skipOrFail, withoutPassword } from './unreachable.js';

const ci = process.env.CI;

afterEach(() => {
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
});

describe('a server the tests need and cannot reach', () => {
  it('skips the tests outside CI', () => {
    delete process.env.CI;
    expect(isCi()).toBe(false);
    expect(skipOrFail('Nothing', 'x://127.0.0.1:1', 'refused', 'X_URL')).toBeUndefined();
  });

  it('fails the run under CI, saying what to start or set', () => {
    process.env.CI = 'true';
    expect(() => skipOrFail('Nothing', 'x://u:pw@127.0.0.1:1', 'refused', 'X_URL')).toThrow(
      'Nothing is not reachable at x://u:***@127.0.0.1:1 (refused); CI runs every test: start Nothing or set X_URL',
    );
  });

  it('counts CI as unset when it says false', () => {
    for (const value of ['', '0', 'false', 'FALSE']) {
      process.env.CI = value;
      expect(isCi()).toBe(false);
    }
  });

  it('names the reason even when the error has no message', () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(reasonOf(refused)).toBe('ECONNREFUSED');
    expect(withoutPassword('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
});

describe('the servers of this machine', () => {
  // Each gate either answers its URL, or (outside CI) undefined after saying why.
  it('PostgreSQL and Redis are probed once and answer their URLs when up', async () => {
    const [postgres, redis] = await Promise.all([postgresOrSkip(), redisOrSkip()]);
    expect([POSTGRES_URL, undefined]).toContain(postgres);
    expect([REDIS_URL, undefined]).toContain(redis);
    expect(await postgresOrSkip()).toBe(postgres);
    expect(await redisOrSkip()).toBe(redis);
  });
});
