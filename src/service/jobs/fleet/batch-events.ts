/**
 * Batch events across a fleet, over Redis pub/sub: a worker process publishes each committed
 * result on the batch's channel, and every instance with an SSE stream on that batch receives it.
 *
 * Pub/sub delivers at most once: a message published while a subscriber's connection is down is
 * lost. So the events stay wake-ups over the store: when the subscriber connection comes back,
 * every listener gets a `stale` event and re-reads the store, and a stream that sees a gap in the
 * sequence numbers reads the store too (`routes/batch-events.ts`).
 */
import type { Redis } from 'ioredis';
import type { BatchEvent, BatchEvents, BatchListener } from '../batch-events.js';
import type { JobLogger } from '../batch-queue.js';
import type { FleetRedis } from './redis.js';

export interface FleetBatchEvents extends BatchEvents {
  /** Closes the subscriber connection, if one was opened. */
  close(): Promise<void>;
}

export function createFleetBatchEvents(redis: FleetRedis, log?: JobLogger): FleetBatchEvents {
  const channelOf = (id: string) => `${redis.prefix}:batch-events:${id}`;
  const listeners = new Map<string, Set<BatchListener>>();
  /** The SUBSCRIBE of each channel: a second stream on a batch waits for the first's answer too. */
  const subscribing = new Map<string, Promise<void>>();
  let subscriber: Redis | undefined;
  let everReady = false;

  function deliver(channel: string, event: BatchEvent): void {
    // A copy: a listener that unsubscribes (stream done) must not disturb the iteration.
    for (const listener of [...(listeners.get(channel) ?? [])]) listener(event);
  }

  function connection(): Redis {
    if (subscriber !== undefined) return subscriber;
    const made = redis.patient('events');
    made.on('message', (channel: string, message: string) => {
      let event: BatchEvent;
      try {
        event = JSON.parse(message) as BatchEvent;
      } catch (error) {
        log?.error({ err: error, channel }, 'a batch event was not JSON');
        return;
      }
      deliver(channel, event);
    });
    // ioredis subscribes again by itself after a reconnect; what was published meanwhile is lost.
    made.on('ready', () => {
      if (!everReady) {
        everReady = true;
        return;
      }
      for (const channel of listeners.keys()) deliver(channel, { type: 'stale' });
    });
    subscriber = made;
    return made;
  }

  return {
    async subscribe(id, listener) {
      const channel = channelOf(id);
      let set = listeners.get(channel);
      if (set === undefined) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      const unsubscribe = () => {
        set.delete(listener);
        if (set.size > 0 || listeners.get(channel) !== set) return;
        listeners.delete(channel);
        subscribing.delete(channel);
        subscriber?.unsubscribe(channel).catch(() => undefined);
      };
      let subscribed = subscribing.get(channel);
      if (subscribed === undefined) {
        subscribed = connection()
          .subscribe(channel)
          .then(
            () => undefined,
            (error: unknown) => {
              // The stream still works from the store (it re-reads it on a timer); say why it lags.
              log?.error({ err: error, channel }, 'could not subscribe to batch events');
              subscribing.delete(channel);
            },
          );
        subscribing.set(channel, subscribed);
      }
      await subscribed;
      return unsubscribe;
    },
    publish(id, event) {
      redis.commands.publish(channelOf(id), JSON.stringify(event)).catch((error: unknown) => {
        // The result is committed; streams find it in the store when they next read it.
        log?.error({ err: error, batch: id }, 'could not publish a batch event');
      });
    },
    async close() {
      listeners.clear();
      subscribing.clear();
      if (subscriber !== undefined) {
        await subscriber.quit().catch(() => undefined);
        subscriber.disconnect();
      }
    },
  };
}
