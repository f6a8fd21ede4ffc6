/**
 * Webhooks and their deliveries in PostgreSQL; the contract is `WebhookStore` (`../webhooks.ts`).
 * The contract has no claim of a delivery (`pending()` is read at start-up), so deliveries are not
 * yet shared out across a fleet the way batch targets and monitors are.
 */
import {
  type AttemptRow,
  type DeliveryRow,
  toAttempt,
  toDelivery,
  toWebhook,
  type WebhookRow,
  type WebhookStore,
} from '../webhooks.js';
import type { PgDatabase } from './database.js';

export function createPgWebhookStore(db: PgDatabase): WebhookStore {
  return {
    async set(config) {
      await db.run(
        `INSERT INTO monitor_webhooks (monitor_id, url, format, sealed_secret) VALUES ($1, $2, $3, $4)
         ON CONFLICT (monitor_id) DO UPDATE SET url = excluded.url, format = excluded.format,
           sealed_secret = excluded.sealed_secret`,
        [config.monitorId, config.url, config.format, config.sealedSecret],
      );
    },
    async get(monitorId) {
      const [row] = await db.rows<WebhookRow>(
        'SELECT * FROM monitor_webhooks WHERE monitor_id = $1',
        [monitorId],
      );
      return row === undefined ? undefined : toWebhook(row);
    },
    async remove(monitorId) {
      return (await db.run('DELETE FROM monitor_webhooks WHERE monitor_id = $1', [monitorId])) > 0;
    },
    async createDelivery(delivery) {
      await db.run(
        `INSERT INTO webhook_deliveries (id, monitor_id, created_at, url, format, payload, status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $3)`,
        [
          delivery.id,
          delivery.monitorId,
          delivery.createdAt,
          delivery.url,
          delivery.format,
          delivery.payload,
        ],
      );
    },
    async getDelivery(id) {
      const [row] = await db.rows<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = $1', [
        id,
      ]);
      return row === undefined ? undefined : toDelivery(row);
    },
    async recordAttempt(id, attempt, status, nextAttemptAt) {
      await db.transaction(async (tx) => {
        await tx.run(
          'INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error) VALUES ($1, $2, $3, $4, $5)',
          [id, attempt.attempt, attempt.at, attempt.statusCode, attempt.error],
        );
        await tx.run(
          'UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4 WHERE id = $1',
          [id, status, attempt.attempt, nextAttemptAt],
        );
      });
    },
    async deliveries(monitorId, limit) {
      const rows = await db.rows<DeliveryRow>(
        'SELECT * FROM webhook_deliveries WHERE monitor_id = $1 ORDER BY id DESC LIMIT $2',
        [monitorId, limit],
      );
      return rows.map(toDelivery);
    },
    async attempts(deliveryId) {
      const rows = await db.rows<AttemptRow>(
        'SELECT * FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt',
        [deliveryId],
      );
      return rows.map(toAttempt);
    },
    async pending() {
      const rows = await db.rows<DeliveryRow>(
        "SELECT * FROM webhook_deliveries WHERE status = 'pending' ORDER BY id",
      );
      return rows.map(toDelivery);
    },
  };
}
