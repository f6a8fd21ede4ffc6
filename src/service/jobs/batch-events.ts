/**
 * In-process notifications of batch progress, for the SSE streams. The database stays the source
 * of truth (a stream resuming with Last-Event-ID reads it); these events only carry what was just
 * committed to listeners already connected.
 */
import type { Progress, TargetRecord } from '../store/index.js';

export type BatchEvent =
  | { readonly type: 'result'; readonly target: TargetRecord; readonly progress: Progress }
  | { readonly type: 'done'; readonly progress: Progress };

export type BatchListener = (event: BatchEvent) => void;

export interface BatchEvents {
  /** Calls `listener` with each event of batch `id` until the returned function is called. */
  subscribe(id: string, listener: BatchListener): () => void;
  publish(id: string, event: BatchEvent): void;
}

export function createBatchEvents(): BatchEvents {
  const listeners = new Map<string, Set<BatchListener>>();
  return {
    subscribe(id, listener) {
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
