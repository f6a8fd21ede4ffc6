/**
 * Politeness for runs over many operations of one API: at most `rate` requests a second to each
 * host, spaced evenly (a token bucket holding one token), whatever the concurrency. A hundred
 * operations audited at once would otherwise send thousands of requests in a few seconds to one
 * server, which a reviewer's API (or its WAF) rightly takes for an attack.
 */
import type { Dispatcher } from 'undici';

/** Requests per second per host unless `--rate` says otherwise. */
export const DEFAULT_RATE = 20;

/** Time as the limiter sees it; tests give it a clock of their own. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Hands out send times per host, `1000 / rate` ms apart. */
export class HostRateLimiter {
  private readonly interval: number;
  private readonly next = new Map<string, number>();

  constructor(
    rate: number,
    private readonly clock: LimiterClock = REAL_CLOCK,
  ) {
    if (!(rate > 0)) throw new RangeError(`corsproof: rate must be above 0, not ${rate}`);
    this.interval = 1000 / rate;
  }

  /**
   * Resolves when a request to `host` may go. The slot is reserved at the call, so callers are
   * served in the order they asked.
   *
   * @example
   * await limiter.take('api.example.com:443'); // then send
   */
  take(host: string): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.next.get(host) ?? now);
    this.next.set(host, slot + this.interval);
    return slot <= now ? Promise.resolve() : this.clock.sleep(slot - now);
  }
}

/**
 * `dispatcher`, with every request waiting for its host's slot first. Closing the result closes
 * `dispatcher`.
 */
export function rateLimited(dispatcher: Dispatcher, limiter: HostRateLimiter): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => {
    const origin = String(options.origin ?? '');
    let host = origin;
    try {
      host = new URL(origin).host;
    } catch {
      // Not a URL: undici refuses it when dispatched, with its own error.
    }
    // The exchange ends (and is told so) if it times out meanwhile; undici then drops it at once.
    void limiter.take(host).then(() => dispatch(options, handler));
    return true;
  });
}

/**
 * The concurrency a run may use so that no request waits for its slot longer than half of its
 * timeout (the wait counts toward it): at most `rate * timeout / 2` requests queued per host.
 */
export function politeConcurrency(requested: number, rate: number, timeoutMs: number): number {
  return Math.max(1, Math.min(requested, Math.floor((rate * timeoutMs) / 2000)));
}
