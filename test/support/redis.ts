/**
 * The Redis of the tests: where it is, a gate that skips (or fails under CI) when it is not there,
 * and a key prefix per test so tests never see each other's keys. The probe speaks RESP over a
 * plain socket, so it needs no Redis client.
 *
 * @example
 * ```ts
 * const url = await redisOrSkip();
 * describe.skipIf(url === undefined)('on Redis', () => {
 *   const prefix = uniquePrefix('queue');
 *   ...
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { reasonOf, skipOrFail } from './unreachable.js';

const VARIABLE = 'CORSPROOF_TEST_REDIS_URL';

/** The test Redis: `CORSPROOF_TEST_REDIS_URL`, else the local server every machine runs. */
export const REDIS_URL = process.env[VARIABLE] ?? 'redis://127.0.0.1:6379';

const PROBE_TIMEOUT_MS = 3000;

/** Resolves when the server at `url` answers PING (or asks for a password); rejects otherwise. */
function ping(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    let reply = '';
    const done = (error?: Error) => {
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () =>
      done(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)),
    );
    socket.on('error', done);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) return;
      // +PONG, or -NOAUTH from a server that wants the password the URL's client will send.
      if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) done();
      else done(new Error(`unexpected answer ${JSON.stringify(reply.trim())}`));
    });
  });
}

let probe: Promise<string | undefined> | undefined;

/**
 * The URL of the test Redis when it answers; undefined, with a message, when it does not (throws
 * instead under `CI`). Probed once per test file.
 */
export function redisOrSkip(): Promise<string | undefined> {
  probe ??= ping(REDIS_URL).then(
    () => REDIS_URL,
    (error: unknown) => skipOrFail('Redis', REDIS_URL, reasonOf(error), VARIABLE),
  );
  return probe;
}

/** A key prefix no other test uses: `test:<label>:<random>:`. */
export function uniquePrefix(label: string): string {
  return `test:${label}:${randomBytes(6).toString('hex')}:`;
}

/**
 * A prefix for a fleet under test: `--queue-prefix` takes letters, digits, `_`, `.` and `-`, and a
 * fleet's keys and channels are `<prefix>:...`.
 */
export function fleetPrefix(label: string): string {
  return `test-${label}-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key of the fleet under `prefix` (tests call it after their last case). */
export async function dropPrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
