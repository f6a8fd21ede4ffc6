/**
 * Per-client rate limits of the API, by IP address (IPv6 by /64, see `clientKey` in `rate-limit.ts`):
 * every request that makes the service send requests costs tokens from the client's bucket, and a
 * client with an empty bucket gets a 429 with `Retry-After` before its body is even read.
 */
import type { onRequestAsyncHookHandler } from 'fastify';
import { ApiError } from '../http/errors.js';
import { clientKey, createRateLimiter, type RateLimiterOptions } from './rate-limit.js';

/** Makes the `onRequest` hook of a route that costs `cost` tokens. */
export type ClientLimit = (cost: number) => onRequestAsyncHookHandler;

/** Default: bursts of 60 tokens, one back per second. */
export const DEFAULT_RATE_LIMIT: RateLimiterOptions = { capacity: 60, refillPerSecond: 1 };

export function createClientLimit(options: RateLimiterOptions = DEFAULT_RATE_LIMIT): ClientLimit {
  const limiter = createRateLimiter(options);
  return (cost) =>
    async function rateLimit(request) {
      const decision = limiter.take(clientKey(request.ip), Math.min(cost, options.capacity));
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        throw new ApiError(
          429,
          'rate-limited',
          `too many requests from your address; try again in ${seconds} s`,
          { retryAfterSeconds: seconds },
        );
      }
    };
}
