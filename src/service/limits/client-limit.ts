/**
 * Per-client rate limits of the API, by token when the caller sent one (each token has its own
 * bucket, however many machines share it), else by IP address (IPv6 by /64, see `clientKey` in
 * `rate-limit.ts`):
 * every request that makes the service send requests costs tokens from the client's bucket, and a
 * client with an empty bucket gets a 429 with `Retry-After` before its body is even read.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { ApiError } from '../http/errors.js';
import { clientKey, createRateLimiter, type RateLimiterOptions } from './rate-limit.js';

/**
 * Makes the `onRequest` hook of a route that costs `cost` tokens; `charge` bills a request for
 * work whose size is known only from its body (a batch: so much per target), debt allowed.
 */
export type ClientLimit = ((cost: number) => onRequestAsyncHookHandler) & {
  charge(request: FastifyRequest, cost: number, paid?: number): void;
};

/** The bucket of a request: its token's, or its address's. */
export function limitKey(request: FastifyRequest): string {
  const tokenId = request.principal?.tokenId ?? null;
  return tokenId === null ? `ip:${clientKey(request.ip)}` : `token:${tokenId}`;
}

function rateLimited(retryAfterMs: number, what: string): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, 'rate-limited', `${what}; try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}

/** Default: bursts of 60 tokens, one back per second. */
export const DEFAULT_RATE_LIMIT: RateLimiterOptions = { capacity: 60, refillPerSecond: 1 };

export function createClientLimit(options: RateLimiterOptions = DEFAULT_RATE_LIMIT): ClientLimit {
  const limiter = createRateLimiter(options);
  const hook = (cost: number) =>
    async function rateLimit(request: FastifyRequest) {
      const decision = limiter.take(limitKey(request), Math.min(cost, options.capacity));
      if (!decision.allowed) {
        throw rateLimited(decision.retryAfterMs, 'too many requests from your token or address');
      }
    };
  return Object.assign(hook, {
    charge(request: FastifyRequest, cost: number, paid = 0) {
      const decision = limiter.charge(limitKey(request), cost, paid);
      if (!decision.allowed) {
        throw rateLimited(
          decision.retryAfterMs,
          `this request costs ${cost} tokens and your token or address has used its share (${options.capacity} at most, ${options.refillPerSecond} back per second)`,
        );
      }
    },
  });
}
