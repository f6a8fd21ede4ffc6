/** Stored audits in PostgreSQL; the contract is `AuditStore` (`../audits.ts`). */
import {
  type AuditRow,
  type AuditStore,
  type AuditSummaryRow,
  toAudit,
  toAuditSummary,
} from '../audits.js';
import { likeLiteral } from '../monitors.js';
import type { Sql } from './database.js';

/**
 * The host filter of audits and monitors on `url` (`$n`: the host as a LIKE literal). Stored URLs
 * are serialized by the URL parser, `scheme://host[:port]/path`, host in lower case; ILIKE matches
 * SQLite's LIKE, which ignores ASCII case.
 */
export function hostMatches(n: number): string {
  return `($${n}::text IS NULL OR url ILIKE '%://' || $${n} || '/%' OR url ILIKE '%://' || $${n} || ':%')`;
}

export function createPgAuditStore(db: Sql): AuditStore {
  return {
    async insert(record) {
      await db.run(
        `INSERT INTO audits (id, created_at, url, origin, outcome, input, notices, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          record.id,
          record.createdAt,
          record.input.url,
          record.input.origin,
          record.outcome,
          JSON.stringify(record.input),
          JSON.stringify(record.notices),
          JSON.stringify(record.result),
        ],
      );
    },
    async get(id) {
      const [row] = await db.rows<AuditRow>(
        'SELECT id, created_at, outcome, input, notices, result FROM audits WHERE id = $1',
        [id],
      );
      return row === undefined ? undefined : toAudit(row);
    },
    async list(filter) {
      const rows = await db.rows<AuditSummaryRow>(
        `SELECT id, created_at, url, origin, outcome FROM audits
         WHERE ($1::text IS NULL OR outcome = $1) AND ${hostMatches(2)}
           AND ($3::bigint IS NULL OR created_at >= $3) AND ($4::text IS NULL OR id < $4)
         ORDER BY id DESC LIMIT $5`,
        [
          filter.outcome ?? null,
          filter.host === undefined ? null : likeLiteral(filter.host),
          filter.since ?? null,
          filter.before ?? null,
          filter.limit,
        ],
      );
      return rows.map(toAuditSummary);
    },
  };
}
