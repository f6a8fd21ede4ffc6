/** Stored checks in PostgreSQL; the contract is `CheckStore` (`../checks.ts`). */
import {
  type CheckRow,
  type CheckStore,
  type CheckSummaryRow,
  toCheck,
  toCheckSummary,
} from '../checks.js';
import type { Sql } from './database.js';

export function createPgCheckStore(db: Sql): CheckStore {
  return {
    async insert(record) {
      await db.run(
        `INSERT INTO checks (id, created_at, url, origin, method, verdict, input, notices, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          record.id,
          record.createdAt,
          record.input.url,
          record.input.origin,
          record.input.method,
          record.result.verdict,
          JSON.stringify(record.input),
          JSON.stringify(record.notices),
          JSON.stringify(record.result),
        ],
      );
    },
    async get(id) {
      const [row] = await db.rows<CheckRow>(
        'SELECT id, created_at, input, notices, result FROM checks WHERE id = $1',
        [id],
      );
      return row === undefined ? undefined : toCheck(row);
    },
    async list(filter) {
      // A NULL parameter leaves its filter out; the planner sees through `$n IS NULL OR ...`.
      const rows = await db.rows<CheckSummaryRow>(
        `SELECT id, created_at, url, origin, method, verdict FROM checks
         WHERE ($1::text IS NULL OR url = $1) AND ($2::text IS NULL OR origin = $2)
           AND ($3::text IS NULL OR verdict = $3) AND ($4::text IS NULL OR id < $4)
         ORDER BY id DESC LIMIT $5`,
        [
          filter.url ?? null,
          filter.origin ?? null,
          filter.verdict ?? null,
          filter.before ?? null,
          filter.limit,
        ],
      );
      return rows.map(toCheckSummary);
    },
  };
}
