/**
 * The Redis connections of a fleet (several `serve` instances and `worker` processes sharing one
 * Redis): one for commands that must fail fast when Redis is away (queueing a batch answers 503
 * at once rather than hanging), and, made on demand, connections for BullMQ workers and for
 * pub/sub, which wait and reconnect for as long as it takes.
 *
 * Every key and channel starts with the fleet's prefix, so several deployments (or tests) share
 * one Redis without seeing each other's work.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { JobLogger } from '../batch-queue.js';

/** Where the fleet's Redis is and which part of it is this fleet's. */
export interface FleetQueueSettings {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...`. */
  readonly url: string;
  /** Start of every key and channel of this fleet. Default `corsproof`. */
  readonly prefix?: string;
}

export const DEFAULT_QUEUE_PREFIX = 'corsproof';

/**
 * `host:port` of a Redis URL, for messages: the URL itself may hold a password. Throws a message
 * that says what is wrong when `url` is not a Redis URL.
 */
export function redisWhere(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `the queue must be a Redis URL such as redis://127.0.0.1:6379, not ${JSON.stringify(url)}`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(
      `the queue must be a redis:// or rediss:// URL, not ${JSON.stringify(`${parsed.protocol}//${parsed.host}`)}`,
    );
  }
  return `${parsed.hostname}:${parsed.port === '' ? '6379' : parsed.port}`;
}

/** The fleet's Redis: a fail-fast connection for commands, and factories for the others. */
export interface FleetRedis {
  readonly prefix: string;
  /** `host:port`, for messages and logs. */
  readonly where: string;
  /**
   * Commands that must not wait for a reconnect (queueing, publishing, readiness): they fail at
   * once while Redis is away.
   */
  readonly commands: Redis;
  /** A new connection that retries every command until Redis answers (BullMQ workers, limits). */
  patient(name: string): Redis;
  /** Whether Redis answers a PING within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Closes every connection made here. */
  close(): Promise<void>;
}

/** `promise`, or undefined once `ms` passed (the promise is left to settle unobserved). */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Back-off between reconnects: 100 ms, doubling, at most 2 s (a restarted Redis is found soon). */
function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 5), 2_000);
}

/**
 * Opens the connections lazily (nothing is sent until first use) and logs their errors: an
 * ioredis connection without an `error` listener would crash the process when Redis goes away.
 */
export function openFleetRedis(settings: FleetQueueSettings, log?: JobLogger): FleetRedis {
  const where = redisWhere(settings.url);
  const prefix = settings.prefix ?? DEFAULT_QUEUE_PREFIX;
  const opened: Redis[] = [];
  // One log line per outage and connection, not one per reconnect attempt.
  const open = (name: string, options: RedisOptions): Redis => {
    const redis = new Redis(settings.url, {
      connectionName: `${prefix}-${name}`,
      retryStrategy: reconnectDelay,
      ...options,
    });
    let down = false;
    redis.on('error', (error: Error) => {
      if (down) return;
      down = true;
      log?.error({ err: error, redis: where, connection: name }, 'the queue lost Redis');
    });
    redis.on('ready', () => {
      down = false;
    });
    opened.push(redis);
    return redis;
  };
  const commands = open('commands', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A Redis that accepts the connection but does not answer must not hang a request.
    commandTimeout: 5_000,
  });
  return {
    prefix,
    where,
    commands,
    patient(name) {
      return open(name, { maxRetriesPerRequest: null });
    },
    async ping(timeoutMs = 1_000) {
      // A connection still being made (at start-up, or after Redis came back) gets the time
      // allowed to finish; one that is closed does not.
      if (commands.status === 'end' || commands.status === 'close') return false;
      if (commands.status !== 'ready') {
        const ready = new Promise<true>((resolve) => commands.once('ready', () => resolve(true)));
        if ((await withTimeout(ready, timeoutMs)) !== true) return false;
      }
      try {
        return (await withTimeout(commands.ping(), timeoutMs)) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      // QUIT lets replies in flight arrive; a connection that is down would queue it forever.
      const quits = opened
        .filter((redis) => redis.status === 'ready')
        .map((redis) => withTimeout(redis.quit(), 1_000));
      await Promise.allSettled(quits);
      for (const redis of opened) redis.disconnect();
    },
  };
}
