/**
 * Applies the PostgreSQL side of `../migrations.ts` to one schema. Several instances of the service
 * start at once against the same database, so each version is applied in a transaction that first
 * takes a transaction-level advisory lock on the schema's name: the first instance migrates, the
 * others wait, then find the version applied and go on. The lock is released by the commit or
 * rollback, also when the connection dies, so a crashed migration never leaves the schema locked.
 */
import { MIGRATIONS, type Migration } from '../migrations.js';
import type { PgDatabase } from './database.js';

/** A schema name the store accepts: a plain lower-case identifier, used quoted. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Brings `schema` (created when missing) to the latest version; returns the version. Refuses a
 * schema written by a newer corsproof rather than writing to it.
 */
export async function migratePostgres(
  db: PgDatabase,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  // Checked by openPostgresStore with a message for the user; here it guards the quoting below.
  if (!SCHEMA_NAME.test(schema)) throw new Error(`corsproof: invalid schema name ${schema}`);
  const applyNext = () =>
    db.transaction(async (tx): Promise<{ version: number; applied: boolean }> => {
      await tx.rows('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `corsproof migrate ${schema}`,
      ]);
      // The bookkeeping tables live outside the numbered versions, as in SQLite.
      // The connection's search_path is this schema alone (see store.ts), so unqualified names
      // are created in it.
      await tx.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await tx.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
      );
      await tx.run(
        'CREATE TABLE IF NOT EXISTS store_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
      );
      const [row] = await tx.rows<{ v: number }>(
        'SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations',
      );
      const current = row?.v ?? 0;
      if (current > migrations.length) {
        throw new Error(
          `corsproof: the schema ${JSON.stringify(schema)} is at version ${current}, newer than this corsproof knows (${migrations.length}); upgrade corsproof or use another --db`,
        );
      }
      const migration = migrations[current];
      if (migration === undefined) return { version: current, applied: false };
      await tx.run(migration.postgres);
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        current + 1,
        Date.now(),
      ]);
      return { version: current + 1, applied: true };
    });
  for (;;) {
    const step = await applyNext();
    if (!step.applied) return step.version;
  }
}
