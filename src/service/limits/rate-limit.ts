/**
 * Per-client rate limiting for the check service: one token bucket per client key, in memory,
 * with an injectable clock. Pure: no timers, so it is exact under a fake clock.
 */
import ipaddr from 'ipaddr.js';

/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /** Bucket size: the burst a client may send at once. A positive number. */
  readonly capacity: number;
  /** Tokens added back per second. A positive number. */
  readonly refillPerSecond: number;
  /** Milliseconds from a monotonic clock. Default `performance.now` (wall-clock jumps do not refill). */
  readonly now?: () => number;
  /**
   * Clients remembered at once; past it, the least recently seen client is forgotten (its next
   * request starts with a full bucket). Bounds memory under a flood of spoofed keys. Default 10 000.
   */
  readonly maxClients?: number;
}

/** The answer to one request: go ahead, or wait `retryAfterMs` (for `Retry-After`). */
export type RateDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

/** A set of token buckets keyed by client. */
export interface RateLimiter {
  /** Take `cost` tokens (default 1) from `key`'s bucket, if it has them. */
  take(key: string, cost?: number): RateDecision;
  /**
   * Charge `cost` tokens, which may exceed the capacity: allowed once the bucket is full enough
   * (`min(cost, capacity)`), and the rest is owed, so the client waits it out before anything
   * else. Work of any size is paid for in full, however large. `paid` is what the same request
   * already took (a fee to be heard): the bucket then holds at most `capacity - paid` for it.
   */
  charge(key: string, cost: number, paid?: number): RateDecision;
  /** How many clients are remembered. */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per client key: `capacity` tokens, refilled continuously at `refillPerSecond`.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ capacity: 10, refillPerSecond: 1 });
 * const decision = limiter.take(clientKey(req.socket.remoteAddress ?? ''));
 * if (!decision.allowed) reply(429, { 'retry-after': Math.ceil(decision.retryAfterMs / 1000) });
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { capacity, refillPerSecond } = options;
  if (!(capacity > 0) || !Number.isFinite(capacity)) {
    throw new RangeError(
      `corsproof: rate limiter capacity must be a positive number, got ${capacity}`,
    );
  }
  if (!(refillPerSecond > 0) || !Number.isFinite(refillPerSecond)) {
    throw new RangeError(
      `corsproof: rate limiter refillPerSecond must be a positive number, got ${refillPerSecond}`,
    );
  }
  const now = options.now ?? (() => performance.now());
  const maxClients = options.maxClients ?? 10_000;
  const perMs = refillPerSecond / 1000;
  // A Map iterates in insertion order; re-inserting on each use keeps the least recent first.
  const buckets = new Map<string, Bucket>();

  /** `key`'s bucket, refilled up to now and moved to the most recently seen end. */
  const bucketOf = (key: string): Bucket => {
    const time = now();
    const bucket = buckets.get(key) ?? { tokens: capacity, updatedAt: time };
    // A clock that steps back (a misbehaving injected one) must not drain the bucket.
    const elapsed = Math.max(0, time - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * perMs);
    bucket.updatedAt = time;
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > maxClients) {
      const oldest = buckets.keys().next();
      if (!oldest.done) buckets.delete(oldest.value);
    }
    return bucket;
  };
  /** Takes `cost` when the bucket holds `needed`; the bucket may go below zero. */
  const spend = (bucket: Bucket, cost: number, needed: number): RateDecision => {
    if (bucket.tokens >= needed) {
      bucket.tokens -= cost;
      return { allowed: true, remaining: Math.max(0, Math.floor(bucket.tokens)) };
    }
    return { allowed: false, retryAfterMs: Math.ceil((needed - bucket.tokens) / perMs) };
  };

  return {
    take(key, cost = 1) {
      if (!(cost > 0) || cost > capacity) {
        throw new RangeError(`corsproof: cost must be in (0, ${capacity}], got ${cost}`);
      }
      return spend(bucketOf(key), cost, cost);
    },
    charge(key, cost, paid = 0) {
      if (!(cost > 0) || !Number.isFinite(cost)) {
        throw new RangeError(`corsproof: cost must be a positive number, got ${cost}`);
      }
      return spend(bucketOf(key), cost, Math.min(cost, Math.max(0, capacity - paid)));
    },
    get size() {
      return buckets.size;
    },
  };
}

/**
 * The rate-limit key of a client address: IPv4 (mapped or not) as itself, IPv6 by its /64, since
 * one subscriber usually holds a whole /64 (RFC 6177) and could otherwise rotate through 2^64 keys.
 * An unparsable address is its own key.
 *
 * @example
 * ```ts
 * clientKey('::ffff:203.0.113.9'); // '203.0.113.9'
 * clientKey('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 * ```
 */
export function clientKey(address: string): string {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address.replace(/%.*$/, ''));
  } catch {
    return address;
  }
  if (ip instanceof ipaddr.IPv4) return ip.toString();
  const prefix = new ipaddr.IPv6([...ip.parts.slice(0, 4), 0, 0, 0, 0]);
  return `${prefix.toString()}/64`;
}
