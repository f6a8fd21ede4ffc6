/**
 * Politeness toward target hosts, shared by every worker of the fleet: a fixed-window counter per
 * host name in Redis (rate-limiter-flexible's `RateLimiterRedis`), so that 10 000 paths of one
 * host are checked at the configured pace however many workers run them.
 *
 * A job over the limit is not failed and does not wait in its worker: it learns how long until
 * its turn and goes back to BullMQ's delayed set for that long (see `batch-queue.ts`).
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Jobs started against one host per window, by all workers together. */
export interface HostRate {
  readonly jobs: number;
  readonly perSeconds: number;
}

/** 10 checks or audits per second against any one host. */
export const DEFAULT_HOST_RATE: HostRate = { jobs: 10, perSeconds: 1 };

const UNITS: Readonly<Record<string, number>> = { s: 1, sec: 1, m: 60, min: 60, h: 3_600 };

/**
 * Reads `<n>/<unit>` or `<n>/<k><unit>` (`10/s`, `100/min`, `5/10s`; units s, m, min, h). Returns
 * a message saying what is wrong when `text` is not such a rate.
 */
export function parseHostRate(text: string): HostRate | string {
  const match = /^\s*([1-9][0-9]{0,5})\s*\/\s*([1-9][0-9]{0,4})?\s*(s|sec|m|min|h)\s*$/.exec(text);
  const unit = match?.[3] === undefined ? undefined : UNITS[match[3]];
  if (match === null || unit === undefined) {
    return `--per-host-rate must be a number of jobs per time such as 10/s, 100/min or 5/10s, not ${JSON.stringify(text)}`;
  }
  return { jobs: Number(match[1]), perSeconds: Number(match[2] ?? 1) * unit };
}

/** The host name a target's rate is counted under (ports of one host share it). */
export function rateKeyOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    // Inputs are validated before they are queued; an unparsable one runs (and fails) unthrottled.
    return '';
  }
}

export interface HostLimit {
  /**
   * Takes a turn for `host`: 0 when the job may run now, else the milliseconds until its turn.
   * Throws when Redis does not answer (the job is then retried by BullMQ).
   */
  take(host: string): Promise<number>;
}

export function createHostLimit(redis: Redis, prefix: string, rate: HostRate): HostLimit {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:host-rate`,
    points: rate.jobs,
    duration: rate.perSeconds,
  });
  const windowMs = rate.perSeconds * 1000;
  return {
    async take(host) {
      if (host === '') return 0;
      try {
        await limiter.consume(host, 1);
        return 0;
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // Refused turns are counted too, so the count past the limit is this job's place in the
        // line: it waits for the window that has room for it, not for the next one, where every
        // refused job would otherwise come back at once and be refused again.
        const ahead = Math.max(0, refusal.consumedPoints - rate.jobs - 1);
        return refusal.msBeforeNext + Math.floor(ahead / rate.jobs) * windowMs;
      }
    },
  };
}
