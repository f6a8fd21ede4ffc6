/**
 * Caps on batches not yet finished: per client, so that one address cannot fill the queue and the
 * store with batch after batch, and in all, so that the queue's backlog stays bounded whoever
 * submits. Rate limits pay for the work; these bound how much of it may wait at once.
 */
import { ApiError } from '../http/errors.js';
import { clientKey } from './rate-limit.js';
import { createSerial } from './serial.js';

/** Default: a client may have 3 batches unfinished, the service 20. */
export const DEFAULT_MAX_ACTIVE_BATCHES_PER_CLIENT = 3;
export const DEFAULT_MAX_ACTIVE_BATCHES = 20;

/** How long to tell a refused client to wait: batches take seconds to minutes. */
const RETRY_AFTER_SECONDS = 30;

export interface BatchCapsOptions {
  readonly perClient: number;
  readonly total: number;
  /** Whether a batch is still pending or running (the store knows). */
  readonly isActive: (batchId: string) => Promise<boolean>;
  /** How many batches are unfinished, all clients together (including those from before a restart). */
  readonly activeCount: () => Promise<number>;
}

export interface BatchCaps {
  /**
   * Runs `create` (which stores a batch and resolves with its id) when the client at `address`
   * may start another batch, and records it as that client's; rejects with a 429 (this client's
   * cap) or a 503 (the service's) when it may not. Admissions run one at a time: the store is
   * asked asynchronously, and two requests must not both take the last place.
   */
  admit(address: string, create: () => Promise<string>): Promise<string>;
}

export function createBatchCaps(options: BatchCapsOptions): BatchCaps {
  // Kept in memory: after a restart, recovered batches count toward the service's cap only.
  const byClient = new Map<string, Set<string>>();
  const activeOf = async (key: string): Promise<Set<string>> => {
    const ids = byClient.get(key) ?? new Set<string>();
    for (const id of [...ids]) if (!(await options.isActive(id))) ids.delete(id);
    if (ids.size === 0) byClient.delete(key);
    return ids;
  };
  const check = async (key: string): Promise<void> => {
    const mine = (await activeOf(key)).size;
    if (mine >= options.perClient) {
      throw new ApiError(
        429,
        'limit-reached',
        `your address already has ${mine} batches unfinished, the most one client may have (${options.perClient}); wait for one to finish, then try again`,
        { field: 'targets', retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    const all = await options.activeCount();
    if (all >= options.total) {
      throw new ApiError(
        503,
        'busy',
        `this server already has ${all} batches unfinished, its maximum (${options.total}); try again when some have finished`,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
  };
  const admissions = createSerial();
  return {
    admit(address, create) {
      const key = clientKey(address);
      return admissions.run(async () => {
        await check(key);
        const batchId = await create();
        const ids = byClient.get(key) ?? new Set<string>();
        ids.add(batchId);
        byClient.set(key, ids);
        return batchId;
      });
    },
  };
}
