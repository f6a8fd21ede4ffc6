/**
 * The Redis of the tests: 127.0.0.1:6379 (or `CORSPROOF_TEST_REDIS`), each test under its own key
 * prefix, removed afterwards. Where Redis is missing the tests skip with a message; under `CI`
 * (where it always runs) its absence fails the run instead of hiding the tests.
 */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.CORSPROOF_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers within a second; throws under CI when it does not. */
export async function redisForTests(): Promise<boolean> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  redis.on('error', () => undefined);
  let answered = false;
  try {
    await redis.connect();
    answered = (await redis.ping()) === 'PONG';
  } catch {
    answered = false;
  } finally {
    redis.disconnect();
  }
  if (answered) return true;
  const message = `Redis does not answer at ${TEST_REDIS_URL}; start it (redis-server) or set CORSPROOF_TEST_REDIS`;
  if (process.env.CI) throw new Error(message);
  console.warn(`skipping the Redis tests: ${message}`);
  return false;
}

/** A prefix no other test (or run) uses. */
export function testPrefix(name: string): string {
  return `cptest-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
