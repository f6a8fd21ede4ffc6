/**
 * Webhooks of monitors (one per monitor, its HMAC secret sealed), the deliveries made on each
 * transition, and every attempt of a delivery, so the page can show what was sent and answered.
 */
import type { Database } from 'better-sqlite3';

export type WebhookFormat = 'json' | 'slack';

export interface WebhookConfig {
  readonly monitorId: string;
  readonly url: string;
  readonly format: WebhookFormat;
  /** The signing secret, sealed with the store's key. */
  readonly sealedSecret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookAttempt {
  readonly attempt: number;
  readonly at: number;
  /** The receiver's status code; null when it did not answer. */
  readonly statusCode: number | null;
  readonly error: string | null;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly monitorId: string;
  readonly createdAt: number;
  readonly url: string;
  readonly format: WebhookFormat;
  /** The JSON body sent. */
  readonly payload: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
}

export interface WebhookStore {
  set(config: WebhookConfig): Promise<void>;
  get(monitorId: string): Promise<WebhookConfig | undefined>;
  /** False when the monitor had none. */
  remove(monitorId: string): Promise<boolean>;
  createDelivery(
    delivery: Omit<WebhookDelivery, 'status' | 'attempts' | 'nextAttemptAt'>,
  ): Promise<void>;
  getDelivery(id: string): Promise<WebhookDelivery | undefined>;
  /** Records attempt n and the delivery's state after it, in one transaction. */
  recordAttempt(
    id: string,
    attempt: WebhookAttempt,
    status: DeliveryStatus,
    nextAttemptAt: number | null,
  ): Promise<void>;
  /** Newest first. */
  deliveries(monitorId: string, limit: number): Promise<WebhookDelivery[]>;
  attempts(deliveryId: string): Promise<WebhookAttempt[]>;
  /** Deliveries still to be attempted (start-up resumes them). */
  pending(): Promise<WebhookDelivery[]>;
}

export interface DeliveryRow {
  id: string;
  monitor_id: string;
  created_at: number;
  url: string;
  format: WebhookFormat;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
}

export interface WebhookRow {
  monitor_id: string;
  url: string;
  format: WebhookFormat;
  sealed_secret: string;
}

export function toWebhook(row: WebhookRow): WebhookConfig {
  return {
    monitorId: row.monitor_id,
    url: row.url,
    format: row.format,
    sealedSecret: row.sealed_secret,
  };
}

export interface AttemptRow {
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
}

export function toAttempt(row: AttemptRow): WebhookAttempt {
  return { attempt: row.attempt, at: row.at, statusCode: row.status_code, error: row.error };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    createdAt: row.created_at,
    url: row.url,
    format: row.format,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
  };
}

export function createWebhookStore(db: Database): WebhookStore {
  const set = db.prepare<[string, string, string, string]>(
    `INSERT INTO monitor_webhooks (monitor_id, url, format, sealed_secret) VALUES (?, ?, ?, ?)
     ON CONFLICT (monitor_id) DO UPDATE SET url = excluded.url, format = excluded.format,
       sealed_secret = excluded.sealed_secret`,
  );
  const get = db.prepare<[string], WebhookRow>(
    'SELECT * FROM monitor_webhooks WHERE monitor_id = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM monitor_webhooks WHERE monitor_id = ?');
  const insertDelivery = db.prepare<[Record<string, string | number>]>(
    `INSERT INTO webhook_deliveries (id, monitor_id, created_at, url, format, payload, status, next_attempt_at)
     VALUES (@id, @monitorId, @createdAt, @url, @format, @payload, 'pending', @createdAt)`,
  );
  const getDelivery = db.prepare<[string], DeliveryRow>(
    'SELECT * FROM webhook_deliveries WHERE id = ?',
  );
  const insertAttempt = db.prepare<[string, number, number, number | null, string | null]>(
    'INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error) VALUES (?, ?, ?, ?, ?)',
  );
  const updateDelivery = db.prepare<[string, number, number | null, string]>(
    'UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ? WHERE id = ?',
  );
  const deliveries = db.prepare<[string, number], DeliveryRow>(
    'SELECT * FROM webhook_deliveries WHERE monitor_id = ? ORDER BY id DESC LIMIT ?',
  );
  const attempts = db.prepare<[string], AttemptRow>(
    'SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt',
  );
  const pending = db.prepare<[], DeliveryRow>(
    "SELECT * FROM webhook_deliveries WHERE status = 'pending' ORDER BY id",
  );
  const record = db.transaction(
    (id: string, attempt: WebhookAttempt, status: DeliveryStatus, next: number | null) => {
      insertAttempt.run(id, attempt.attempt, attempt.at, attempt.statusCode, attempt.error);
      updateDelivery.run(status, attempt.attempt, next, id);
    },
  );
  return {
    async set(config) {
      set.run(config.monitorId, config.url, config.format, config.sealedSecret);
    },
    async get(monitorId) {
      const row = get.get(monitorId);
      return row === undefined ? undefined : toWebhook(row);
    },
    async remove(monitorId) {
      return remove.run(monitorId).changes > 0;
    },
    async createDelivery(delivery) {
      insertDelivery.run({ ...delivery });
    },
    async getDelivery(id) {
      const row = getDelivery.get(id);
      return row === undefined ? undefined : toDelivery(row);
    },
    async recordAttempt(id, attempt, status, nextAttemptAt) {
      record(id, attempt, status, nextAttemptAt);
    },
    async deliveries(monitorId, limit) {
      return deliveries.all(monitorId, limit).map(toDelivery);
    },
    async attempts(deliveryId) {
      return attempts.all(deliveryId).map(toAttempt);
    },
    async pending() {
      return pending.all().map(toDelivery);
    },
  };
}
