/**
 * The one failure of a batch queue that callers handle: its backend (Redis, in a fleet) cannot be
 * reached right now. The service answers it with 503 and `Retry-After` rather than a 500: nothing
 * is wrong with the request, and the same request succeeds once the queue is back.
 */

/** Seconds a client is asked to wait when the queue cannot be reached. */
export const QUEUE_RETRY_AFTER_SECONDS = 10;

export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  readonly code = 'QUEUE_UNAVAILABLE';
  readonly retryAfterSeconds = QUEUE_RETRY_AFTER_SECONDS;

  /** `where` names the queue's backend (its host and port, never a password). */
  constructor(where: string, cause?: unknown) {
    const reason =
      cause === undefined
        ? 'it does not answer'
        : cause instanceof Error
          ? cause.message
          : String(cause);
    super(
      `corsproof: the batch queue (${where}) cannot be reached (${reason}); try again in ${QUEUE_RETRY_AFTER_SECONDS} s`,
      { cause },
    );
  }
}
