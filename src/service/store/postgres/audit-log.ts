/** The audit log in PostgreSQL; the contract is `AuditLogStore` (`../audit-log.ts`). */
import { type AuditLogStore, type EntryRow, toEntry } from '../audit-log.js';
import type { Sql } from './database.js';

export function createPgAuditLogStore(db: Sql): AuditLogStore {
  return {
    async insert(entry) {
      await db.run(
        `INSERT INTO audit_log (id, at, actor, token_id, action, resource, resource_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          entry.id,
          entry.at,
          entry.actor,
          entry.tokenId,
          entry.action,
          entry.resource,
          entry.resourceId,
          entry.status,
        ],
      );
    },
    async list(filter) {
      const rows = await db.rows<EntryRow>(
        `SELECT id, at, actor, token_id, action, resource, resource_id, status FROM audit_log
         WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3`,
        [filter.actor ?? null, filter.before ?? null, filter.limit],
      );
      return rows.map(toEntry);
    },
  };
}
