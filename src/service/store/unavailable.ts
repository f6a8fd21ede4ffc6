/**
 * The store's one typed failure callers are meant to handle: the database cannot be reached right
 * now. The service answers it with 503 and `Retry-After` instead of a 500, because nothing is wrong
 * with the request: the same request succeeds once the database is back.
 */

/** Seconds a client is asked to wait before it tries again. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The database did not answer: connection refused or reset, no free connection within the pool's
 * timeout, or the server shutting down or starting up. `cause` holds the driver's error.
 *
 * @example
 * ```ts
 * try { await store.checks.get(id); }
 * catch (error) {
 *   if (error instanceof StoreUnavailableError) reply.header('retry-after', error.retryAfterSeconds).code(503);
 *   else throw error;
 * }
 * ```
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'STORE_UNAVAILABLE';
  readonly retryAfterSeconds = STORE_RETRY_AFTER_SECONDS;

  /** `where` names the database (its host and port, never its password). */
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `corsproof: the database at ${where} cannot be reached (${reason}); try again in ${STORE_RETRY_AFTER_SECONDS} s`,
      { cause },
    );
  }
}
