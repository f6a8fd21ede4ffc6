/** API tokens in PostgreSQL (their SHA-256 as BYTEA); the contract is `TokenStore` (`../tokens.ts`). */
import { COLUMNS, fromRow, type TokenRow, type TokenStore } from '../tokens.js';
import type { Sql } from './database.js';

export function createPgTokenStore(db: Sql): TokenStore {
  return {
    async insert(record) {
      await db.run(
        `INSERT INTO api_tokens (id, created_at, name, scope, hash, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [record.id, record.createdAt, record.name, record.scope, record.hash, record.createdBy],
      );
    },
    async get(id) {
      const [row] = await db.rows<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [
        id,
      ]);
      return row === undefined ? undefined : fromRow(row);
    },
    async list() {
      const rows = await db.rows<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id DESC`);
      return rows.map(fromRow);
    },
    async revoke(id, at) {
      const changed = await db.run(
        'UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL',
        [id, at],
      );
      return changed === 1;
    },
    async touch(id, at) {
      // At most one write a minute per token, as in SQLite: reads stay reads.
      await db.run(
        `UPDATE api_tokens SET last_used_at = $2
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`,
        [id, at, at - 60_000],
      );
    },
    async countActive() {
      const [row] = await db.rows<{ n: number }>(
        'SELECT COUNT(*) AS n FROM api_tokens WHERE revoked_at IS NULL',
      );
      return row?.n ?? 0;
    },
  };
}
