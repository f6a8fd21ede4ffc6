/** Stored checks in PostgreSQL; the contract is `CheckStore` (`../checks.ts`). */
import type { CheckResult } from '../../../check/index.js';
import type { StoredVerdict } from '../../routes/checks.schema.js';
import type { CheckInput, Notice } from '../../routes/inputs.js';
import type { CheckStore } from '../checks.js';
import type { Sql } from './database.js';

interface CheckRow {
  id: string;
  created_at: number;
  input: string;
  notices: string;
  result: string;
}

interface SummaryRow {
  id: string;
  created_at: number;
  url: string;
  origin: string;
  method: string;
  verdict: StoredVerdict;
}

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
      if (row === undefined) return undefined;
      return {
        id: row.id,
        createdAt: row.created_at,
        input: JSON.parse(row.input) as CheckInput,
        notices: JSON.parse(row.notices) as Notice[],
        result: JSON.parse(row.result) as CheckResult,
      };
    },
    async list(filter) {
      // A NULL parameter leaves its filter out; the planner sees through `$n IS NULL OR ...`.
      const rows = await db.rows<SummaryRow>(
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
      return rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        url: row.url,
        origin: row.origin,
        method: row.method,
        verdict: row.verdict,
      }));
    },
  };
}
