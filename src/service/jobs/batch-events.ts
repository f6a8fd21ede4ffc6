/**
 * Notifications of batch progress, for the SSE streams: in process here, over Redis pub/sub in a
 * fleet (`fleet/batch-events.ts`). The database stays the source of truth (a stream reads it when
 * it starts, resumes, or sees a gap in the sequence numbers); these events carry what was just
 * committed to listeners already connected, and may be late, out of order or lost.
 */
import type { Progress, TargetRecord } from '../store/index.js';

export type BatchEvent =
  | { readonly type: 'result'; readonly target: TargetRecord; readonly progress: Progress }
  | { readonly type: 'done'; readonly progress: Progress }
  /** Events may have been lost (the connection to the publishers was down): read the store. */
  | { readonly type: 'stale' };

export type BatchListener = (event: BatchEvent) => void;

export interface BatchEvents {
  /**
   * Calls `listener` with each event of batch `id` until the returned function is called. Resolves
   * once the subscription is in place: an event published after that reaches the listener.
   */
  subscribe(id: string, listener: BatchListener): Promise<() => void>;
  publish(id: string, event: BatchEvent): void;
}

export function createBatchEvents(): BatchEvents {
  const listeners = new Map<string, Set<BatchListener>>();
  return {
    async subscribe(id, listener) {
      let set = listeners.get(id);
      if (set === undefined) {
        set = new Set();
        listeners.set(id, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(id) === set) listeners.delete(id);
      };
    },
    publish(id, event) {
      // A copy: a listener that unsubscribes (stream done) must not disturb the iteration.
      for (const listener of [...(listeners.get(id) ?? [])]) listener(event);
    },
  };
}
