/**
 * A small work pool: at most `limit` tasks at once, in order of submission. The audit's requests
 * go through one, so a run never has more than `concurrency` exchanges in flight, whichever phase
 * they belong to.
 */
export interface Pool {
  /** Runs `task` when a slot is free; rejects with the abort reason once the signal fired. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * @example
 * const pool = createPool(4);
 * const results = await Promise.all(urls.map((u) => pool.run(() => fetchOne(u))));
 */
export function createPool(limit: number, signal?: AbortSignal): Pool {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        // Checked once the slot is ours: an aborted run sends nothing more.
        signal?.throwIfAborted();
        return await task();
      } finally {
        release();
      }
    },
  };
}
