/**
 * Webhook deliveries of monitor transitions: the body (JSON, or Slack's `{ text }`), signed with
 * HMAC-SHA256 over `<timestamp>.<body>` (header `Corsproof-Signature: t=<unix seconds>,v1=<hex>`,
 * so a receiver can refuse replays by the time), sent through the SSRF guard, and retried with
 * exponential backoff on the service's clock until a 2xx or the last attempt. Every attempt is
 * stored; a restart resumes pending deliveries.
 */
import { createHmac } from 'node:crypto';
import type { IdFactory } from '../store/ids.js';
import type { SecretBox, Store, Transition, WebhookFormat } from '../store/index.js';
import type { JobLogger } from './batch-queue.js';
import type { Clock, TimerHandle } from './clock.js';

/** What the transport answers: a status code, or throws when the receiver did not answer. */
export type WebhookSend = (
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
) => Promise<number>;

export interface WebhookSenderOptions {
  readonly store: Store;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly send: WebhookSend;
  /** Attempts per delivery, the first included. Default 5. */
  readonly maxAttempts?: number;
  /** Wait before the second attempt; doubled for each next one. Default 10 000 ms. */
  readonly baseDelayMs?: number;
  readonly log?: JobLogger;
  /**
   * Run as one of several senders sharing the store (a fleet): a pending delivery belongs to the
   * instance that made it, so start-up does not resume every one. A delivery overdue by more than
   * `afterMs` has lost its instance; the one sender whose `claim` succeeds takes it over. The
   * senders look for such deliveries a few times per `afterMs`.
   */
  readonly takeOver?: {
    readonly afterMs: number;
    readonly claim: (deliveryId: string) => Promise<boolean>;
  };
}

export interface WebhookSender {
  /** A monitor changed outcome: store a delivery to its webhook, if it has one, and queue it. */
  notify(
    monitor: { id: string; url: string; origin: string },
    transition: Transition,
  ): Promise<void>;
  /**
   * Resumes deliveries left pending by the previous process (in a fleet: by dead instances);
   * rejects when the store fails.
   */
  start(): Promise<void>;
  stop(): void;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** The body of a delivery in `format`. */
export function webhookBody(
  format: WebhookFormat,
  monitor: { id: string; url: string; origin: string },
  transition: Transition,
): string {
  const event = {
    type: 'monitor.transition',
    monitor: monitor.id,
    url: monitor.url,
    origin: monitor.origin,
    at: new Date(transition.at).toISOString(),
    from: transition.from,
    to: transition.to,
    changes: transition.changes,
  };
  if (format === 'json') return JSON.stringify(event);
  const changed = transition.changes
    .map((c) => `• ${c.exchange} ${c.name}: ${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`)
    .join('\n');
  const text = `corsproof: CORS of ${monitor.url} (from ${monitor.origin}) went from ${transition.from ?? 'nothing'} to ${transition.to}${changed === '' ? '' : `\n${changed}`}`;
  return JSON.stringify({ text });
}

export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const { store, clock } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 10_000;
  const timers = new Map<string, TimerHandle>();
  let stopped = false;
  let sweeper: TimerHandle | undefined;

  const schedule = (id: string, at: number) => {
    if (stopped) return;
    const timer = clock.setTimeout(
      () => {
        timers.delete(id);
        attempt(id).catch((error: unknown) => {
          // Not recorded: the delivery stays pending and the next start attempts it again.
          options.log?.error({ err: error, delivery: id }, 'webhook attempt not recorded');
        });
      },
      Math.max(0, at - clock.now()),
    );
    timers.set(id, timer);
  };

  async function attempt(id: string): Promise<void> {
    const delivery = await store.webhooks.getDelivery(id);
    const config =
      delivery === undefined ? undefined : await store.webhooks.get(delivery.monitorId);
    if (delivery === undefined || delivery.status !== 'pending') return;
    const n = delivery.attempts + 1;
    const at = clock.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    if (config === undefined) {
      error = 'the webhook was removed';
    } else {
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'corsproof-webhook',
        'corsproof-event': 'monitor.transition',
        'corsproof-delivery': delivery.id,
        'corsproof-signature': signWebhook(
          options.secrets.open(config.sealedSecret),
          delivery.payload,
          Math.floor(at / 1000),
        ),
      };
      try {
        statusCode = await options.send(delivery.url, headers, delivery.payload);
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
    }
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const last = n >= maxAttempts || config === undefined;
    const next = ok || last ? null : clock.now() + baseDelayMs * 2 ** (n - 1);
    if (!ok && statusCode !== null) error = `the receiver answered ${statusCode}`;
    await store.webhooks.recordAttempt(
      id,
      { attempt: n, at, statusCode, error: ok ? null : error },
      ok ? 'delivered' : next === null ? 'failed' : 'pending',
      next,
    );
    if (next !== null) schedule(id, next);
    else if (!ok) options.log?.error({ delivery: id, error }, 'webhook delivery failed');
  }

  /** In a fleet: takes over the deliveries of instances that died, then looks again later. */
  async function takeOverOrphans(takeOver: NonNullable<WebhookSenderOptions['takeOver']>) {
    const cutoff = clock.now() - takeOver.afterMs;
    for (const delivery of await store.webhooks.pending()) {
      if (stopped) return;
      if (timers.has(delivery.id) || (delivery.nextAttemptAt ?? delivery.createdAt) > cutoff) {
        continue;
      }
      if (await takeOver.claim(delivery.id)) schedule(delivery.id, clock.now());
    }
  }

  function sweep(takeOver: NonNullable<WebhookSenderOptions['takeOver']>): void {
    sweeper = undefined;
    if (stopped) return;
    takeOverOrphans(takeOver)
      .catch((error: unknown) =>
        options.log?.error({ err: error }, 'could not look for orphaned webhook deliveries'),
      )
      .finally(() => {
        if (!stopped) sweeper = clock.setTimeout(() => sweep(takeOver), takeOver.afterMs / 5);
      });
  }

  return {
    async notify(monitor, transition) {
      const config = await store.webhooks.get(monitor.id);
      if (config === undefined) return;
      const id = options.newId('whd');
      await store.webhooks.createDelivery({
        id,
        monitorId: monitor.id,
        createdAt: clock.now(),
        url: config.url,
        format: config.format,
        payload: webhookBody(config.format, monitor, transition),
      });
      schedule(id, clock.now());
    },
    async start() {
      stopped = false;
      if (options.takeOver !== undefined) {
        sweep(options.takeOver);
        return;
      }
      for (const delivery of await store.webhooks.pending()) {
        schedule(delivery.id, delivery.nextAttemptAt ?? clock.now());
      }
    },
    stop() {
      stopped = true;
      if (sweeper !== undefined) clock.clearTimeout(sweeper);
      sweeper = undefined;
      for (const timer of timers.values()) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
